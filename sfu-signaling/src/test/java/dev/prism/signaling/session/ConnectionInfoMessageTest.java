package dev.prism.signaling.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.conference.ConnectionRole;
import dev.prism.core.inspect.ConnectionPath;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code connectionInfo} message's checks as a table: what the SDK sends beside what must be refused. */
class ConnectionInfoMessageTest {

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("Chromium, UDP host", """
                        {"type":"connectionInfo","connection":"publisher","protocol":"udp","candidateType":"host",
                         "relayProtocol":null,"family":"ipv4"}""",
                        ConnectionRole.PUBLISHER, new ConnectionPath("udp", "host", null, "ipv4")),
                Arguments.of("TURN over TLS", """
                        {"type":"connectionInfo","connection":"subscriber","protocol":"udp","candidateType":"relay",
                         "relayProtocol":"tls","family":"ipv4"}""",
                        ConnectionRole.SUBSCRIBER, new ConnectionPath("udp", "relay", "tls", "ipv4")),
                Arguments.of("ICE-TCP over IPv6, fields left out", """
                        {"type":"connectionInfo","connection":"subscriber","protocol":"tcp","candidateType":"prflx"}""",
                        ConnectionRole.SUBSCRIBER, new ConnectionPath("tcp", "prflx", null, null)),
                Arguments.of("a relay whose protocol the browser does not say", """
                        {"type":"connectionInfo","connection":"publisher","protocol":"udp","candidateType":"relay",
                         "family":"ipv6","requestId":"7","extra":{"ignored":true}}""",
                        ConnectionRole.PUBLISHER, new ConnectionPath("udp", "relay", null, "ipv6")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void acceptsWhatTheSdkSends(String name, String json, ConnectionRole role, ConnectionPath path)
            throws SignalingError {
        ConnectionInfoMessage m = ConnectionInfoMessage.parse(new JsonObject(json));
        assertThat(m.role()).isEqualTo(role);
        assertThat(m.path()).isEqualTo(path);
    }

    static Stream<Arguments> refused() {
        String ok = "\"connection\":\"publisher\",\"protocol\":\"udp\",\"candidateType\":\"host\"";
        return Stream.of(
                Arguments.of("no connection", "{\"protocol\":\"udp\",\"candidateType\":\"host\"}", "'connection'"),
                Arguments.of("unknown connection", "{" + ok.replace("publisher", "datachannel") + "}", "'connection'"),
                Arguments.of("connection not a string", "{" + ok.replace("\"publisher\"", "1") + "}", "'connection'"),
                Arguments.of("protocol in capitals", "{" + ok.replace("udp", "UDP") + "}", "'protocol'"),
                Arguments.of("no protocol", "{\"connection\":\"publisher\",\"candidateType\":\"host\"}",
                        "'protocol'"),
                Arguments.of("unknown candidate type", "{" + ok.replace("host", "mdns") + "}", "'candidateType'"),
                Arguments.of("candidate type null", "{" + ok.replace("\"host\"", "null") + "}", "'candidateType'"),
                Arguments.of("unknown relay protocol", "{" + ok.replace("host", "relay")
                        + ",\"relayProtocol\":\"dtls\"}", "'relayProtocol'"),
                Arguments.of("relay protocol of a host candidate", "{" + ok + ",\"relayProtocol\":\"tls\"}",
                        "only for candidateType 'relay'"),
                Arguments.of("unknown family", "{" + ok + ",\"family\":\"ipx\"}", "'family'"),
                Arguments.of("family not a string", "{" + ok + ",\"family\":4}", "'family'"),
                Arguments.of("a long string", "{" + ok.replace("host", "h".repeat(100_000)) + "}", "'candidateType'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesAnythingElseWithoutRepeatingIt(String name, String json, String mentions) {
        assertThatThrownBy(() -> ConnectionInfoMessage.parse(new JsonObject(json)))
                .isInstanceOfSatisfying(SignalingError.class, e -> {
                    assertThat(e.code()).isEqualTo("bad_request");
                    assertThat(e.getMessage()).contains(mentions).doesNotContain("mdns", "dtls", "hhhh", "ipx",
                            "datachannel");
                });
    }

    @Test
    void keepsItsOwnStringsNotTheClients() throws SignalingError {
        String clientText = new String("tcp".toCharArray());
        ConnectionInfoMessage m = ConnectionInfoMessage.parse(new JsonObject().put("connection", "publisher")
                .put("protocol", clientText).put("candidateType", "host"));
        assertThat(m.path().protocol()).isEqualTo("tcp").isSameAs(ConnectionPath.PROTOCOLS.get(1));
    }

    @Test
    void theTypeIsCountedUnderItsOwnLabel() {
        assertThat(MessageTypes.label("connectionInfo")).isEqualTo("connectionInfo");
    }
}
