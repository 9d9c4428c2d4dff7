package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Joining again with the same identity (the normal recovery path) in every state of the old session, the room's
 * participant limit, and the session gauges, against the real verticle over real WebSockets.
 */
class RejoinSignalingTest {
    private static final String SECRET = "test-secret-test-secret-test-secret-0123";
    private static PrismServer server;

    @BeforeAll
    static void start() {
        server = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(SECRET).resumeWindowSeconds(30)
                .maxParticipantsPerRoom(2).build());
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
    void rejoinWhileAloneInTheRoomIsWelcomed() {
        try (WsTestClient first = WsTestClient.connect(server.httpPort(), token("alone", "a"))) {
            first.next("welcome", 5);
            try (WsTestClient second = WsTestClient.connect(server.httpPort(), token("alone", "a"))) {
                JsonObject welcome = second.next("welcome", 1);
                assertThat(welcome.getJsonObject("room").getJsonArray("participants")).hasSize(1);
                assertThat(first.next("error", 5).getString("code")).isEqualTo("replaced");
                waitFor(() -> first.closeCode() == 4001);
                second.send(new JsonObject().put("type", "ping").put("requestId", "p"));
                assertThat(second.next("pong", 5).getString("requestId")).isEqualTo("p");
            }
        }
    }

    @Test
    void rejoinWhileDetachedIsWelcomedAndTheGaugesSeeTheDetachedSession() {
        // every other test closes its sockets; their sessions end asynchronously, so wait for them to be gone
        waitFor(() -> server.sfu().attachedSessionCount() == 0 && server.sfu().detachedSessionCount() == 0);
        int attachedBefore = 0;
        WsTestClient first = WsTestClient.connect(server.httpPort(), token("detached", "a"));
        first.next("welcome", 5);
        first.abort(); // no close frame: the session waits for a resume
        waitFor(() -> server.sfu().detachedSessionCount() == 1);
        assertThat(server.sfu().attachedSessionCount()).isEqualTo(attachedBefore);
        assertThat(server.metrics().scrape()).contains("prism_signaling_sessions_detached 1.0");
        try (WsTestClient second = WsTestClient.connect(server.httpPort(), token("detached", "a"))) {
            JsonObject welcome = second.next("welcome", 1);
            assertThat(welcome.getBoolean("resumed")).isFalse();
            assertThat(welcome.getJsonObject("room").getJsonArray("participants")).hasSize(1);
            waitFor(() -> server.sfu().detachedSessionCount() == 0);
            assertThat(server.sfu().attachedSessionCount()).isEqualTo(attachedBefore + 1);
        }
    }

    @Test
    void rejoinWithOthersInTheRoomShowsThemOneParticipant() {
        try (WsTestClient other = WsTestClient.connect(server.httpPort(), token("others", "b"));
             WsTestClient first = WsTestClient.connect(server.httpPort(), token("others", "a"))) {
            other.next("welcome", 5);
            first.next("welcome", 5);
            other.next("participantJoined", 5);
            // The room is full (2), but a rejoin of an identity already in it does not count twice.
            try (WsTestClient second = WsTestClient.connect(server.httpPort(), token("others", "a"))) {
                assertThat(second.next("welcome", 1).getJsonObject("room").getJsonArray("participants")).hasSize(2);
                assertThat(first.next("error", 5).getString("code")).isEqualTo("replaced");
                assertThat(other.next("participantLeft", 5).getString("reason")).isEqualTo("replaced");
                assertThat(other.next("participantJoined", 5).getJsonObject("participant").getString("id"))
                        .isEqualTo("a");
                other.send(new JsonObject().put("type", "getState"));
                assertThat(other.next("state", 5).getJsonObject("room").getJsonArray("participants")).hasSize(2);
            }
        }
    }

    @Test
    void aJoinBeyondTheLimitIsRefusedWithRoomFull() {
        long before = server.sfu().counters().errors("room_full");
        try (WsTestClient a = WsTestClient.connect(server.httpPort(), token("full", "a"));
             WsTestClient b = WsTestClient.connect(server.httpPort(), token("full", "b"))) {
            a.next("welcome", 5);
            b.next("welcome", 5);
            a.next("participantJoined", 5);
            WsTestClient c = WsTestClient.connect(server.httpPort(), token("full", "c"));
            JsonObject error = c.next("error", 5);
            assertThat(error.getString("code")).isEqualTo("room_full");
            waitFor(() -> c.closeCode() == 4006);
            assertThat(c.seen()).noneMatch(m -> "welcome".equals(m.getString("type")));
            assertThat(a.quietFor(200)).noneMatch(m -> "participantJoined".equals(m.getString("type")));
        }
        assertThat(server.sfu().counters().errors("room_full")).isEqualTo(before + 1);
    }

    static void waitFor(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.onSpinWait();
        }
    }
}
