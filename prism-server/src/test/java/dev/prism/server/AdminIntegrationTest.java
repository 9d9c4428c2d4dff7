package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin API of a real node over real signaling: participants joined and publishing through WebSockets show up
 * with their tracks and subscriptions; removing, muting and closing reach the clients as the protocol says; actions on
 * what no longer exists are 404; the event stream follows a join; metrics count what happened; readiness is ready.
 */
class AdminIntegrationTest {
    private static final String API_SECRET = "test-secret-test-secret-test-secret-0123";
    private static final String ADMIN_SECRET = "admin-secret-admin-secret-admin-secret-42";
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static PrismServer server;

    @BeforeAll
    static void start() {
        server = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(API_SECRET)
                .adminSecret(ADMIN_SECRET).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void participantsTracksAndActionsOverRealSignaling() throws Exception {
        String room = "adm-actions";
        try (WsTestClient alice = WsTestClient.connect(server.httpPort(), token(room, "alice"));
             WsTestClient bob = WsTestClient.connect(server.httpPort(), token(room, "bob"))) {
            alice.next("welcome", 5);
            bob.next("welcome", 5);
            alice.send(new JsonObject().put("type", "publishOffer").put("requestId", "p1")
                    .put("sdp", SignalingBadInputTest.resource("/sdp/chrome-publish-offer-plain.sdp")));
            alice.next("publishAnswer", 5);
            bob.next("trackPublished", 5);
            bob.next("trackPublished", 5);

            JsonObject summary = get("/admin/api/rooms").getJsonArray("rooms").stream().map(JsonObject.class::cast)
                    .filter(r -> r.getString("id").equals(room)).findFirst().orElseThrow();
            assertThat(summary.getInteger("participants")).isEqualTo(2);
            assertThat(summary.getInteger("tracks")).isEqualTo(2);
            int thread = summary.getInteger("mediaThread");
            assertThat(thread).isBetween(0, server.mediaPorts().size() - 1);
            assertThat(summary.getInteger("mediaPort")).isEqualTo(server.mediaPorts().get(thread));

            JsonObject a = participant(get("/admin/api/rooms/" + room), "alice");
            assertThat(a.getString("connectionState")).as("no ICE in this test").isIn("new", "checking");
            assertThat(a.getJsonObject("publisher").getString("state")).isEqualTo("new");
            JsonArray tracks = a.getJsonArray("tracks");
            assertThat(tracks).hasSize(2);
            JsonObject audio = tracks.getJsonObject(0);
            assertThat(audio.getString("kind")).isEqualTo("audio");
            assertThat(audio.getString("codec")).isEqualTo("opus/48000/2");
            assertThat(audio.getLong("ssrc")).isPositive();
            assertThat(tracks.getJsonObject(1).getString("codec")).isEqualTo("VP8/90000");
            assertThat(audio.getJsonArray("subscribers").getJsonObject(0).getString("participantId"))
                    .isEqualTo("bob");
            assertThat(a.getJsonObject("link").getValue("rttMillis")).as("not measured yet").isNull();
            assertThat(get("/admin/api/rooms/" + room + "/participants/bob").getString("name")).isEqualTo("bob");

            // Mute through the API: both the publisher and the others are told.
            String trackId = audio.getString("id");
            HttpResponse<String> muted = send("POST", "/admin/api/rooms/" + room + "/tracks/" + enc(trackId)
                    + "/mute", "{\"muted\":true}", ADMIN_SECRET);
            assertThat(muted.statusCode()).isEqualTo(200);
            assertThat(alice.next("trackMuted", 5).getBoolean("muted")).isTrue();
            assertThat(bob.next("trackMuted", 5).getString("trackId")).isEqualTo(trackId);
            assertThat(participant(get("/admin/api/rooms/" + room), "alice").getJsonArray("tracks")
                    .getJsonObject(0).getBoolean("muted")).isTrue();

            // Remove bob: told why, socket closed with 4002, alice sees the reason; again -> 404.
            HttpResponse<String> removed = send("DELETE", "/admin/api/rooms/" + room + "/participants/bob", null,
                    ADMIN_SECRET);
            assertThat(removed.statusCode()).isEqualTo(200);
            assertThat(bob.next("error", 5).getString("code")).isEqualTo("removed");
            JsonObject left = alice.next("participantLeft", 5);
            assertThat(left.getString("participantId")).isEqualTo("bob");
            assertThat(left.getString("reason")).isEqualTo("removed");
            awaitCloseCode(bob, 4004);
            HttpResponse<String> again = send("DELETE", "/admin/api/rooms/" + room + "/participants/bob", null,
                    ADMIN_SECRET);
            assertThat(again.statusCode()).isEqualTo(404);
            assertThat(new JsonObject(again.body()).getString("message")).contains("bob", room);
            assertThat(send("GET", "/admin/api/rooms/" + room + "/participants/bob", null, ADMIN_SECRET)
                    .statusCode()).isEqualTo(404);

            // Close the room: alice is told, the room is gone, and closing again is 404.
            assertThat(send("DELETE", "/admin/api/rooms/" + room, null, ADMIN_SECRET).statusCode()).isEqualTo(200);
            assertThat(alice.next("error", 5).getString("code")).isEqualTo("room_closed");
            awaitCloseCode(alice, 4005);
            assertThat(send("GET", "/admin/api/rooms/" + room, null, ADMIN_SECRET).statusCode()).isEqualTo(404);
            assertThat(send("DELETE", "/admin/api/rooms/" + room, null, ADMIN_SECRET).statusCode()).isEqualTo(404);
            assertThat(send("POST", "/admin/api/rooms/" + room + "/tracks/" + enc(trackId) + "/mute",
                    "{\"muted\":false}", ADMIN_SECRET).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void theCredentialGuardsTheRealNode() throws Exception {
        try (WsTestClient carol = WsTestClient.connect(server.httpPort(), token("adm-secret", "carol"))) {
            carol.next("welcome", 5);
            for (String credential : new String[] {null, "wrong", API_SECRET}) {
                for (String path : new String[] {"/admin/api/rooms", "/admin/api/rooms/adm-secret",
                        "/admin/api/events?room=adm-secret"}) {
                    HttpResponse<String> r = send("GET", path, null, credential);
                    assertThat(r.statusCode()).as("%s with %s", path, credential).isEqualTo(401);
                    assertThat(r.body()).doesNotContain("carol", "adm-secret");
                }
                HttpResponse<String> kick = send("DELETE", "/admin/api/rooms/adm-secret/participants/carol", null,
                        credential);
                assertThat(kick.statusCode()).isEqualTo(401);
            }
            carol.send(new JsonObject().put("type", "ping").put("requestId", "still-here"));
            assertThat(carol.next("pong", 5).getString("requestId")).isEqualTo("still-here");
        }
    }

    @Test
    void theEventStreamFollowsAJoin() throws Exception {
        String room = "adm-stream";
        try (WsTestClient dave = WsTestClient.connect(server.httpPort(), token(room, "dave"))) {
            dave.next("welcome", 5);
            String ticket = new JsonObject(send("POST", "/admin/api/events/ticket", "", ADMIN_SECRET).body())
                    .getString("ticket");
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base()
                    + "/admin/api/events?room=" + room + "&ticket=" + enc(ticket))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).isEqualTo(200);
            LinkedBlockingQueue<JsonObject> roomEvents = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> readRoomEvents(r.body(), roomEvents), "sse-reader");
            reader.setDaemon(true);
            reader.start();
            try {
                awaitRoomEvent(roomEvents, ids -> ids.equals("[dave]"));
                try (WsTestClient erin = WsTestClient.connect(server.httpPort(), token(room, "erin"))) {
                    erin.next("welcome", 5);
                    awaitRoomEvent(roomEvents, ids -> ids.equals("[dave, erin]"));
                }
                awaitRoomEvent(roomEvents, ids -> ids.equals("[dave]"));
            } finally {
                r.body().close();
            }
        }
    }

    @Test
    void metricsCountWhatHappenedAndTheNodeIsReady() throws Exception {
        String before = scrape();
        double joined = value(before, "prism_participants_joined_total");
        try (WsTestClient frank = WsTestClient.connect(server.httpPort(), token("adm-metrics", "frank"))) {
            frank.next("welcome", 5);
            frank.send(new JsonObject().put("type", "ping"));
            frank.next("pong", 5);
            frank.send(new JsonObject().put("type", "no-such-type"));
            frank.next("error", 5);
            String after = scrape();
            assertThat(value(after, "prism_participants_joined_total")).isEqualTo(joined + 1);
            assertThat(value(after, "prism_signaling_messages_total{type=\"ping\"}")).isGreaterThanOrEqualTo(1);
            assertThat(value(after, "prism_signaling_errors_total{code=\"unknown_type\"}")).isGreaterThanOrEqualTo(1);
            assertThat(after).doesNotContain("no-such-type", "frank", "adm-metrics");
            assertThat(after).contains("prism_media_packets_total{direction=\"in\"}",
                    "prism_media_drops_total{reason=\"srtp_auth_fail\"}", "prism_dtls_handshakes_total{result=\"ok\"}",
                    "prism_rtcp_pli_sent_total", "prism_participant_uplink_bitrate_bps_bucket",
                    "prism_bandwidth_estimate_bps_count", "prism_event_loop_lag_seconds", "jvm_memory_used_bytes",
                    "netty_allocator_memory_used", "netty_eventexecutor_tasks_pending", "process_cpu_usage");
        }
        HttpResponse<String> ready = send("GET", "/readyz", null, null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(ready.body()).getString("status")).isEqualTo("ready");
        assertThat(send("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static String token(String room, String identity) {
        TokenService ts = new TokenService(API_SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return ts.issue(new AccessToken(room, identity, identity, true, true, now, now + 600));
    }

    private static String base() {
        return "http://127.0.0.1:" + server.httpPort();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static JsonObject get(String path) throws Exception {
        HttpResponse<String> r = send("GET", path, null, ADMIN_SECRET);
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return new JsonObject(r.body());
    }

    private static JsonObject participant(JsonObject room, String id) {
        return room.getJsonArray("participants").stream().map(JsonObject.class::cast)
                .filter(p -> p.getString("id").equals(id)).findFirst().orElseThrow();
    }

    private static HttpResponse<String> send(String method, String path, String body, String secret)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (secret != null) {
            b.header("Authorization", "Bearer " + secret);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String scrape() throws Exception {
        HttpResponse<String> r = send("GET", "/metrics", null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The value of the sample line starting with {@code series} (name and labels), or fails. */
    static double value(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError("no series " + series));
    }

    private static void awaitCloseCode(WsTestClient c, int code) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (c.closeCode() != code && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // poll
        }
        assertThat(c.closeCode()).isEqualTo(code);
    }

    private static void readRoomEvents(InputStream body, LinkedBlockingQueue<JsonObject> out) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            boolean roomEvent = false;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("event: ")) {
                    roomEvent = line.equals("event: room");
                } else if (roomEvent && line.startsWith("data: ")) {
                    out.add(new JsonObject(line.substring(6)));
                }
            }
        } catch (java.io.IOException e) {
            // closed by the test
        }
    }

    /** Waits for a room event whose participant ids, as "[a, b]", match. */
    private static void awaitRoomEvent(LinkedBlockingQueue<JsonObject> events, Predicate<String> ids)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String last = null;
        while (System.nanoTime() < deadline) {
            JsonObject e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (e == null) {
                break;
            }
            last = e.getJsonArray("participants").stream().map(p -> ((JsonObject) p).getString("id")).toList()
                    .toString();
            if (ids.test(last)) {
                return;
            }
        }
        throw new AssertionError("no matching room event within 5 s; last participants " + last);
    }
}
