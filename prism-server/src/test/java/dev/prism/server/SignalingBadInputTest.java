package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad-input case of the signaling protocol against the real verticle over a real WebSocket: the offender gets a
 * clear error, its socket stays usable, and another participant of the same room carries on.
 */
class SignalingBadInputTest {
    private static final String SECRET = "test-secret-test-secret-test-secret-0123";
    private static PrismServer server;

    @BeforeAll
    static void start() {
        // A one-second resume window: a socket that dies without a close frame is told to the others after it.
        server = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(SECRET).resumeWindowSeconds(1)
                .build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String token(String room, String identity, boolean canPublish, long ttl) {
        TokenService ts = new TokenService(SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return ts.issue(new AccessToken(room, identity, identity, canPublish, true, now, now + ttl));
    }

    static Stream<Arguments> refusedTokens() {
        TokenService other = new TokenService("another-secret-another-secret-another-1", () -> 1_700_000_000L);
        long now = System.currentTimeMillis() / 1000;
        return Stream.of(
                Arguments.of("missing", null, "token missing"),
                Arguments.of("garbage", "not-a-jwt", "malformed token"),
                Arguments.of("wrong key", other.issue(new AccessToken("r", "x", "x", true, true, now, now + 600)),
                        "bad token signature"),
                Arguments.of("expired", token("r", "x", true, -3600), "token expired"));
    }

    @ParameterizedTest(name = "{0} token -> 401 {2}")
    @MethodSource("refusedTokens")
    void handshakeRefusedWithReason(String label, String token, String reason) {
        WsTestClient.Refusal r = WsTestClient.connectRefused(server.httpPort(), token);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).isEqualTo(reason);
    }

    static Stream<Arguments> badMessages() throws IOException {
        String h264Only = resource("/sdp/h264-only-offer.sdp");
        String chrome = resource("/sdp/chrome-publish-offer-plain.sdp");
        return Stream.of(
                Arguments.of("{not json", "bad_json"),
                Arguments.of("[1,2,3]", "bad_json"),
                Arguments.of("{\"no\":\"type\"}", "bad_request"),
                Arguments.of("{\"type\":\"bogus\"}", "unknown_type"),
                Arguments.of("{\"type\":\"subscriberAnswer\",\"version\":1,\"sdp\":\"v=0\"}", "out_of_order"),
                Arguments.of("{\"type\":\"publishOffer\"}", "bad_request"),
                Arguments.of("{\"type\":\"publishOffer\",\"sdp\":\"this is not sdp\"}", "bad_sdp"),
                Arguments.of(new JsonObject().put("type", "publishOffer").put("sdp", h264Only).encode(),
                        "nothing_to_forward"),
                Arguments.of(new JsonObject().put("type", "publishOffer").put("sdp", chrome).put("tracks",
                        new JsonArray().add(new JsonObject().put("mid", "1").put("source", "window"))).encode(),
                        "bad_source"),
                Arguments.of(new JsonObject().put("type", "publishOffer").put("sdp", chrome).put("tracks",
                        new JsonArray().add(new JsonObject().put("mid", "0").put("source", "screen"))).encode(),
                        "bad_source"),
                Arguments.of("{\"type\":\"mute\",\"trackId\":\"nobody:0\",\"muted\":true}", "unknown_track"),
                Arguments.of("{\"type\":\"mute\",\"trackId\":\"x\",\"muted\":\"yes\"}", "bad_request"),
                Arguments.of("{\"type\":\"connectionInfo\",\"connection\":\"publisher\",\"protocol\":\"udp\","
                        + "\"candidateType\":\"mdns\"}", "bad_request"),
                Arguments.of("{\"type\":\"connectionInfo\",\"connection\":\"subscriber\",\"protocol\":\"udp\","
                        + "\"candidateType\":\"host\",\"relayProtocol\":\"tls\"}", "bad_request"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badMessages")
    void badMessageGetsErrorAndNothingElseBreaks(String text, String code) {
        String room = "bad-" + code + "-" + Integer.toHexString(text.hashCode());
        try (WsTestClient bystander = WsTestClient.connect(server.httpPort(), token(room, "bystander", true, 600));
             WsTestClient offender = WsTestClient.connect(server.httpPort(), token(room, "offender", true, 600))) {
            bystander.next("welcome", 5);
            offender.next("welcome", 5);
            bystander.next("participantJoined", 5);

            offender.sendRaw(text);
            JsonObject error = offender.next("error", 5);
            assertThat(error.getString("code")).isEqualTo(code);
            assertThat(error.getString("message")).isNotBlank();

            // The offender's socket still works, and the room still has both participants.
            offender.send(new JsonObject().put("type", "ping").put("requestId", "p1"));
            assertThat(offender.next("pong", 5).getString("requestId")).isEqualTo("p1");
            bystander.send(new JsonObject().put("type", "getState"));
            JsonObject state = bystander.next("state", 5);
            assertThat(state.getJsonObject("room").getJsonArray("participants")).hasSize(2);
        }
    }

    @Test
    void publishingWithoutGrantIsRefused() throws IOException {
        try (WsTestClient viewer = WsTestClient.connect(server.httpPort(), token("grants", "viewer", false, 600))) {
            viewer.next("welcome", 5);
            viewer.send(new JsonObject().put("type", "publishOffer").put("requestId", "1")
                    .put("sdp", resource("/sdp/chrome-offer.sdp")));
            JsonObject error = viewer.next("error", 5);
            assertThat(error.getString("code")).isEqualTo("not_allowed");
            assertThat(error.getString("requestId")).isEqualTo("1");
        }
    }

    @Test
    void closingWithoutGoodbyeIsToldToOthers() {
        try (WsTestClient stays = WsTestClient.connect(server.httpPort(), token("bye", "stays", true, 600))) {
            stays.next("welcome", 5);
            WsTestClient goes = WsTestClient.connect(server.httpPort(), token("bye", "goes", true, 600));
            goes.next("welcome", 5);
            stays.next("participantJoined", 5);
            goes.abort();
            JsonObject left = stays.next("participantLeft", 10);
            assertThat(left.getString("participantId")).isEqualTo("goes");
            assertThat(left.getString("reason")).isEqualTo("disconnected");
        }
    }

    @Test
    void sameIdentityReplacesTheOldConnectionWithoutAGhost() {
        try (WsTestClient watcher = WsTestClient.connect(server.httpPort(), token("reload", "watcher", true, 600));
             WsTestClient first = WsTestClient.connect(server.httpPort(), token("reload", "dup", true, 600))) {
            watcher.next("welcome", 5);
            first.next("welcome", 5);
            try (WsTestClient second = WsTestClient.connect(server.httpPort(), token("reload", "dup", true, 600))) {
                JsonObject welcome = second.next("welcome", 5);
                assertThat(welcome.getJsonObject("room").getJsonArray("participants")).hasSize(2);
                assertThat(first.next("error", 5).getString("code")).isEqualTo("replaced");
                watcher.send(new JsonObject().put("type", "getState"));
                assertThat(watcher.next("state", 5).getJsonObject("room").getJsonArray("participants")).hasSize(2);
            }
        }
    }

    @Test
    void devTokenEndpointIsClosedWhenASecretIsConfigured() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpPort() + "/api/dev-token?room=a&name=b")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
    }

    static String resource(String path) throws IOException {
        try (InputStream in = SignalingBadInputTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
