package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import dev.prism.signaling.route.ProxyCounters;
import dev.prism.signaling.route.ProxyOpenException;
import dev.prism.signaling.route.Route;
import dev.prism.signaling.route.SessionRouting;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #12 item 5 at the edge: a room whose owner was killed is still placed on it until its lease runs out, and
 * every proxied open to it fails as unreachable. The edge routes such a session again (bounded) instead of refusing it
 * with 4014 at once, so the client's first attempt after the kill lands wherever the room is placed next, here or on
 * another node. A static routing stands in for placement: room {@code moves-*} names a dead owner for the first three
 * routes, then this node; {@code gone-*} names the dead owner forever.
 */
class EdgeUnreachableOwnerTest {
    private static final String API_SECRET = "edge-api-secret-edge-api-secret-012345";
    private static final Route.Remote DEAD_OWNER = new Route.Remote("node-dead",
            "127.0.0.1:9");
    private static final Map<String, AtomicInteger> ROUTES = new ConcurrentHashMap<>();
    private static PrismServer edge;

    @BeforeAll
    static void start() {
        edge = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(API_SECRET)
                .adminSecret("edge-admin-secret-edge-admin-secret-01").build());
        SessionRouting routing = room -> {
            int n = ROUTES.computeIfAbsent(room, r -> new AtomicInteger()).incrementAndGet();
            return CompletableFuture.completedFuture(room.startsWith("moves-") && n > 3 ? Route.LOCAL : DEAD_OWNER);
        };
        edge.sfu().useRouting(routing, (owner, request) -> CompletableFuture.failedFuture(
                new ProxyOpenException(ProxyOpenException.UNREACHABLE, "connect_failed: Connection refused")));
    }

    @AfterAll
    static void stop() {
        edge.close();
    }

    private static String token(String room, String identity) {
        TokenService ts = new TokenService(API_SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return ts.issue(new AccessToken(room, identity, identity, true, true, now, now + 600));
    }

    @Test
    void aSessionForAnUnreachableOwnerIsRoutedAgainAndRunsWhereTheRoomIsPlacedNext() {
        long failedBefore = edge.sfu().proxyCounters().failed(ProxyCounters.Failed.OWNER_UNREACHABLE);
        try (WsTestClient client = WsTestClient.connect(edge.httpPort(), token("moves-1", "ann"))) {
            JsonObject welcome = client.next("welcome", 10);
            assertThat(welcome.getJsonObject("participant").getString("id")).isEqualTo("ann");
            assertThat(ROUTES.get("moves-1").get()).isEqualTo(4);
            assertThat(edge.sfu().conference().participant("moves-1", "ann")).isNotNull();
        }
        assertThat(edge.sfu().proxyCounters().failed(ProxyCounters.Failed.OWNER_UNREACHABLE)).isEqualTo(failedBefore);
    }

    @Test
    void anOwnerThatStaysUnreachableIsRefusedWithClusterUnavailableAfterTheBoundedWait() {
        try (WsTestClient client = WsTestClient.connect(edge.httpPort(), token("gone-1", "ben"))) {
            assertThat(client.next("error", 10).getString("code")).isEqualTo("cluster_unavailable");
            assertThat(client.awaitClose(5)).isEqualTo(4014);
            // routed once, then again every 200 ms within 2.5 s: more than once, a bounded number of times
            assertThat(ROUTES.get("gone-1").get()).isBetween(2, 13);
        }
    }
}
