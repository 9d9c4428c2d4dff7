package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.cluster.link.LinkMetrics;
import dev.prism.cluster.link.LinkSettings;
import dev.prism.core.config.PrismConfig;
import dev.prism.server.link.ClusterLinks;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import dev.prism.signaling.route.ProxyCounters;
import dev.prism.signaling.route.RemoteSessions;
import dev.prism.signaling.route.ResumeTokens;
import dev.prism.signaling.route.Route;
import dev.prism.signaling.route.SessionRouting;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #12 item 4 in one JVM: two nodes, A and B, each a whole {@link PrismServer} with its {@link ClusterLinks} on
 * loopback (same cluster secret), and a static routing standing in for placement: at A every room runs on B (except
 * {@code down-*}: unavailable); at B every room runs on B (except {@code elsewhere-*}: on A). A client whose
 * WebSocket lands on A reaches its room at B through a proxied session.
 */
class ClusterProxyTest {
    private static final String API_SECRET = "proxy-api-secret-proxy-api-secret-0123";
    private static final String ADMIN_SECRET = "proxy-admin-secret-proxy-admin-secret-01";
    private static final String CLUSTER_SECRET = "proxy-cluster-secret-0123456789";
    /** Small windows, so that a flood of pings meets the link's flow control. */
    private static final LinkSettings SETTINGS = LinkSettings.DEFAULTS.withWindow(4096, 1024 * 1024);

    private static PrismServer a;
    private static PrismServer b;
    private static Vertx vertx;
    private static volatile ClusterLinks linksA;
    private static volatile ClusterLinks linksB;
    private static volatile ClusterLinks linksBadSecret;
    private final LinkMetrics metricsA = new LinkMetrics();
    private final LinkMetrics metricsB = new LinkMetrics();

    @BeforeAll
    static void startNodes() {
        a = node();
        b = node();
        vertx = Vertx.vertx();
        SessionRouting atA = room -> CompletableFuture.completedFuture(room.startsWith("down-")
                ? new Route.Unavailable("cluster_unavailable") : new Route.Remote("node-b", linksB.linkAddress()));
        SessionRouting atB = room -> CompletableFuture.completedFuture(room.startsWith("elsewhere-")
                ? new Route.Remote("node-a", linksA.linkAddress()) : Route.LOCAL);
        // At A, rooms bad-* are opened through links made with a wrong cluster secret.
        RemoteSessions fromA = (owner, request) -> (request.roomId().startsWith("bad-") ? linksBadSecret : linksA)
                .remoteSessions().open(owner, request);
        a.sfu().useRouting(atA, fromA);
        b.sfu().useRouting(atB, (owner, request) -> linksB.remoteSessions().open(owner, request));
    }

    private static PrismServer node() {
        return PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(API_SECRET)
                .adminSecret(ADMIN_SECRET).resumeWindowSeconds(20).signalingMessagesPerSecond(100_000).build());
    }

    @BeforeEach
    void startLinks() throws Exception {
        linksA = ClusterLinks.start(vertx, "node-a", CLUSTER_SECRET, "127.0.0.1", 0,
                a.sfu().proxiedSessionAcceptor(), metricsA, SETTINGS).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        linksB = ClusterLinks.start(vertx, "node-b", CLUSTER_SECRET, "127.0.0.1", 0,
                b.sfu().proxiedSessionAcceptor(), metricsB, SETTINGS).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        linksBadSecret = ClusterLinks.start(vertx, "node-c", "not-the-cluster-secret-0123", "127.0.0.1", 0,
                a.sfu().proxiedSessionAcceptor(), new LinkMetrics(), SETTINGS).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void closeLinks() {
        linksA.close();
        linksB.close();
        linksBadSecret.close();
    }

    @AfterAll
    static void stopNodes() throws Exception {
        a.close();
        b.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static String token(String room, String identity) {
        TokenService ts = new TokenService(API_SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return ts.issue(new AccessToken(room, identity, identity, true, true, now, now + 600));
    }

    @Test
    void aParticipantJoinedAtAAndOneJoinedAtBAreInOneRoomAtB() {
        long opened = a.sfu().proxyCounters().opened();
        try (WsTestClient viaA = WsTestClient.connect(a.httpPort(), token("room-1", "alice"))) {
            JsonObject welcome = viaA.next("welcome", 10);
            assertThat(welcome.getJsonObject("participant").getString("id")).isEqualTo("alice");
            assertThat(ResumeTokens.roomOf(welcome.getString("resumeToken"))).isEqualTo("room-1");
            WsTestClient atB = WsTestClient.connect(b.httpPort(), token("room-1", "bob"));
            assertThat(atB.next("welcome", 10).getJsonObject("room").getJsonArray("participants")).hasSize(2);
            assertThat(viaA.next("participantJoined", 5).getJsonObject("participant").getString("id"))
                    .isEqualTo("bob");
            assertThat(b.inspector().rooms().join().stream().anyMatch(r -> r.id().equals("room-1"))).isTrue();
            assertThat(a.inspector().rooms().join()).noneMatch(r -> r.id().equals("room-1"));

            viaA.send(new JsonObject().put("type", "publishOffer").put("requestId", "p1")
                    .put("sdp", TestOffers.offer(1, 1, false)));
            assertThat(viaA.next("publishAnswer", 5).getString("sdp")).contains("m=audio");
            assertThat(atB.next("trackPublished", 5).encode()).contains("alice");
            viaA.send(new JsonObject().put("type", "ping").put("requestId", "x"));
            assertThat(viaA.next("pong", 5).getString("requestId")).isEqualTo("x");
            atB.close();
        }
        assertThat(a.sfu().proxyCounters().opened()).isEqualTo(opened + 1);
        await(() -> a.sfu().proxyCounters().active() == 0, "the proxied session closed at A");
    }

    @Test
    void aFloodOfPingsIsAnsweredInOrderThroughTheProxy() {
        try (WsTestClient viaA = WsTestClient.connect(a.httpPort(), token("flood", "f"))) {
            viaA.next("welcome", 10);
            int n = 2000;
            for (int i = 0; i < n; i++) {
                viaA.send(new JsonObject().put("type", "ping").put("requestId", Integer.toString(i)));
            }
            for (int i = 0; i < n; i++) {
                assertThat(viaA.next("pong", 10).getString("requestId")).isEqualTo(Integer.toString(i));
            }
            System.out.printf("proxy flood: %d pings in order; edge link send blocked %d times, owner receive "
                    + "pauses %d%n", n, metricsA.sendBlocked(), metricsB.receivePauses());
        }
    }

    @Test
    void theOwnersCloseCodeReachesTheClientAtTheEdge() throws Exception {
        try (WsTestClient viaA = WsTestClient.connect(a.httpPort(), token("removal", "bob"))) {
            viaA.next("welcome", 10);
            HttpResponse<String> removed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + b.httpPort() + "/admin/api/rooms/removal/participants/bob"))
                    .header("Authorization", "Bearer " + ADMIN_SECRET).DELETE().timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(removed.statusCode()).isEqualTo(200);
            assertThat(viaA.next("error", 5).getString("code")).isEqualTo("removed");
            assertThat(viaA.awaitClose(5)).isEqualTo(4004);
        }
    }

    @Test
    void aLostLinkClosesTheClientWith4013AndTheSessionWaitsForAResumeAtB() throws Exception {
        // this client's must be the only proxied session on the link: an earlier test's may still be closing
        await(() -> a.sfu().proxyCounters().active() == 0, "no proxied session left at A from other tests");
        long lost = a.sfu().proxyCounters().closed(ProxyCounters.Closed.OWNER_LOST);
        String resumeToken;
        try (WsTestClient viaA = WsTestClient.connect(a.httpPort(), token("lost", "l"))) {
            resumeToken = viaA.next("welcome", 10).getString("resumeToken");
            linksB.close();
            assertThat(viaA.awaitClose(5)).isEqualTo(4013);
        }
        await(() -> a.sfu().proxyCounters().active() == 0, "the proxied session closed at A");
        assertThat(a.sfu().proxyCounters().closed(ProxyCounters.Closed.OWNER_LOST)).isEqualTo(lost + 1);
        // B's link comes back (on another port; the routing follows): the client's resume reaches its session there.
        linksB = ClusterLinks.start(vertx, "node-b", CLUSTER_SECRET, "127.0.0.1", 0,
                b.sfu().proxiedSessionAcceptor(), metricsB, SETTINGS).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        try (WsTestClient again = WsTestClient.connectQuery(a.httpPort(), "resume=" + resumeToken)) {
            JsonObject welcome = again.next("welcome", 10);
            assertThat(welcome.getBoolean("resumed")).isTrue();
            assertThat(welcome.getJsonObject("participant").getString("id")).isEqualTo("l");
        }
    }

    @Test
    void aResumeThroughAAfterTheSocketDroppedResumesTheSessionAtB() {
        WsTestClient first = WsTestClient.connect(a.httpPort(), token("resume", "r"));
        String resumeToken = first.next("welcome", 10).getString("resumeToken");
        long detachesBefore = b.sfu().counters().detachedSessions();
        first.abort();
        await(() -> b.sfu().counters().detachedSessions() > detachesBefore, "the session detached at B");
        // Only the resume token: A does not hold the session, the token's room routes it to B.
        try (WsTestClient again = WsTestClient.connectQuery(a.httpPort(), "resume=" + resumeToken)) {
            JsonObject welcome = again.next("welcome", 10);
            assertThat(welcome.getBoolean("resumed")).isTrue();
            assertThat(welcome.getJsonObject("participant").getString("id")).isEqualTo("r");
            again.send(new JsonObject().put("type", "ping").put("requestId", "after"));
            assertThat(again.next("pong", 5).getString("requestId")).isEqualTo("after");
        }
        // Spent: the owner answers resume_failed (4002) through the proxy, and the client joins afresh.
        try (WsTestClient spent = WsTestClient.connectQuery(a.httpPort(), "resume=" + resumeToken)) {
            assertThat(spent.next("error", 10).getString("code")).isEqualTo("resume_failed");
            assertThat(spent.awaitClose(5)).isEqualTo(4002);
        }
    }

    @Test
    void aWrongClusterSecretFailsTheProxiedJoinCleanly() {
        long failed = a.sfu().proxyCounters().failed(ProxyCounters.Failed.OWNER_UNREACHABLE);
        long accepted = b.sfu().proxyCounters().accepted();
        try (WsTestClient viaA = WsTestClient.connect(a.httpPort(), token("bad-secret", "w"))) {
            JsonObject error = viaA.next("error", 10);
            assertThat(error.getString("code")).isEqualTo("cluster_unavailable");
            assertThat(error.getString("message")).contains("owner_unreachable");
            assertThat(viaA.awaitClose(5)).isEqualTo(4014);
        }
        assertThat(a.sfu().proxyCounters().failed(ProxyCounters.Failed.OWNER_UNREACHABLE)).isEqualTo(failed + 1);
        assertThat(metricsB.authRefused()).isGreaterThanOrEqualTo(1);
        assertThat(b.sfu().proxyCounters().accepted()).as("nothing started at B").isEqualTo(accepted);
    }

    @Test
    void theOwnerRefusesNotOwnerWhenItsRoutingSaysRemote() {
        long refused = b.sfu().proxyCounters().refused(ProxyCounters.Refused.NOT_OWNER);
        long failed = a.sfu().proxyCounters().failed(ProxyCounters.Failed.NOT_OWNER);
        try (WsTestClient viaA = WsTestClient.connect(a.httpPort(), token("elsewhere-1", "n"))) {
            assertThat(viaA.next("error", 10).getString("code")).isEqualTo("cluster_unavailable");
            assertThat(viaA.awaitClose(5)).isEqualTo(4014);
        }
        // refused twice: A routes again once after the first not_owner
        assertThat(b.sfu().proxyCounters().refused(ProxyCounters.Refused.NOT_OWNER)).isEqualTo(refused + 2);
        assertThat(a.sfu().proxyCounters().failed(ProxyCounters.Failed.NOT_OWNER)).isEqualTo(failed + 1);
    }

    @Test
    void anUnavailableRouteIsRefusedWithClusterUnavailableAnd4014() {
        try (WsTestClient viaA = WsTestClient.connect(a.httpPort(), token("down-1", "d"))) {
            assertThat(viaA.next("error", 10).getString("code")).isEqualTo("cluster_unavailable");
            assertThat(viaA.awaitClose(5)).isEqualTo(4014);
        }
    }

    /** A figure, not an assertion: what the proxy hop adds to a ping's round trip (sequential, loopback). */
    @Test
    void proxyOverheadOnAPingRoundTrip() {
        int rounds = 10;
        int perRound = 200;
        long[] direct = new long[rounds * perRound];
        long[] proxied = new long[rounds * perRound];
        try (WsTestClient atB = WsTestClient.connect(b.httpPort(), token("overhead", "direct"));
             WsTestClient viaA = WsTestClient.connect(a.httpPort(), token("overhead", "proxied"))) {
            atB.next("welcome", 10);
            viaA.next("welcome", 10);
            for (int w = 0; w < 200; w++) { // warm-up
                roundTrip(atB, "w" + w);
                roundTrip(viaA, "w" + w);
            }
            for (int r = 0; r < rounds; r++) { // alternate, so that the machine's noise hits both paths alike
                for (int i = 0; i < perRound; i++) {
                    direct[r * perRound + i] = roundTrip(atB, "d" + i);
                }
                for (int i = 0; i < perRound; i++) {
                    proxied[r * perRound + i] = roundTrip(viaA, "p" + i);
                }
            }
        }
        Arrays.sort(direct);
        Arrays.sort(proxied);
        System.out.printf("proxy overhead, %d pings each (µs): direct to B p50 %d p99 %d; through A p50 %d p99 %d; "
                + "added p50 %d p99 %d%n", direct.length, pct(direct, 50), pct(direct, 99), pct(proxied, 50),
                pct(proxied, 99), pct(proxied, 50) - pct(direct, 50), pct(proxied, 99) - pct(direct, 99));
    }

    private static long roundTrip(WsTestClient c, String id) {
        long t0 = System.nanoTime();
        c.send(new JsonObject().put("type", "ping").put("requestId", id));
        JsonObject pong = c.next("pong", 5);
        long micros = (System.nanoTime() - t0) / 1000;
        assertThat(pong.getString("requestId")).isEqualTo(id);
        return micros;
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
