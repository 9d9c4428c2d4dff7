package dev.prism.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every admin endpoint over real HTTP against a fake node: the credential check on each, the JSON shapes, not-found
 * answers for actions, bad bodies, the event stream (bearer, ticket, pushes on change) and the static page.
 */
class AdminApiTest {
    private static final String SECRET = "admin-secret-admin-secret-admin-secret-42";
    /** Long, so that a push seen after the first one must have been caused by a change. */
    private static final long PUSH_INTERVAL_MILLIS = 30_000;

    private static Vertx vertx;
    private static FakeInspector inspector;
    private static int port;
    private static int disabledPort;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        inspector = new FakeInspector();
        port = listen(new AdminRoutes(inspector, SECRET, () -> System.currentTimeMillis() / 1000,
                new SecureRandom(), PUSH_INTERVAL_MILLIS));
        disabledPort = listen(new AdminRoutes(inspector, null, () -> 0, new SecureRandom(), 1000));
    }

    private static int listen(AdminRoutes routes) throws Exception {
        Router router = Router.router(vertx);
        routes.accept(router);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return server.actualPort();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void freshNode() {
        inspector.rooms.clear();
        inspector.rooms.putAll(new FakeInspector().rooms);
        inspector.actions.clear();
        inspector.stall = false;
    }

    // ---- credential ------------------------------------------------------------------------------------------

    static Stream<Arguments> endpoints() {
        return Stream.of(
                Arguments.of("GET", "/admin/api/node", null),
                Arguments.of("GET", "/admin/api/rooms", null),
                Arguments.of("GET", "/admin/api/rooms/demo", null),
                Arguments.of("DELETE", "/admin/api/rooms/demo", null),
                Arguments.of("GET", "/admin/api/rooms/demo/participants/alice-1", null),
                Arguments.of("DELETE", "/admin/api/rooms/demo/participants/alice-1", null),
                Arguments.of("GET", "/admin/api/rooms/demo/participants/alice-1/history", null),
                Arguments.of("POST", "/admin/api/rooms/demo/tracks/alice-1:0/mute", "{\"muted\":true}"),
                Arguments.of("POST", "/admin/api/events/ticket", ""),
                Arguments.of("GET", "/admin/api/events", null),
                Arguments.of("GET", "/admin/api/events?ticket=", null),
                Arguments.of("GET", "/admin/api/events?ticket=1.2.3", null),
                Arguments.of("GET", "/admin/api/no-such-endpoint", null));
    }

    @ParameterizedTest(name = "{0} {1} without a credential -> 401")
    @MethodSource("endpoints")
    void everyEndpointNeedsTheCredential(String method, String path, String body) throws Exception {
        for (String authorization : new String[] {null, "Bearer wrong", "Bearer ", SECRET, "Basic " + SECRET}) {
            HttpResponse<String> r = send(method, path, body, authorization);
            assertThat(r.statusCode()).as("%s %s with Authorization %s", method, path, authorization).isEqualTo(401);
            assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("unauthorized");
            assertThat(r.body()).doesNotContain("alice", "demo");
            assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"prism-admin\"");
        }
        assertThat(inspector.actions).as("no action ran").isEmpty();
        assertThat(inspector.rooms).containsKey("demo");
    }

    // ---- reads -----------------------------------------------------------------------------------------------

    @Test
    void node() throws Exception {
        JsonObject n = okJson("GET", "/admin/api/node");
        assertThat(n.getInteger("rooms")).isEqualTo(1);
        assertThat(n.getInteger("participants")).isEqualTo(2);
        assertThat(n.getJsonObject("media").getJsonObject("in").getLong("bitsPerSecond")).isEqualTo(480_000);
        JsonObject out = n.getJsonObject("media").getJsonObject("out");
        assertThat(out.containsKey("bitsPerSecond")).isTrue();
        assertThat(out.getValue("bitsPerSecond")).as("not measured yet: null, not 0").isNull();
        assertThat(n.getJsonObject("media").getJsonObject("drops").getLong("srtp_auth_fail")).isEqualTo(1);
        assertThat(n.getJsonObject("jvm").getDouble("processCpu")).isEqualTo(0.123);
        assertThat(n.getJsonObject("jvm").getValue("systemCpu")).isNull();
        assertThat(n.getJsonObject("buffers").getLong("activeAllocations")).isEqualTo(5);
        assertThat(n.getJsonArray("eventLoops").getJsonObject(0).getDouble("lagMillis")).isEqualTo(0.12);
        assertThat(n.getJsonObject("signaling").getJsonObject("refused").getLong("token expired")).isEqualTo(1);
    }

    @Test
    void rooms() throws Exception {
        JsonArray rooms = okJson("GET", "/admin/api/rooms").getJsonArray("rooms");
        assertThat(rooms).hasSize(1);
        JsonObject demo = rooms.getJsonObject(0);
        assertThat(demo.getString("id")).isEqualTo("demo");
        assertThat(demo.getInteger("participants")).isEqualTo(2);
        assertThat(demo.getInteger("tracks")).isEqualTo(2);
        assertThat(demo.getLong("bitsInPerSecond")).isEqualTo(64_000);
        assertThat(demo.getValue("bitsOutPerSecond")).isNull();
    }

    @Test
    void room() throws Exception {
        JsonObject room = okJson("GET", "/admin/api/rooms/demo");
        assertThat(room.getString("id")).isEqualTo("demo");
        assertThat(room.getJsonObject("speakers").encode()).as("no speaker view in the fake: NONE")
                .isEqualTo("{\"speaking\":[],\"levels\":[],\"dominant\":null,\"audioTopN\":0,\"updatesSent\":0}");
        JsonArray ps = room.getJsonArray("participants");
        assertThat(ps).hasSize(2);
        JsonObject alice = ps.getJsonObject(0);
        assertThat(alice.getString("name")).isEqualTo("Alice");
        assertThat(alice.getString("connectionState")).isEqualTo("connected");
        JsonObject publisher = alice.getJsonObject("publisher");
        assertThat(publisher.getString("remoteAddress")).isEqualTo("192.0.2.7:50000");
        assertThat(publisher.getString("protocol")).isEqualTo("udp");
        assertThat(publisher.getString("family")).isEqualTo("ipv4");
        assertThat(publisher.getString("candidate")).isEqualTo("relay_tls");
        assertThat(publisher.getJsonObject("clientPath")).isEqualTo(new JsonObject().put("protocol", "udp")
                .put("candidateType", "relay").put("relayProtocol", "tls").put("family", "ipv4"));
        assertThat(alice.getValue("subscriber")).isNull();
        JsonObject link = alice.getJsonObject("link");
        assertThat(link.getLong("uplinkBps")).isEqualTo(32_000);
        for (String absent : new String[] {"rttMillis", "lossFraction", "jitterMillis", "bandwidthEstimateBps",
            "bandwidthEstimateSource"}) {
            assertThat(link.containsKey(absent)).as(absent).isTrue();
            assertThat(link.getValue(absent)).as(absent).isNull();
        }
        JsonObject recovery = alice.getJsonObject("recovery");
        assertThat(recovery.getLong("nacksSent")).isEqualTo(3);
        assertThat(recovery.getLong("retransmissions")).isEqualTo(1);
        assertThat(recovery.getJsonArray("repairs").getJsonObject(0).getString("action")).isEqualTo("keyframe");
        JsonObject track = alice.getJsonArray("tracks").getJsonObject(0);
        assertThat(track.getString("codec")).isEqualTo("opus/48000/2");
        assertThat(track.getLong("ssrc")).isEqualTo(1111);
        assertThat(track.getValue("layers")).isNull();
        assertThat(track.getValue("frameRate")).isNull();
        JsonObject sub = track.getJsonArray("subscribers").getJsonObject(0);
        assertThat(sub.getString("participantId")).isEqualTo("other");
        assertThat(sub.getValue("targetLayer")).isNull();
        assertThat(sub.getString("transportState")).isEqualTo("connected");
    }

    @Test
    void participantAndHistory() throws Exception {
        assertThat(okJson("GET", "/admin/api/rooms/demo/participants/bob-2").getString("name")).isEqualTo("Bob");
        JsonObject h = okJson("GET", "/admin/api/rooms/demo/participants/bob-2/history");
        assertThat(h.getLong("intervalMillis")).isEqualTo(1000);
        JsonArray points = h.getJsonArray("points");
        assertThat(points).hasSize(2);
        assertThat(points.getJsonObject(0).getValue("uplinkBps")).isNull();
        assertThat(points.getJsonObject(1).getLong("uplinkBps")).isEqualTo(32_000);
        assertThat(points.getJsonObject(1).getLong("at")).isEqualTo(1_700_000_001_000L);
    }

    static Stream<Arguments> missing() {
        return Stream.of(
                Arguments.of("GET", "/admin/api/rooms/nope", "no room 'nope'"),
                Arguments.of("GET", "/admin/api/rooms/nope/participants/alice-1", "no participant 'alice-1'"),
                Arguments.of("GET", "/admin/api/rooms/demo/participants/ghost", "no participant 'ghost'"),
                Arguments.of("GET", "/admin/api/rooms/demo/participants/ghost/history", "no participant 'ghost'"),
                Arguments.of("DELETE", "/admin/api/rooms/nope", "no room 'nope'"),
                Arguments.of("DELETE", "/admin/api/rooms/demo/participants/ghost", "'ghost' is not in room 'demo'"),
                Arguments.of("POST", "/admin/api/rooms/demo/tracks/ghost:0/mute", "no track 'ghost:0'"),
                Arguments.of("GET", "/admin/api/nothing-here", "no such endpoint"));
    }

    @ParameterizedTest(name = "{0} {1} -> 404")
    @MethodSource("missing")
    void missingThingsAreAClear404(String method, String path, String message) throws Exception {
        HttpResponse<String> r = send(method, path, method.equals("POST") ? "{\"muted\":true}" : null,
                "Bearer " + SECRET);
        assertThat(r.statusCode()).isEqualTo(404);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("error")).isEqualTo("not_found");
        assertThat(body.getString("message")).contains(message);
    }

    // ---- actions ---------------------------------------------------------------------------------------------

    @Test
    void removeAParticipantThenItIsNotFound() throws Exception {
        JsonObject done = okJson("DELETE", "/admin/api/rooms/demo/participants/alice-1");
        assertThat(done.getString("status")).isEqualTo("done");
        assertThat(done.getString("message")).contains("alice-1");
        HttpResponse<String> again = send("DELETE", "/admin/api/rooms/demo/participants/alice-1", null,
                "Bearer " + SECRET);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(inspector.actions).containsExactly("remove demo alice-1", "remove demo alice-1");
    }

    @Test
    void muteAndUnmuteATrack() throws Exception {
        String path = "/admin/api/rooms/demo/tracks/" + "alice-1%3A0" + "/mute";
        assertThat(send("POST", path, "{\"muted\":true}", "Bearer " + SECRET).statusCode()).isEqualTo(200);
        assertThat(send("POST", path, "{\"muted\":false}", "Bearer " + SECRET).statusCode()).isEqualTo(200);
        assertThat(inspector.actions).containsExactly("mute demo alice-1:0 true", "mute demo alice-1:0 false");
    }

    @ParameterizedTest(name = "mute body [{0}] -> 400")
    @MethodSource("badMuteBodies")
    void badMuteBodyIs400(String body) throws Exception {
        HttpResponse<String> r = send("POST", "/admin/api/rooms/demo/tracks/alice-1:0/mute", body,
                "Bearer " + SECRET);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("bad_request");
        assertThat(inspector.actions).isEmpty();
    }

    static Stream<String> badMuteBodies() {
        return Stream.of("", "not json", "[true]", "{}", "{\"muted\":\"yes\"}", "{\"muted\":1}", "{\"muted\":null}");
    }

    @Test
    void closeARoomThenItIsNotFound() throws Exception {
        assertThat(okJson("DELETE", "/admin/api/rooms/demo").getString("status")).isEqualTo("done");
        assertThat(send("GET", "/admin/api/rooms/demo", null, "Bearer " + SECRET).statusCode()).isEqualTo(404);
        assertThat(okJson("GET", "/admin/api/rooms").getJsonArray("rooms")).isEmpty();
    }

    // ---- event stream ----------------------------------------------------------------------------------------

    @Test
    void streamWithATicketPushesSnapshotsAndPushesAgainOnChange() throws Exception {
        JsonObject t = okJson("POST", "/admin/api/events/ticket");
        assertThat(t.getLong("expiresInSeconds")).isEqualTo(AdminAuth.TICKET_TTL_SECONDS);
        try (SseClient sse = stream("/admin/api/events?room=demo&ticket=" + t.getString("ticket"), null)) {
            assertThat(sse.next("hello", 5).data().getString("room")).isEqualTo("demo");
            assertThat(sse.next("node", 5).data().getInteger("participants")).isEqualTo(2);
            assertThat(sse.next("rooms", 5).data().getJsonArray("rooms")).hasSize(1);
            assertThat(sse.next("room", 5).data().getJsonArray("participants")).hasSize(2);
            // The interval is long: the next room event comes from the change.
            okJson("DELETE", "/admin/api/rooms/demo/participants/bob-2");
            JsonObject after = sse.next("room", 5).data();
            assertThat(after.getJsonArray("participants")).hasSize(1);
            okJson("DELETE", "/admin/api/rooms/demo");
            inspector.fireChange();
            assertThat(sse.next("roomGone", 5).data().getString("id")).isEqualTo("demo");
        }
        awaitNoListeners();
    }

    @Test
    void streamWithTheBearerHeaderNeedsNoTicket() throws Exception {
        try (SseClient sse = stream("/admin/api/events", "Bearer " + SECRET)) {
            assertThat(sse.next("rooms", 5).data().getJsonArray("rooms")).hasSize(1);
        }
        awaitNoListeners();
    }

    @Test
    void aTicketOpensOnlyTheStream() throws Exception {
        String ticket = okJson("POST", "/admin/api/events/ticket").getString("ticket");
        assertThat(send("GET", "/admin/api/rooms?ticket=" + ticket, null, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/admin/api/events?ticket=" + ticket + "x", null, null).statusCode()).isEqualTo(401);
    }

    // ---- page ------------------------------------------------------------------------------------------------

    @Test
    void thePageAndItsAssetsAreServedWithoutData() throws Exception {
        HttpResponse<String> redirect = send("GET", "/admin", null, null);
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("location")).contains("/admin/");
        HttpResponse<String> page = send("GET", "/admin/", null, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Prism admin</title>", "vendor/chart.umd.min.js", "admin.js")
                .doesNotContain("alice", "demo");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'"));
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(send("GET", "/admin/admin.js", null, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/admin/admin.css", null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> chart = send("GET", "/admin/vendor/chart.umd.min.js", null, null);
        assertThat(chart.statusCode()).isEqualTo(200);
        assertThat(chart.body()).contains("Chart.js");
    }

    @Test
    void withoutAnAdminSecretTheAdminUiDoesNotExist() throws Exception {
        for (String path : new String[] {"/admin", "/admin/", "/admin/admin.js", "/admin/api/node",
                "/admin/api/rooms/demo"}) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + disabledPort + path)).header("Authorization", "Bearer x")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).contains("admin_disabled").doesNotContain("alice");
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static JsonObject okJson(String method, String path) throws Exception {
        HttpResponse<String> r = send(method, path, method.equals("POST") ? "" : null, "Bearer " + SECRET);
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
        return new JsonObject(r.body());
    }

    private static HttpResponse<String> send(String method, String path, String body, String authorization)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SseClient stream(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("text/event-stream"));
        return new SseClient(r);
    }

    /** A closed stream unsubscribes from changes (the server notices the close asynchronously). */
    private static void awaitNoListeners() throws InterruptedException {
        assertThat(inspector.awaitNoListeners(5_000)).as("change listeners of closed streams gone within 5 s")
                .isTrue();
    }
}
