package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server API ({@code /api/v1}) against a real node: every endpoint with its bad-input cases, participants over real
 * WebSockets, and a live permission change (revoking publish unpublishes the participant's tracks for everyone).
 */
class ServerApiNodeTest {
    private static final String SECRET = "api-test-secret-api-test-secret-0123456";
    private static final String KEY1 = "rotated-key-one-rotated-key-one-0123456";
    private static PrismServer node;
    private static ApiHttp api;

    @BeforeAll
    static void start() {
        node = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(SECRET)
                .apiKeys(List.of("k1=" + KEY1)).build());
        api = new ApiHttp(node.httpPort(), adminToken(SECRET, null, 0, 600));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String adminToken(String secret, String kid, long ageSeconds, long ttlSeconds) {
        TokenService ts = kid == null ? new TokenService(secret, TokenService.SYSTEM_EPOCH_SECONDS)
                : TokenService.withKeyIds(Map.of(kid, secret), kid, TokenService.SYSTEM_EPOCH_SECONDS, 86_400);
        long now = ts.nowEpochSeconds() - ageSeconds;
        return ts.issueRoomAdmin("backend", now, now + ttlSeconds);
    }

    private static String participantToken(String room, String identity) {
        TokenService ts = new TokenService(SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return ts.issue(new AccessToken(room, identity, identity, true, true, now, now + 600));
    }

    private static WsTestClient join(String room, String identity) {
        WsTestClient c = WsTestClient.connect(node.httpPort(), participantToken(room, identity));
        c.next("welcome", 10);
        return c;
    }

    @Test
    void tokensAreCheckedFirstAndARefusedCallChangesNothing() {
        JsonObject create = new JsonObject().put("name", "auth-room");
        ApiHttp.Reply none = api.as(null).post("/rooms", create);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.message()).isEqualTo("token missing");
        assertThat(api.as("not.a.token").post("/rooms", create).message()).isEqualTo("malformed token");
        assertThat(api.as(adminToken(SECRET, null, 1000, 600)).post("/rooms", create).message())
                .isEqualTo("token expired");
        assertThat(api.as(adminToken("wrong-secret-wrong-secret-wrong-secret-01", null, 0, 600))
                .post("/rooms", create).message()).isEqualTo("bad token signature");
        assertThat(api.as(adminToken(KEY1, "k9", 0, 600)).post("/rooms", create).message())
                .isEqualTo("bad token signature");
        ApiHttp.Reply notAdmin = api.as(participantToken("auth-room", "alice")).post("/rooms", create);
        assertThat(notAdmin.status()).isEqualTo(403);
        assertThat(notAdmin.message()).isEqualTo("token does not grant roomAdmin");
        assertThat(api.get("/rooms/auth-room").status()).isEqualTo(404); // nothing was created

        // A rotated key named by kid works, as does the default key by its id.
        assertThat(api.as(adminToken(KEY1, "k1", 0, 600)).post("/rooms", create).status()).isEqualTo(201);
        assertThat(api.as(adminToken(SECRET, "default", 0, 600)).get("/rooms/auth-room").status()).isEqualTo(200);
        assertThat(node.serverApi().counters().requests("unauthenticated", "401")).isGreaterThanOrEqualTo(5);
        assertThat(node.serverApi().counters().requests("unauthenticated", "403")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void roomsAreCreatedListedReadAndDeletedWithBadInputRefused() {
        ApiHttp.Reply created = api.post("/rooms", new JsonObject().put("name", "opts").put("maxParticipants", 5)
                .put("emptyTimeout", 120).put("metadata", "{\"topic\":\"standup\"}"));
        assertThat(created.status()).as(created.body().encode()).isEqualTo(201);
        assertThat(created.body().getInteger("maxParticipants")).isEqualTo(5);
        assertThat(created.body().getInteger("emptyTimeout")).isEqualTo(120);
        assertThat(created.body().getBoolean("live")).isFalse();
        assertThat(api.post("/rooms", new JsonObject().put("name", "opts").put("maxParticipants", 6)).status())
                .isEqualTo(200); // existed: options replaced
        assertThat(api.get("/rooms/opts").body().getInteger("maxParticipants")).isEqualTo(6);
        assertThat(api.get("/rooms").body().getJsonArray("rooms").stream()
                .map(o -> ((JsonObject) o).getString("name"))).contains("opts");

        ApiHttp.Reply badJson = api.post("/rooms", "{\"name\": ");
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.error()).isEqualTo("bad_json");
        assertThat(api.post("/rooms", "[1,2]").error()).isEqualTo("bad_json");
        assertThat(api.post("/rooms", new JsonObject()).message()).contains("'name' is required");
        assertThat(api.post("/rooms", new JsonObject().put("name", "bad name!")).status()).isEqualTo(400);
        assertThat(api.post("/rooms", new JsonObject().put("name", "r").put("maxParticipants", -1)).message())
                .contains("'maxParticipants' must be a whole number");
        assertThat(api.post("/rooms", new JsonObject().put("name", "r").put("maxParticipants", 1.5)).status())
                .isEqualTo(400);
        assertThat(api.post("/rooms", new JsonObject().put("name", "r").put("emptyTimeout", "soon")).status())
                .isEqualTo(400);
        assertThat(api.post("/rooms", new JsonObject().put("name", "r").put("color", "red")).message())
                .contains("unknown field 'color'");
        assertThat(api.get("/rooms/r").status()).isEqualTo(404); // none of the bad creates created it

        assertThat(api.delete("/rooms/opts").status()).isEqualTo(200);
        assertThat(api.get("/rooms/opts").status()).isEqualTo(404);
        assertThat(api.delete("/rooms/opts").status()).isEqualTo(404);
        assertThat(api.get("/rooms/nowhere").error()).isEqualTo("not_found");
        assertThat(api.get("/nothing/here").status()).isEqualTo(404);
        assertThat(node.serverApi().counters().requests("rooms.create", "400")).isGreaterThanOrEqualTo(7);
    }

    @Test
    void aCreatedRoomsParticipantLimitIsEnforced() {
        assertThat(api.post("/rooms", new JsonObject().put("name", "small").put("maxParticipants", 1)).status())
                .isEqualTo(201);
        try (WsTestClient first = join("small", "first");
             WsTestClient second = WsTestClient.connect(node.httpPort(), participantToken("small", "second"))) {
            assertThat(second.next("error", 10).getString("code")).isEqualTo("room_full");
            assertThat(api.get("/rooms/small").body().getInteger("participants")).isEqualTo(1);
        }
    }

    @Test
    void participantsAreListedReadAndRemoved() {
        try (WsTestClient alice = join("people", "alice");
             WsTestClient bob = join("people", "bob")) {
            JsonArray list = api.get("/rooms/people/participants").body().getJsonArray("participants");
            assertThat(list.stream().map(o -> ((JsonObject) o).getString("identity"))).containsExactly("alice", "bob");
            JsonObject a = api.get("/rooms/people/participants/alice").body();
            assertThat(a.getJsonObject("permissions").getBoolean("canPublish")).isTrue();
            assertThat(a.getJsonObject("permissions").getBoolean("canData")).isTrue();
            assertThat(api.get("/rooms/people/participants/carol").status()).isEqualTo(404);
            assertThat(api.get("/rooms/ghosts/participants").status()).isEqualTo(404);
            assertThat(api.delete("/rooms/people/participants/carol").status()).isEqualTo(404);
            assertThat(api.get("/rooms/people").body().getInteger("participants")).isEqualTo(2);

            assertThat(api.delete("/rooms/people/participants/bob").status()).isEqualTo(200);
            assertThat(bob.next("error", 10).getString("code")).isEqualTo("removed");
            JsonObject left = alice.next("participantLeft", 10);
            assertThat(left.getString("participantId")).isEqualTo("bob");
            assertThat(left.getString("reason")).isEqualTo("removed");
        }
    }

    @Test
    void revokingPublishLiveUnpublishesTheTracksAndRefusesNewOffers() throws IOException {
        try (WsTestClient pub = join("live-grants", "pub");
             WsTestClient viewer = join("live-grants", "viewer")) {
            publish(pub);
            String trackId = viewer.next("trackPublished", 10).getJsonObject("track").getString("id");
            viewer.next("trackPublished", 10);

            ApiHttp.Reply muted = api.post("/rooms/live-grants/participants/pub/tracks/" + trackId + "/mute",
                    new JsonObject().put("muted", true));
            assertThat(muted.status()).isEqualTo(200);
            assertThat(viewer.next("trackMuted", 10).getBoolean("muted")).isTrue();
            assertThat(api.post("/rooms/live-grants/participants/pub/tracks/nope/mute",
                    new JsonObject().put("muted", true)).status()).isEqualTo(404);
            assertThat(api.post("/rooms/live-grants/participants/viewer/tracks/" + trackId + "/mute",
                    new JsonObject().put("muted", true)).status()).isEqualTo(404); // not viewer's track
            assertThat(api.post("/rooms/live-grants/participants/pub/tracks/" + trackId + "/mute",
                    new JsonObject().put("muted", "yes")).status()).isEqualTo(400);

            assertThat(api.patch("/rooms/live-grants/participants/pub", new JsonObject()
                    .put("permissions", new JsonObject().put("canFly", true))).status()).isEqualTo(400);
            assertThat(api.patch("/rooms/live-grants/participants/pub", new JsonObject()).status()).isEqualTo(400);
            assertThat(api.patch("/rooms/live-grants/participants/pub", new JsonObject()
                    .put("permissions", new JsonObject().put("canPublish", "no"))).status()).isEqualTo(400);
            assertThat(api.patch("/rooms/live-grants/participants/nobody", new JsonObject()
                    .put("metadata", "x")).status()).isEqualTo(404);

            ApiHttp.Reply revoked = api.patch("/rooms/live-grants/participants/pub", new JsonObject()
                    .put("permissions", new JsonObject().put("canPublish", false)).put("metadata", "{\"role\":\"x\"}"));
            assertThat(revoked.status()).isEqualTo(200);
            assertThat(revoked.body().getJsonObject("permissions").getBoolean("canPublish")).isFalse();
            assertThat(revoked.body().getJsonArray("tracks")).isEmpty();
            assertThat(revoked.body().getString("metadata")).isEqualTo("{\"role\":\"x\"}");
            // Everyone sees both tracks go; the publisher is told its grants and then cannot publish again.
            viewer.next("trackUnpublished", 10);
            viewer.next("trackUnpublished", 10);
            assertThat(viewer.next("participantMetadata", 10).getString("participantId")).isEqualTo("pub");
            assertThat(pub.next("permissionsChanged", 10).getJsonObject("permissions").getBoolean("canPublish"))
                    .isFalse();
            publishRefused(pub);
            assertThat(api.get("/rooms/live-grants/participants/pub").body().getJsonArray("tracks")).isEmpty();

            // Given back: a new offer publishes again.
            assertThat(api.patch("/rooms/live-grants/participants/pub", new JsonObject()
                    .put("permissions", new JsonObject().put("canPublish", true))).status()).isEqualTo(200);
            publish(pub);
            assertThat(viewer.next("trackPublished", 10)).isNotNull();
        }
    }

    @Test
    void theServerSendsDataMessagesToARoomOrToNamedParticipants() {
        try (WsTestClient alice = join("server-data", "alice");
             WsTestClient bob = join("server-data", "bob")) {
            ApiHttp.Reply all = api.post("/rooms/server-data/data", new JsonObject()
                    .put("payload", new JsonObject().put("text", "hello")));
            assertThat(all.body().getInteger("delivered")).isEqualTo(2);
            JsonObject got = alice.next("data", 10);
            assertThat(got.getBoolean("server")).isTrue();
            assertThat(got.getString("from")).isNull();
            assertThat(got.getJsonObject("payload").getString("text")).isEqualTo("hello");
            bob.next("data", 10);

            ApiHttp.Reply some = api.post("/rooms/server-data/data", new JsonObject().put("payload", "to bob")
                    .put("to", new JsonArray().add("bob").add("zed")));
            assertThat(some.body().getInteger("delivered")).isEqualTo(1);
            assertThat(some.body().getJsonArray("unknown")).containsExactly("zed");
            assertThat(bob.next("data", 10).getString("payload")).isEqualTo("to bob");
            assertThat(alice.quietFor(300)).noneMatch(m -> "data".equals(m.getString("type")));

            ApiHttp.Reply big = api.post("/rooms/server-data/data", new JsonObject().put("payload", "x".repeat(17_000)));
            assertThat(big.status()).isEqualTo(413);
            assertThat(big.error()).isEqualTo("data_too_large");
            assertThat(api.post("/rooms/server-data/data", new JsonObject()).status()).isEqualTo(400);
            assertThat(api.post("/rooms/server-data/data", new JsonObject().put("payload", "x").put("to", "bob"))
                    .status()).isEqualTo(400);
            assertThat(api.post("/rooms/empty-room/data", new JsonObject().put("payload", "x")).status())
                    .isEqualTo(404);
        }
    }

    private static void publish(WsTestClient c) throws IOException {
        c.send(new JsonObject().put("type", "publishOffer").put("requestId", "p")
                .put("sdp", SignalingBadInputTest.resource("/sdp/chrome-publish-offer-plain.sdp")));
        c.next("publishAnswer", 10);
    }

    private static void publishRefused(WsTestClient c) throws IOException {
        c.send(new JsonObject().put("type", "publishOffer").put("requestId", "again")
                .put("sdp", SignalingBadInputTest.resource("/sdp/chrome-publish-offer-plain.sdp")));
        assertThat(c.next("error", 10).getString("code")).isEqualTo("not_allowed");
    }
}
