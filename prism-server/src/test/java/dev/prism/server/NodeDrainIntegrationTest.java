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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Moving rooms off a real node through the admin API, over real WebSockets: {@code POST /admin/api/rooms/{room}/migrate}
 * tells each participant {@code migrate} and closes it with 4011; {@code POST /admin/api/node/drain} turns
 * {@code /readyz} 503 and moves every room. In single-node mode the clients, following {@code migrate} with a fresh
 * join to the same URL, land on this node again: the point here is the protocol.
 */
class NodeDrainIntegrationTest {
    private static final String API_SECRET = "drain-secret-drain-secret-drain-secret-01";
    private static final String ADMIN_SECRET = "drain-admin-drain-admin-drain-admin-0123";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private PrismServer server;

    @BeforeEach
    void start() {
        server = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(API_SECRET)
                .adminSecret(ADMIN_SECRET).mediaThreads(1).build());
    }

    @AfterEach
    void close() {
        server.close();
    }

    private String token(String room, String identity) {
        TokenService ts = new TokenService(API_SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return ts.issue(new AccessToken(room, identity, identity, true, true, now, now + 600));
    }

    private WsTestClient join(String room, String identity) {
        WsTestClient c = WsTestClient.connect(server.httpPort(), token(room, identity));
        c.next("welcome", 5);
        return c;
    }

    private HttpResponse<String> request(String method, String path, String secret) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (secret != null) {
            b.header("Authorization", "Bearer " + secret);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What the SDK does on {@code migrate}: the message, close 4011, then a fresh join to the same URL. */
    private WsTestClient followMigrate(WsTestClient c, String room, String identity) {
        JsonObject migrate = c.next("migrate", 5);
        assertThat(migrate.getString("reason")).isEqualTo("room_moving");
        assertThat(c.awaitClose(5)).isEqualTo(4011);
        return join(room, identity);
    }

    @Test
    void migratingARoomTellsEveryParticipantToJoinAgain() throws Exception {
        WsTestClient alice = join("mig", "alice");
        WsTestClient bob = join("mig", "bob");
        alice.next("participantJoined", 5);

        HttpResponse<String> r = request("POST", "/admin/api/rooms/mig/migrate", ADMIN_SECRET);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(new JsonObject(r.body()).getString("message")).contains("2 participants");

        try (WsTestClient alice2 = followMigrate(alice, "mig", "alice");
             WsTestClient bob2 = followMigrate(bob, "mig", "bob")) {
            assertThat(server.sfu().conference().participantCount()).isEqualTo(2);
            assertThat(alice.seen()).noneMatch(m -> "error".equals(m.getString("type")));
            assertThat(request("POST", "/admin/api/rooms/nowhere/migrate", ADMIN_SECRET).statusCode())
                    .isEqualTo(404);
            assertThat(request("POST", "/admin/api/rooms/mig/migrate", null).statusCode()).isEqualTo(401);
            assertThat(request("GET", "/readyz", null).statusCode()).as("a move is not a drain").isEqualTo(200);
        }
    }

    @Test
    void drainingTheNodeTurnsItNotReadyAndMovesEveryRoom() throws Exception {
        List<WsTestClient> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(join("drain-" + i, "p" + i));
        }
        assertThat(request("POST", "/admin/api/node/drain", null).statusCode()).isEqualTo(401);
        assertThat(request("GET", "/readyz", null).statusCode()).isEqualTo(200);

        HttpResponse<String> r = request("POST", "/admin/api/node/drain", ADMIN_SECRET);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(new JsonObject(r.body()).getString("message")).contains("draining: 3 rooms");
        assertThat(request("GET", "/readyz", null).statusCode()).isEqualTo(503);
        assertThat(request("GET", "/healthz", null).statusCode()).isEqualTo(200);

        List<WsTestClient> back = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            back.add(followMigrate(clients.get(i), "drain-" + i, "p" + i));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.sfu().conference().participantCount() != 3 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // poll
        }
        assertThat(server.sfu().conference().participantCount()).as("everyone back (on this node: single-node mode)")
                .isEqualTo(3);
        HttpResponse<String> again = request("POST", "/admin/api/node/drain", ADMIN_SECRET);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(again.body()).getString("message")).contains("already draining");
        assertThat(request("GET", "/readyz", null).statusCode()).isEqualTo(503);
        back.forEach(WsTestClient::close);
    }
}
