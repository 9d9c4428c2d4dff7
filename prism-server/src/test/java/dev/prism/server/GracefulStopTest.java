package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The graceful stop (what SIGTERM runs) on a real node over real WebSockets: {@code /readyz} turns 503 at once while
 * {@code /healthz} stays 200; new sessions are refused with {@code node_draining} (close 4012) but resumes are not; the
 * node waits for its rooms to empty (detached participants count) up to the grace period or a second signal, then
 * tells everyone left {@code shutdown} and closes them with 4010.
 */
class GracefulStopTest {
    private static final String SECRET = "stop-secret-stop-secret-stop-secret-0123";
    private final HttpClient http = HttpClient.newHttpClient();
    private PrismServer server;

    @BeforeEach
    void start() {
        server = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(SECRET).resumeWindowSeconds(30)
                .mediaThreads(1).build());
    }

    @AfterEach
    void close() {
        server.close();
    }

    private String token(String room, String identity) {
        TokenService ts = new TokenService(SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return ts.issue(new AccessToken(room, identity, identity, true, true, now, now + 600));
    }

    private WsTestClient join(String room, String identity) {
        WsTestClient c = WsTestClient.connect(server.httpPort(), token(room, identity));
        c.next("welcome", 5);
        return c;
    }

    private int status(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void stoppingRefusesNewSessionsThenClosesTheRestWithTheTerminalCodeAtTheDeadline() throws Exception {
        try (WsTestClient alice = join("stop-a", "alice")) {
            assertThat(status("/readyz")).isEqualTo(200);

            CompletableFuture<Integer> stopped = server.stop(Duration.ofSeconds(1));
            assertThat(status("/readyz")).isEqualTo(503);
            assertThat(status("/healthz")).as("alive until the process exits").isEqualTo(200);

            try (WsTestClient bob = WsTestClient.connect(server.httpPort(), token("stop-b", "bob"))) {
                JsonObject refused = bob.next("error", 5);
                assertThat(refused.getString("code")).isEqualTo("node_draining");
                assertThat(bob.awaitClose(5)).isEqualTo(4012);
            }
            assertThat(server.sfu().rooms().get("stop-b")).as("a refused session opens no room").isNull();

            assertThat(await(stopped)).isEqualTo(1);
            JsonObject shutdown = alice.next("shutdown", 5);
            assertThat(shutdown.getString("reason")).isEqualTo("server_shutdown");
            assertThat(alice.awaitClose(5)).isEqualTo(4010);
            assertThat(server.sfu().conference().participantCount()).isZero();
            assertThat(status("/healthz")).isEqualTo(200);
            assertThat(server.metrics().scrape()).contains("code=\"node_draining\"");
        }
    }

    @Test
    void aStopEndsAsSoonAsTheRoomsAreEmpty() throws Exception {
        WsTestClient alice = join("stop-empty", "alice");
        CompletableFuture<Integer> stopped = server.stop(Duration.ofSeconds(600));
        alice.send(new JsonObject().put("type", "ping").put("requestId", "still-here"));
        assertThat(alice.next("pong", 5).getString("requestId")).as("sessions carry on meanwhile")
                .isEqualTo("still-here");
        assertThat(stopped).isNotDone();
        alice.send(new JsonObject().put("type", "leave"));
        assertThat(await(stopped)).as("nobody left to tell").isZero();
        assertThat(alice.seen()).noneMatch(m -> "shutdown".equals(m.getString("type")));
    }

    @Test
    void aDetachedParticipantCountsAsPresentAndMayResumeUntilASecondSignal() throws Exception {
        WsTestClient first = WsTestClient.connect(server.httpPort(), token("stop-resume", "alice"));
        String resumeToken = first.next("welcome", 5).getString("resumeToken");
        first.abort(); // no close frame: kept for the resume window
        CompletableFuture<Integer> stopped = server.stop(Duration.ofSeconds(600));
        assertThat(stopped).isNotDone();

        try (WsTestClient back = WsTestClient.connectQuery(server.httpPort(), "resume=" + resumeToken)) {
            assertThat(back.next("welcome", 5).getBoolean("resumed")).as("a resume is not a new session").isTrue();
            assertThat(stopped).isNotDone();

            server.forceStop(); // the second SIGTERM
            assertThat(await(stopped)).isEqualTo(1);
            assertThat(back.next("shutdown", 5).getString("type")).isEqualTo("shutdown");
            assertThat(back.awaitClose(5)).isEqualTo(4010);
        }
    }

    @Test
    void closingANodeWithParticipantsTellsThemShutdown() {
        WsTestClient alice = join("stop-close", "alice");
        server.close();
        assertThat(alice.next("shutdown", 5).getString("reason")).isEqualTo("server_shutdown");
        assertThat(alice.awaitClose(5)).isEqualTo(4010);
    }
}
