package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.core.room.TrackSource;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenGrants;
import dev.prism.signaling.auth.TokenService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The token grants and room limits of docs/PROTOCOL.md against a real node over real WebSockets: a source the token
 * does not grant (also after the server API grants publishing live), a hidden participant, the publisher limit (node
 * setting and token claim), a grant of the wrong type.
 */
class GrantsLimitsSignalingTest {
    private static final String SECRET = "test-secret-test-secret-test-secret-0123";
    private static PrismServer server;

    @BeforeAll
    static void start() {
        server = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(SECRET)
                .maxPublishersPerRoom(2).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String token(String room, String identity, UnaryOperator<TokenGrants> grants) {
        TokenService ts = new TokenService(SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return ts.issue(AccessToken.grant(room, identity, identity, now, 600)
                .withGrants(grants.apply(TokenGrants.DEFAULT)));
    }

    private static String token(String room, String identity) {
        return token(room, identity, g -> g);
    }

    private static void sendPublish(WsTestClient c, String requestId) throws IOException {
        c.send(new JsonObject().put("type", "publishOffer").put("requestId", requestId)
                .put("sdp", SignalingBadInputTest.resource("/sdp/chrome-publish-offer-plain.sdp"))
                .put("tracks", new JsonArray().add(new JsonObject().put("mid", "0").put("source", "microphone"))
                        .add(new JsonObject().put("mid", "1").put("source", "camera"))));
    }

    private static boolean any(List<JsonObject> msgs, String type) {
        return msgs.stream().anyMatch(m -> type.equals(m.getString("type")));
    }

    @Test
    void aSourceTheTokenDoesNotGrantIsRefusedAndNothingIsPublished() throws IOException {
        long before = server.sfu().counters().errors("not_allowed");
        try (WsTestClient watcher = WsTestClient.connect(server.httpPort(), token("src", "watcher"));
             WsTestClient mic = WsTestClient.connect(server.httpPort(), token("src", "mic-only",
                     g -> g.withSources(Set.of(TrackSource.MICROPHONE))))) {
            watcher.next("welcome", 5);
            JsonObject welcome = mic.next("welcome", 5);
            assertThat(welcome.getJsonObject("grants").getJsonArray("sources")).containsExactly("microphone");
            sendPublish(mic, "p1"); // microphone and camera: the camera is not granted
            JsonObject error = mic.next("error", 5);
            assertThat(error.getString("code")).isEqualTo("not_allowed");
            assertThat(error.getString("message")).contains("'camera'").contains("granted: microphone");
            assertThat(error.getString("requestId")).isEqualTo("p1");
            List<JsonObject> later = watcher.quietFor(500);
            assertThat(any(later, "trackPublished")).isFalse();
            assertThat(any(later, "subscriberOffer")).isFalse();
            assertThat(server.sfu().counters().errors("not_allowed")).isEqualTo(before + 1);
            // the session is still usable
            mic.send(new JsonObject().put("type", "ping").put("requestId", "alive"));
            assertThat(mic.next("pong", 5).getString("requestId")).isEqualTo("alive");
        }
    }

    @Test
    void aHiddenParticipantIsSeenByNobodyButReceivesAndMayNotPublish() throws IOException {
        try (WsTestClient alice = WsTestClient.connect(server.httpPort(), token("hidden", "alice"))) {
            alice.next("welcome", 5);
            try (WsTestClient rec = WsTestClient.connect(server.httpPort(), token("hidden", "recorder",
                    g -> g.withHidden(true)))) {
                JsonObject welcome = rec.next("welcome", 5);
                assertThat(welcome.getJsonObject("grants").getBoolean("hidden")).isTrue();
                assertThat(welcome.getJsonObject("room").getJsonArray("participants").stream()
                        .map(p -> ((JsonObject) p).getString("id")).toList()).containsExactly("alice");
                sendPublish(alice, "a1");
                alice.next("publishAnswer", 5);
                // the recorder receives alice's tracks
                assertThat(rec.next("subscriberOffer", 5).getJsonArray("tracks")).isNotEmpty();
                // ...but may not publish
                sendPublish(rec, "r1");
                JsonObject error = rec.next("error", 5);
                assertThat(error.getString("code")).isEqualTo("not_allowed");
                assertThat(error.getString("message")).contains("hidden");
                // alice's room state does not list it
                alice.send(new JsonObject().put("type", "getState").put("requestId", "s"));
                JsonObject state = alice.next("state", 5);
                assertThat(state.getJsonObject("room").getJsonArray("participants").stream()
                        .map(p -> ((JsonObject) p).getString("id")).toList()).containsExactly("alice");
            }
            // neither its joining nor its leaving reached alice
            alice.quietFor(500);
            assertThat(alice.seen()).noneMatch(m -> "participantJoined".equals(m.getString("type"))
                    || "participantLeft".equals(m.getString("type")));
        }
    }

    @Test
    void aLivePublishGrantKeepsTheTokensSourcesAndWelcomeShowsTheOneDataGrant() throws IOException {
        TokenService ts = new TokenService(SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        String viewerToken = ts.issue(new AccessToken("live", "viewer", "viewer", false, true, now, now + 600, null,
                false, null, TokenGrants.DEFAULT.withSources(Set.of(TrackSource.MICROPHONE))));
        ApiHttp api = new ApiHttp(server.httpPort(), ts.issueRoomAdmin("backend", now, now + 600));
        try (WsTestClient viewer = WsTestClient.connect(server.httpPort(), viewerToken)) {
            JsonObject grants = viewer.next("welcome", 5).getJsonObject("grants");
            assertThat(grants.getBoolean("canPublish")).isFalse();
            assertThat(grants.getBoolean("canData")).isFalse();
            assertThat(grants.containsKey("data")).isFalse();
            sendPublish(viewer, "v1");
            assertThat(viewer.next("error", 5).getString("message")).isEqualTo("this token does not grant publishing");

            ApiHttp.Reply granted = api.patch("/rooms/live/participants/viewer",
                    new JsonObject().put("permissions", new JsonObject().put("canPublish", true)));
            assertThat(granted.status()).as(granted.body().encode()).isEqualTo(200);
            JsonObject changed = viewer.next("permissionsChanged", 5).getJsonObject("permissions");
            assertThat(changed.getBoolean("canPublish")).isTrue();
            assertThat(changed.getBoolean("canData")).isFalse();
            sendPublish(viewer, "v2"); // microphone and camera: publishing is granted now, the camera still is not
            JsonObject error = viewer.next("error", 5);
            assertThat(error.getString("code")).isEqualTo("not_allowed");
            assertThat(error.getString("message")).contains("'camera'").contains("granted: microphone");
        }
    }

    @Test
    void aPublishBeyondTheRoomsPublisherLimitIsRefused() throws IOException {
        long before = server.sfu().counters().errors("publishers_full");
        try (WsTestClient a = WsTestClient.connect(server.httpPort(), token("pubs", "a"));
             WsTestClient b = WsTestClient.connect(server.httpPort(), token("pubs", "b"));
             WsTestClient c = WsTestClient.connect(server.httpPort(), token("pubs", "c"))) {
            a.next("welcome", 5);
            b.next("welcome", 5);
            c.next("welcome", 5);
            sendPublish(a, "a");
            a.next("publishAnswer", 5);
            sendPublish(b, "b");
            b.next("publishAnswer", 5);
            sendPublish(c, "c"); // the node allows 2
            JsonObject error = c.next("error", 5);
            assertThat(error.getString("code")).isEqualTo("publishers_full");
            assertThat(error.getString("message")).contains("2 publishers");
            assertThat(server.sfu().counters().errors("publishers_full")).isEqualTo(before + 1);
            a.quietFor(300);
            assertThat(a.seen()).as("c published nothing").noneMatch(m -> "trackPublished".equals(m.getString("type"))
                    && "c".equals(m.getJsonObject("track").getString("participantId")));
            // once a publisher leaves, there is room again
            a.send(new JsonObject().put("type", "leave"));
            c.next("participantLeft", 5);
            sendPublish(c, "c2");
            assertThat(c.next("publishAnswer", 5).getString("requestId")).isEqualTo("c2");
        }
    }

    @Test
    void theTokenOfTheJoinThatCreatesTheRoomCanLowerItsPublisherLimit() throws IOException {
        try (WsTestClient a = WsTestClient.connect(server.httpPort(), token("solo", "a",
                g -> g.withRoomMaxPublishers(1)));
             WsTestClient b = WsTestClient.connect(server.httpPort(), token("solo", "b",
                     g -> g.withRoomMaxPublishers(5)))) { // the room exists: its limit stays 1
            a.next("welcome", 5);
            b.next("welcome", 5);
            sendPublish(a, "a");
            a.next("publishAnswer", 5);
            sendPublish(b, "b");
            assertThat(b.next("error", 5).getString("code")).isEqualTo("publishers_full");
        }
    }

    @Test
    void aGrantOfTheWrongTypeRefusesTheHandshakeWithTheReason() {
        long now = System.currentTimeMillis() / 1000;
        String jwt = sign("{\"room\":\"r\",\"sub\":\"x\",\"iat\":" + now + ",\"exp\":" + (now + 600)
                + ",\"maxVideo\":{\"height\":\"360\"}}");
        WsTestClient.Refusal r = WsTestClient.connectRefused(server.httpPort(), jwt);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("token maxVideo.height and maxBitrate must be positive integers");
        String sources = sign("{\"room\":\"r\",\"sub\":\"x\",\"iat\":" + now + ",\"exp\":" + (now + 600)
                + ",\"sources\":[\"webcam\"]}");
        assertThat(WsTestClient.connectRefused(server.httpPort(), sources).body())
                .isEqualTo("token sources must be a list of microphone, camera, screen, screen_audio");
    }

    @Test
    void theDevTokenEndpointGrantsACapAndHiddenAndRefusesBadValues() throws Exception {
        try (PrismServer dev = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").build())) {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + dev.httpPort() + "/api/dev-token?room=a&name=b";
            for (String bad : List.of("&maxHeight=0", "&maxHeight=abc", "&maxHeight=5000", "&hidden=yes")) {
                var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + bad)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(bad).isEqualTo(400);
            }
            var ok = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base
                    + "&maxHeight=360&hidden=1")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            String jwt = new JsonObject(ok.body()).getString("token");
            JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                    StandardCharsets.UTF_8));
            assertThat(claims.getJsonObject("maxVideo").getInteger("height")).isEqualTo(360);
            assertThat(claims.getBoolean("hidden")).isTrue();
        }
    }

    private static String sign(String payload) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
