package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import dev.prism.signaling.session.DataCounters;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * In-room data messages between participants over real WebSockets on a real node: sender identity, order, named
 * recipients, the size and rate limits and the data grant (each refusal an error to the sender only, counted), and the
 * delivery latency on loopback (printed; the target is a p99 under 100 ms).
 */
class DataMessagesSignalingTest {
    private static final String SECRET = "data-test-secret-data-test-secret-012345";
    private static PrismServer node;

    @BeforeAll
    static void start() {
        node = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(SECRET).build());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static WsTestClient join(String room, String identity, boolean canData) {
        TokenService ts = new TokenService(SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        WsTestClient c = WsTestClient.connect(node.httpPort(), ts.issue(
                new AccessToken(room, identity, identity, true, true, now, now + 600).withCanData(canData)));
        c.next("welcome", 10);
        return c;
    }

    @Test
    void messagesArriveInOrderWithTheSendersIdentityAndOnlyAtTheirRecipients() {
        try (WsTestClient alice = join("chat", "alice", true);
             WsTestClient bob = join("chat", "bob", true);
             WsTestClient carol = join("chat", "carol", true)) {
            for (int i = 0; i < 40; i++) {
                alice.send(new JsonObject().put("type", "sendData").put("payload", new JsonObject().put("n", i)));
            }
            for (int i = 0; i < 40; i++) {
                JsonObject m = bob.next("data", 10);
                assertThat(m.getString("from")).isEqualTo("alice");
                assertThat(m.getJsonObject("payload").getInteger("n")).isEqualTo(i);
                assertThat(carol.next("data", 10).getJsonObject("payload").getInteger("n")).isEqualTo(i);
            }
            bob.send(new JsonObject().put("type", "sendData").put("requestId", "d1").put("payload", "psst")
                    .put("to", new JsonArray().add("carol").add("nobody")));
            JsonObject ack = bob.next("dataAck", 10);
            assertThat(ack.getInteger("delivered")).isEqualTo(1);
            assertThat(ack.getJsonArray("unknown")).containsExactly("nobody");
            assertThat(carol.next("data", 10).getString("payload")).isEqualTo("psst");
            assertThat(alice.quietFor(300)).noneMatch(m -> "data".equals(m.getString("type")));
        }
    }

    @Test
    void oversizedTooFrequentAndUngrantedMessagesAreRefusedToTheSenderOnly() {
        DataCounters counters = node.sfu().dataCounters();
        long tooLarge = counters.refused(DataCounters.Refusal.TOO_LARGE);
        long rate = counters.refused(DataCounters.Refusal.RATE_LIMITED);
        long notAllowed = counters.refused(DataCounters.Refusal.NOT_ALLOWED);
        try (WsTestClient loud = join("limits", "loud", true);
             WsTestClient mute = join("limits", "mute", false);
             WsTestClient other = join("limits", "other", true)) {
            loud.send(new JsonObject().put("type", "sendData").put("requestId", "big")
                    .put("payload", "x".repeat(16 * 1024 + 1)));
            JsonObject big = loud.next("error", 10);
            assertThat(big.getString("code")).isEqualTo("data_too_large");
            assertThat(big.getString("requestId")).isEqualTo("big");

            mute.send(new JsonObject().put("type", "sendData").put("payload", "hi"));
            assertThat(mute.next("error", 10).getString("code")).isEqualTo("not_allowed");

            loud.send(new JsonObject().put("type", "sendData").put("payload", 5).put("to", "other"));
            assertThat(loud.next("error", 10).getString("code")).isEqualTo("bad_request");

            // The burst (60) goes through; what follows at once is refused, each with an error.
            for (int i = 0; i < 70; i++) {
                loud.send(new JsonObject().put("type", "sendData").put("payload", i));
            }
            int refused = 0;
            for (int i = 0; i < 70 - 60; i++) {
                if ("data_rate_limited".equals(loud.next("error", 10).getString("code"))) {
                    refused++;
                }
            }
            assertThat(refused).isGreaterThanOrEqualTo(5); // tokens trickle back meanwhile on a loaded machine
            List<JsonObject> got = new ArrayList<>();
            got.add(other.next("data", 10));
            got.addAll(other.quietFor(500));
            long data = got.stream().filter(m -> "data".equals(m.getString("type"))).count();
            assertThat(data).isBetween(60L, 65L);
            assertThat(got).noneMatch(m -> "hi".equals(m.getValue("payload")));
        }
        assertThat(counters.refused(DataCounters.Refusal.TOO_LARGE)).isEqualTo(tooLarge + 1);
        assertThat(counters.refused(DataCounters.Refusal.NOT_ALLOWED)).isEqualTo(notAllowed + 1);
        assertThat(counters.refused(DataCounters.Refusal.RATE_LIMITED)).isGreaterThanOrEqualTo(rate + 5);
    }

    @Test
    void deliveryLatencyOnLoopback() {
        try (WsTestClient sender = join("latency", "sender", true);
             WsTestClient receiver = join("latency", "receiver", true)) {
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < 55; i++) { // within the burst: one at a time, each timed to its arrival
                long sent = System.nanoTime();
                sender.send(new JsonObject().put("type", "sendData").put("payload", new JsonObject().put("i", i)));
                JsonObject m = receiver.next("data", 10);
                micros.add((System.nanoTime() - sent) / 1000);
                assertThat(m.getJsonObject("payload").getInteger("i")).isEqualTo(i);
            }
            Collections.sort(micros);
            long p50 = micros.get(micros.size() / 2);
            long p99 = micros.get((int) Math.ceil(micros.size() * 0.99) - 1);
            System.out.printf("data message delivery on loopback: n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms%n",
                    micros.size(), p50 / 1000.0, p99 / 1000.0, micros.get(micros.size() - 1) / 1000.0);
        }
    }
}
