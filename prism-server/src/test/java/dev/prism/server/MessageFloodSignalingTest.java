package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The per-socket message rate limit, over a real WebSocket, with a bystander in the same room. */
class MessageFloodSignalingTest {
    private static final String SECRET = "test-secret-test-secret-test-secret-0123";
    private static PrismServer server;

    @BeforeAll
    static void start() {
        server = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(SECRET).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String token(String room, String identity) {
        TokenService ts = new TokenService(SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return ts.issue(new AccessToken(room, identity, identity, true, true, now, now + 600));
    }

    @Test
    void aFloodIsThrottledUnreadThenClosedWhileTheBystanderCarriesOn() {
        long badJsonBefore = server.sfu().counters().errors("bad_json");
        try (WsTestClient bystander = WsTestClient.connect(server.httpPort(), token("flood", "bystander"));
             WsTestClient flooder = WsTestClient.connect(server.httpPort(), token("flood", "flooder"))) {
            bystander.next("welcome", 5);
            flooder.next("welcome", 5);
            int burst = 4 * PrismConfig.DEFAULT_SIGNALING_MESSAGES_PER_SECOND;
            long floodStart = System.nanoTime();
            // 5,000 small messages fit the socket buffers: the sends complete whether the node reads them or not
            for (int i = 0; i < 5_000; i++) {
                flooder.sendRaw("{not json " + i);
            }
            JsonObject limited = flooder.next("error", 10);
            while (!"rate_limited".equals(limited.getString("code"))) {
                limited = flooder.next("error", 10);
            }
            assertThat(limited.getString("message")).contains("too many messages");
            // While the flooder is throttled, the bystander in the same room is answered at once.
            bystander.send(new JsonObject().put("type", "ping").put("requestId", "during"));
            assertThat(bystander.next("pong", 5).getString("requestId")).isEqualTo("during");
            // The node reads the flood at the rate only: a burst, then what the rate refills.
            double seconds = (System.nanoTime() - floodStart) / 1e9;
            long read = server.sfu().counters().errors("bad_json") - badJsonBefore;
            assertThat(read).isBetween((long) burst,
                    burst + (long) (seconds * PrismConfig.DEFAULT_SIGNALING_MESSAGES_PER_SECOND) + 1);
            // A flood that does not stop is closed after about ten throttles (a dozen seconds).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (flooder.closeCode() == -1 && System.nanoTime() < deadline) {
                flooder.quietFor(100);
            }
            assertThat(flooder.closeCode()).isEqualTo(1008);
            long readInAll = server.sfu().counters().errors("bad_json") - badJsonBefore;
            assertThat(readInAll).as("most of the flood was never read").isLessThan(2_000);
            bystander.send(new JsonObject().put("type", "ping").put("requestId", "after"));
            assertThat(bystander.next("pong", 5).getString("requestId")).isEqualTo("after");
        }
    }

    @Test
    void aClientWithinTheRateIsNeverLimited() {
        try (WsTestClient c = WsTestClient.connect(server.httpPort(), token("calm", "pinger"))) {
            c.next("welcome", 5);
            // a whole burst at once, as a page laying out 100 tiles might send preferences
            for (int i = 0; i < 4 * PrismConfig.DEFAULT_SIGNALING_MESSAGES_PER_SECOND; i++) {
                c.send(new JsonObject().put("type", "ping").put("requestId", "p" + i));
            }
            for (int i = 0; i < 4 * PrismConfig.DEFAULT_SIGNALING_MESSAGES_PER_SECOND; i++) {
                assertThat(c.next("pong", 10).getString("requestId")).isEqualTo("p" + i);
            }
            assertThat(c.seen()).noneMatch(m -> "error".equals(m.getString("type")));
        }
    }
}
