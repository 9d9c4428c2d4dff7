package dev.prism.signaling;

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
    void aFloodIsDroppedUnreadThenClosedWhileTheBystanderCarriesOn() {
        long limitedBefore = server.sfu().counters().errors("rate_limited");
        long badJsonBefore = server.sfu().counters().errors("bad_json");
        try (WsTestClient bystander = WsTestClient.connect(server.httpPort(), token("flood", "bystander"));
             WsTestClient flooder = WsTestClient.connect(server.httpPort(), token("flood", "flooder"))) {
            bystander.next("welcome", 5);
            flooder.next("welcome", 5);
            int burst = 4 * PrismConfig.DEFAULT_SIGNALING_MESSAGES_PER_SECOND;
            int sent = 0;
            long floodStart = System.nanoTime();
            // Far more than a burst plus the 1,000 dropped in a row that close the socket; sends fail once closed.
            try {
                for (; sent < 5_000; sent++) {
                    flooder.sendRaw("{not json " + sent);
                }
            } catch (RuntimeException closed) {
                // the node closed the socket mid-flood: what the test expects
            }
            JsonObject limited = flooder.next("error", 10);
            while (!"rate_limited".equals(limited.getString("code"))) {
                limited = flooder.next("error", 10);
            }
            assertThat(limited.getString("message")).contains("too many messages");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (flooder.closeCode() == -1 && System.nanoTime() < deadline) {
                flooder.quietFor(50);
            }
            assertThat(flooder.closeCode()).isEqualTo(1008);
            // A burst and what the rate refilled meanwhile were read; the rest was dropped unread.
            double seconds = (System.nanoTime() - floodStart) / 1e9;
            long read = server.sfu().counters().errors("bad_json") - badJsonBefore;
            assertThat(read).isBetween((long) burst,
                    burst + (long) (seconds * PrismConfig.DEFAULT_SIGNALING_MESSAGES_PER_SECOND) + 1);
            assertThat(server.sfu().counters().errors("rate_limited") - limitedBefore).isGreaterThanOrEqualTo(1_000);
            // The bystander in the same room is answered at once.
            bystander.send(new JsonObject().put("type", "ping").put("requestId", "still-here"));
            assertThat(bystander.next("pong", 5).getString("requestId")).isEqualTo("still-here");
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
