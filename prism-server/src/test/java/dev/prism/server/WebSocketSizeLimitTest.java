package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import dev.prism.signaling.http.HttpLimits;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A signaling message over the size limit is refused as it arrives: the sender gets an error naming the limit and
 * close code 1009, the refusal is counted, and another participant of the same room carries on. The server never
 * waits for (or buffers) the oversize payload: the close comes back while the client has sent only a frame header.
 */
class WebSocketSizeLimitTest {
    private static final String SECRET = "test-secret-test-secret-test-secret-0123";
    private static final String CUT = "prism_connections_cut_total{reason=\"message_too_big\"}";
    private static PrismServer server;

    @BeforeAll
    static void start() {
        server = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(SECRET).resumeWindowSeconds(1)
                .build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a300KilobyteMessageIsRefusedWith1009() throws Exception {
        String room = "big-message";
        try (WsTestClient bystander = WsTestClient.connect(server.httpPort(), token(room, "bystander"));
             RawWebSocket offender = RawWebSocket.connect(server.httpPort(), "/ws?token=" + token(room, "big"))) {
            bystander.next("welcome", 5);
            double before = Scrape.value(server, CUT);
            byte[] text = jsonOf(300 * 1024);
            offender.sendFrame(RawWebSocket.TEXT, true, text);

            RawWebSocket.Frame error = offender.readFrame();
            while (error.opcode() != RawWebSocket.TEXT || !error.text().contains("\"error\"")) {
                error = offender.readFrame();
            }
            JsonObject e = new JsonObject(error.text());
            assertThat(e.getString("code")).isEqualTo("message_too_big");
            assertThat(e.getString("message")).contains(String.valueOf(HttpLimits.DEFAULT_MAX_MESSAGE_BYTES));
            assertThat(offender.readUntilClose().closeCode()).isEqualTo(1009);
            assertThat(Scrape.value(server, CUT)).isEqualTo(before + 1);
            assertBystanderCarriesOn(bystander);
        }
    }

    @Test
    void a50MegabyteFrameHeaderIsRefusedBeforeItsPayload() throws Exception {
        String room = "huge-frame";
        try (WsTestClient bystander = WsTestClient.connect(server.httpPort(), token(room, "bystander"));
             RawWebSocket offender = RawWebSocket.connect(server.httpPort(), "/ws?token=" + token(room, "huge"))) {
            bystander.next("welcome", 5);
            double before = Scrape.value(server, CUT);
            offender.sendHeader(RawWebSocket.TEXT, true, 50L * 1024 * 1024);
            // Not one payload byte is sent: the refusal can only come from the header.
            assertThat(offender.readUntilClose().closeCode()).isEqualTo(1009);
            assertThat(Scrape.value(server, CUT)).isEqualTo(before + 1);
            assertBystanderCarriesOn(bystander);
        }
    }

    @Test
    void fragmentsAddingUpOverTheLimitAreRefusedAtTheFragmentThatCrossesIt() throws Exception {
        String room = "fragments";
        try (WsTestClient bystander = WsTestClient.connect(server.httpPort(), token(room, "bystander"));
             RawWebSocket offender = RawWebSocket.connect(server.httpPort(), "/ws?token=" + token(room, "frag"))) {
            bystander.next("welcome", 5);
            double before = Scrape.value(server, CUT);
            byte[] first = new byte[200 * 1024];
            Arrays.fill(first, (byte) ' ');
            first[0] = '{';
            offender.sendFrame(RawWebSocket.TEXT, false, first);
            // 100 KB more: 300 KB in all. Each fragment is under the limit, so at most the limit plus one fragment is
            // ever held.
            byte[] second = new byte[100 * 1024];
            Arrays.fill(second, (byte) ' ');
            offender.sendFrame(RawWebSocket.CONTINUATION, true, second);
            assertThat(offender.readUntilClose().closeCode()).isEqualTo(1009);
            assertThat(Scrape.value(server, CUT)).isEqualTo(before + 1);
            assertBystanderCarriesOn(bystander);
        }
    }

    @Test
    void aMessageJustUnderTheLimitIsStillHandled() throws Exception {
        try (RawWebSocket client = RawWebSocket.connect(server.httpPort(), "/ws?token=" + token("under", "ok"))) {
            String ping = "{\"type\":\"ping\",\"requestId\":\"p\",\"pad\":\"";
            int pad = HttpLimits.DEFAULT_MAX_MESSAGE_BYTES - ping.length() - 2;
            byte[] text = (ping + " ".repeat(pad) + "\"}").getBytes(StandardCharsets.UTF_8);
            assertThat(text).hasSize(HttpLimits.DEFAULT_MAX_MESSAGE_BYTES);
            client.sendFrame(RawWebSocket.TEXT, true, text);
            RawWebSocket.Frame f = client.readFrame();
            while (!f.text().contains("\"pong\"")) {
                f = client.readFrame();
            }
            assertThat(new JsonObject(f.text()).getString("requestId")).isEqualTo("p");
        }
    }

    private static void assertBystanderCarriesOn(WsTestClient bystander) {
        bystander.send(new JsonObject().put("type", "ping").put("requestId", "still-here"));
        assertThat(bystander.next("pong", 5).getString("requestId")).isEqualTo("still-here");
    }

    /** A JSON ping of exactly {@code size} bytes. */
    private static byte[] jsonOf(int size) {
        String head = "{\"type\":\"ping\",\"pad\":\"";
        return (head + "x".repeat(size - head.length() - 2) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static String token(String room, String identity) {
        TokenService ts = new TokenService(SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return ts.issue(new AccessToken(room, identity, identity, true, true, now, now + 600));
    }
}
