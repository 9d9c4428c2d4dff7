package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.cluster.link.LinkMetrics;
import dev.prism.cluster.link.LinkSettings;
import dev.prism.conference.ActiveSpeakers;
import dev.prism.conference.SpeakerDetector;
import dev.prism.core.config.PrismConfig;
import dev.prism.server.link.ClusterLinks;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import dev.prism.signaling.route.Route;
import dev.prism.signaling.session.ParticipantSession;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server-to-client messages added after the session proxy (speakers, publisherLayers, data, dataAck, the server
 * API's notices) and the client-to-server ones that drive them (sendData, trackPreferences) reach and come from a
 * participant whose WebSocket landed on a node that does not own its room. Two whole nodes in one JVM with their
 * {@link ClusterLinks} on loopback and a static routing, as in {@link ClusterProxyTest}: every room runs on B; a
 * client connected to A is proxied to B. The owner runs the same {@link ParticipantSession} for a proxied participant
 * as for a local one (its socket is the link channel) and the edge relays text without reading it, so each message
 * here is the single node's, proven to cross the proxy.
 */
class ClusterProxyEventsTest {
    private static final String API_SECRET = "proxy-events-api-secret-0123456789abcd";
    private static final String CLUSTER_SECRET = "proxy-events-cluster-secret-01234";

    private static PrismServer a;
    private static PrismServer b;
    private static Vertx vertx;
    private static ClusterLinks linksA;
    private static ClusterLinks linksB;
    private static ApiHttp apiAtOwner;
    private static final LinkMetrics METRICS_A = new LinkMetrics();
    private static final LinkMetrics METRICS_B = new LinkMetrics();

    @BeforeAll
    static void start() throws Exception {
        a = node();
        b = node();
        vertx = Vertx.vertx();
        linksA = ClusterLinks.start(vertx, "node-a", CLUSTER_SECRET, "127.0.0.1", 0, a.sfu().proxiedSessionAcceptor(),
                METRICS_A, LinkSettings.DEFAULTS).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        linksB = ClusterLinks.start(vertx, "node-b", CLUSTER_SECRET, "127.0.0.1", 0, b.sfu().proxiedSessionAcceptor(),
                METRICS_B, LinkSettings.DEFAULTS).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        a.sfu().useRouting(room -> CompletableFuture.completedFuture(
                new Route.Remote("node-b", linksB.linkAddress())), (owner, request) ->
                linksA.remoteSessions().open(owner, request));
        b.sfu().useRouting(room -> CompletableFuture.completedFuture(Route.LOCAL), (owner, request) ->
                linksB.remoteSessions().open(owner, request));
        TokenService ts = new TokenService(API_SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        apiAtOwner = new ApiHttp(b.httpPort(), ts.issueRoomAdmin("backend", now, now + 600));
    }

    @AfterAll
    static void stop() throws Exception {
        linksA.close();
        linksB.close();
        a.close();
        b.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static PrismServer node() {
        return PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(API_SECRET).build());
    }

    private static WsTestClient join(PrismServer at, String room, String identity) {
        TokenService ts = new TokenService(API_SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return WsTestClient.connect(at.httpPort(), ts.issue(new AccessToken(room, identity, identity, true, true,
                now, now + 600)));
    }

    /** Joins through A, the edge (each test checks the room then exists at B only). */
    private static WsTestClient joinProxied(String room, String identity) {
        return join(a, room, identity);
    }

    private static void assertRoomAtOwnerOnly(String room) {
        assertThat(b.inspector().rooms().join()).anyMatch(r -> r.id().equals(room));
        assertThat(a.inspector().rooms().join()).noneMatch(r -> r.id().equals(room));
    }

    @Test
    void dataMessagesCrossTheProxyBothWaysWithTheirAcks() {
        try (WsTestClient alice = joinProxied("data-room", "alice");
             WsTestClient bob = join(b, "data-room", "bob")) {
            alice.next("welcome", 10);
            bob.next("welcome", 10);
            assertRoomAtOwnerOnly("data-room");

            alice.send(new JsonObject().put("type", "sendData").put("requestId", "a1")
                    .put("payload", new JsonObject().put("emoji", "wave")).put("to", new JsonArray().add("bob")));
            JsonObject ack = alice.next("dataAck", 10);
            assertThat(ack.getString("requestId")).isEqualTo("a1");
            assertThat(ack.getInteger("delivered")).isEqualTo(1);
            JsonObject atBob = bob.next("data", 10);
            assertThat(atBob.getString("from")).isEqualTo("alice");
            assertThat(atBob.getJsonObject("payload").getString("emoji")).isEqualTo("wave");

            for (int i = 0; i < 20; i++) {
                bob.send(new JsonObject().put("type", "sendData").put("payload", new JsonObject().put("n", i)));
            }
            for (int i = 0; i < 20; i++) {
                JsonObject m = alice.next("data", 10);
                assertThat(m.getString("from")).isEqualTo("bob");
                assertThat(m.getJsonObject("payload").getInteger("n")).isEqualTo(i);
            }

            alice.send(new JsonObject().put("type", "sendData").put("requestId", "big")
                    .put("payload", "x".repeat(20_000)));
            JsonObject refused = alice.next("error", 10);
            assertThat(refused.getString("code")).isEqualTo("data_too_large");
            assertThat(refused.getString("requestId")).isEqualTo("big");
        }
    }

    @Test
    void theServerApisNoticesReachAProxiedParticipant() {
        try (WsTestClient alice = joinProxied("notices", "alice");
             WsTestClient bob = join(b, "notices", "bob")) {
            alice.next("welcome", 10);
            bob.next("welcome", 10);
            assertRoomAtOwnerOnly("notices");

            assertThat(apiAtOwner.post("/rooms/notices/data", new JsonObject().put("payload", "5 minutes left"))
                    .status()).isEqualTo(200);
            JsonObject fromServer = alice.next("data", 10);
            assertThat(fromServer.getBoolean("server")).isTrue();
            assertThat(fromServer.getString("payload")).isEqualTo("5 minutes left");

            assertThat(apiAtOwner.patch("/rooms/notices/participants/alice", new JsonObject()
                    .put("permissions", new JsonObject().put("canData", false)).put("metadata", "{\"role\":\"x\"}"))
                    .status()).isEqualTo(200);
            assertThat(alice.next("permissionsChanged", 10).getJsonObject("permissions").getBoolean("canData"))
                    .isFalse();
            JsonObject meta = alice.next("participantMetadata", 10);
            assertThat(meta.getString("participantId")).isEqualTo("alice");
            assertThat(meta.getString("metadata")).isEqualTo("{\"role\":\"x\"}");
            alice.send(new JsonObject().put("type", "sendData").put("requestId", "n1").put("payload", "hi"));
            assertThat(alice.next("error", 10).getString("code")).isEqualTo("not_allowed");

            assertThat(apiAtOwner.post("/rooms", new JsonObject().put("name", "notices").put("metadata", "topic"))
                    .status()).isIn(200, 201);
            assertThat(alice.next("roomMetadata", 10).getString("metadata")).isEqualTo("topic");
        }
    }

    @Test
    void aProxiedPublisherHearsPublisherLayersDrivenByALocalSubscriber() throws IOException {
        try (WsTestClient alice = joinProxied("dyn-pub", "alice");
             WsTestClient bob = join(b, "dyn-pub", "bob")) {
            alice.next("welcome", 10);
            bob.next("welcome", 10);
            String trackId = publishSimulcast(alice, bob);
            pauseThenResume(bob, alice, trackId);
            assertRoomAtOwnerOnly("dyn-pub");
        }
    }

    @Test
    void aProxiedSubscribersTrackPreferencesDrivePublisherLayersAtALocalPublisher() throws IOException {
        try (WsTestClient alice = join(b, "dyn-sub", "alice");
             WsTestClient bob = joinProxied("dyn-sub", "bob")) {
            alice.next("welcome", 10);
            bob.next("welcome", 10);
            String trackId = publishSimulcast(alice, bob);
            pauseThenResume(bob, alice, trackId);
            assertRoomAtOwnerOnly("dyn-sub");
        }
    }

    /**
     * Speakers at the listener level: the conference tells the owner's session of the proxied participant (the
     * {@link ParticipantSession} found by its resume token at B: a real level-driven update needs RTP with the audio
     * level extension over ICE/DTLS/SRTP, which these tests have no client for; RoomSpeakersTest and
     * ActiveSpeakerBrowserTest cover the detection) and the client at A receives {@code speakers}.
     */
    @Test
    void aProxiedParticipantReceivesSpeakers() {
        try (WsTestClient alice = joinProxied("speak", "alice");
             WsTestClient bob = join(b, "speak", "bob")) {
            String resumeToken = alice.next("welcome", 10).getString("resumeToken");
            bob.next("welcome", 10);
            ParticipantSession atOwner = b.sfu().resumable(resumeToken);
            assertThat(atOwner).as("alice's session runs at the owner").isNotNull();
            assertThat(a.sfu().resumable(resumeToken)).as("and not at the edge").isNull();

            atOwner.onSpeakers(new ActiveSpeakers(List.of(new SpeakerDetector.Speaker("bob", 0.5)), "bob"));
            JsonObject speakers = alice.next("speakers", 10);
            assertThat(speakers.getString("dominant")).isEqualTo("bob");
            assertThat(speakers.getJsonArray("speakers").getJsonObject(0).getString("participantId"))
                    .isEqualTo("bob");
            assertThat(speakers.getJsonArray("speakers").getJsonObject(0).getDouble("level")).isEqualTo(0.5);
        }
    }

    /**
     * The edge relays any message type, including ones it has never heard of: a message a future feature sends
     * through the owner's session needs no proxy change.
     */
    @Test
    void aMessageTypeTheEdgeDoesNotKnowReachesTheProxiedClientUnchanged() {
        try (WsTestClient alice = joinProxied("future", "alice")) {
            alice.next("welcome", 10);
            JsonObject future = new JsonObject().put("type", "someFutureMessage")
                    .put("nested", new JsonObject().put("n", 1).put("text", "é ✓ \"quoted\""));
            assertThat(b.sfu().roomSessions().send("future", "alice", future)).isTrue();
            assertThat(alice.next("someFutureMessage", 10)).isEqualTo(future);
        }
    }

    /**
     * A server message longer than a link frame (512 KiB), as a {@code state} or subscriber offer of a very large room
     * would be: it reaches the proxied client whole and in order, and the link (shared with another proxied session)
     * stays up. Before the link split long messages, the edge closed the whole connection on the oversize frame and
     * every session proxied over it got 4013.
     */
    @Test
    void aServerMessageLongerThanALinkFrameReachesAProxiedClientAndTheLinkStaysUp() {
        try (WsTestClient alice = joinProxied("long", "alice");
             WsTestClient carol = joinProxied("long", "carol")) {
            alice.next("welcome", 10);
            carol.next("welcome", 10);
            long lostBefore = METRICS_A.connectionsLost() + METRICS_B.connectionsLost();
            long splitBefore = METRICS_B.messagesSplit();
            JsonArray participants = new JsonArray();
            for (int i = 0, chars = 0; chars < 1_200_000; i++) {
                JsonObject p = new JsonObject().put("participantId", "p" + i).put("name", "Participant é€ " + i)
                        .put("metadata", "{\"seat\":" + i + "}");
                participants.add(p);
                chars += p.encode().length() + 1;
            }
            JsonObject big = new JsonObject().put("type", "bigState").put("participants", participants);
            assertThat(big.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                    .isGreaterThan(2 * LinkSettings.DEFAULTS.maxFrameBytes());

            var sessions = b.sfu().roomSessions();
            assertThat(sessions.send("long", "alice", new JsonObject().put("type", "marker").put("n", 1))).isTrue();
            assertThat(sessions.send("long", "alice", big)).isTrue();
            assertThat(sessions.send("long", "carol", new JsonObject().put("type", "marker").put("n", 3))).isTrue();
            assertThat(sessions.send("long", "alice", new JsonObject().put("type", "marker").put("n", 2))).isTrue();

            assertThat(carol.next("marker", 10).getInteger("n")).isEqualTo(3);
            assertThat(alice.next("marker", 10).getInteger("n")).isEqualTo(1);
            assertThat(alice.next("bigState", 20)).isEqualTo(big);
            assertThat(alice.next("marker", 10).getInteger("n")).isEqualTo(2);
            assertThat(alice.ended()).isFalse();
            assertThat(carol.ended()).isFalse();
            assertThat(METRICS_B.messagesSplit() - splitBefore).isEqualTo(1);
            assertThat(METRICS_A.connectionsLost() + METRICS_B.connectionsLost()).isEqualTo(lostBefore);

            // both sessions still talk over the same link
            alice.send(new JsonObject().put("type", "sendData").put("requestId", "after").put("payload", "hi"));
            assertThat(alice.next("dataAck", 10).getString("requestId")).isEqualTo("after");
            assertThat(carol.next("data", 10).getString("payload")).isEqualTo("hi");
        }
    }

    private static String publishSimulcast(WsTestClient publisher, WsTestClient subscriber) throws IOException {
        publisher.send(new JsonObject().put("type", "publishOffer").put("requestId", "1")
                .put("sdp", SignalingBadInputTest.resource("/sdp/chrome-publish-offer-simulcast.sdp")));
        assertThat(publisher.next("publishAnswer", 10).getString("sdp")).contains("a=simulcast:recv q;h;f");
        for (int i = 0; i < 4; i++) {
            JsonObject t = subscriber.next("trackPublished", 10).getJsonObject("track");
            if ("video".equals(t.getString("kind"))) {
                return t.getString("id");
            }
        }
        throw new AssertionError("no video track published");
    }

    /** The subscriber pauses the track (the publisher hears only {@code q}), then resumes it (every rid). */
    private static void pauseThenResume(WsTestClient subscriber, WsTestClient publisher, String trackId) {
        subscriber.send(new JsonObject().put("type", "trackPreferences").put("requestId", "2")
                .put("trackId", trackId).put("paused", true));
        assertThat(subscriber.next("trackPreferencesAck", 10).getBoolean("paused")).isTrue();
        JsonObject off = publisher.next("publisherLayers", 15);
        assertThat(off.getString("trackId")).isEqualTo(trackId);
        assertThat(off.getJsonArray("active")).containsExactly("q");

        subscriber.send(new JsonObject().put("type", "trackPreferences").put("requestId", "3")
                .put("trackId", trackId).put("paused", false));
        assertThat(subscriber.next("trackPreferencesAck", 10).getBoolean("paused")).isFalse();
        assertThat(publisher.next("publisherLayers", 15).getJsonArray("active")).containsExactly("q", "h", "f");
    }
}
