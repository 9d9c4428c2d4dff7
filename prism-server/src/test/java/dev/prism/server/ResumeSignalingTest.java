package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Leaving and coming back, over real WebSockets against the real server: a socket that dies is kept for the resume
 * window and a resume within it is invisible to everyone else; a clean close (a reload) leaves at once; an unanswered
 * subscriber offer is sent again after a resume; ICE restart and media repair requests are answered.
 */
class ResumeSignalingTest {
    private static final String SECRET = "resume-secret-resume-secret-resume-0123";
    /** Short, so that the expiry is observable in a unit test. */
    private static final int WINDOW_SECONDS = 2;
    /** What other participants must not see while someone drops and resumes. */
    private static final Set<String> VISIBLE = Set.of("participantLeft", "participantJoined", "trackUnpublished",
            "trackPublished", "subscriberOffer");
    private static PrismServer server;

    @BeforeAll
    static void start() {
        server = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(SECRET)
                .resumeWindowSeconds(WINDOW_SECONDS).build());
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

    private static WsTestClient join(String room, String identity) {
        return WsTestClient.connect(server.httpPort(), token(room, identity));
    }

    private static String sdp(String name) {
        try (InputStream in = ResumeSignalingTest.class.getResourceAsStream("/sdp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Publishes Chrome's captured audio+video offer; returns the answer. */
    private static JsonObject publish(WsTestClient c) {
        c.send(new JsonObject().put("type", "publishOffer").put("requestId", "p1")
                .put("sdp", sdp("chrome-publish-offer-plain.sdp"))
                .put("tracks", new JsonArray().add(new JsonObject().put("mid", "0").put("source", "microphone"))
                        .add(new JsonObject().put("mid", "1").put("source", "camera"))));
        return c.next("publishAnswer", 5);
    }

    private static List<String> types(List<JsonObject> messages) {
        return messages.stream().map(m -> m.getString("type")).toList();
    }

    @Test
    void aDroppedSocketIsKeptForTheResumeWindowThenToldToOthers() {
        try (WsTestClient stays = join("drop", "stays")) {
            stays.next("welcome", 5);
            WsTestClient goes = join("drop", "goes");
            JsonObject welcome = goes.next("welcome", 5);
            assertThat(welcome.getString("resumeToken")).hasSizeGreaterThan(16);
            assertThat(welcome.getLong("resumeWindowMs")).isEqualTo(WINDOW_SECONDS * 1000L);
            assertThat(welcome.getBoolean("resumed")).isFalse();
            stays.next("participantJoined", 5);
            goes.abort(); // no close frame: the network died
            assertThat(types(stays.quietFor(WINDOW_SECONDS * 1000L / 2))).doesNotContain("participantLeft");
            JsonObject left = stays.next("participantLeft", WINDOW_SECONDS + 3);
            assertThat(left.getString("participantId")).isEqualTo("goes");
            assertThat(left.getString("reason")).isEqualTo("disconnected");
        }
    }

    @Test
    void aResumeWithinTheWindowKeepsIdentityAndTracksAndNobodyElseNotices() {
        try (WsTestClient watcher = join("resume", "watcher")) {
            watcher.next("welcome", 5);
            WsTestClient first = join("resume", "pub");
            String resumeToken = first.next("welcome", 5).getString("resumeToken");
            publish(first);
            watcher.next("subscriberOffer", 5);
            watcher.quietFor(300);

            first.abort();
            watcher.quietFor(300);
            try (WsTestClient again = WsTestClient.connectQuery(server.httpPort(), "resume=" + resumeToken)) {
                JsonObject welcome = again.next("welcome", 5);
                assertThat(welcome.getBoolean("resumed")).isTrue();
                assertThat(welcome.getJsonObject("participant").getString("id")).isEqualTo("pub");
                assertThat(welcome.getJsonObject("participant").getJsonArray("tracks")).hasSize(2);
                assertThat(welcome.getString("resumeToken")).as("a fresh token").isNotEqualTo(resumeToken);
                // Past the end of the window: the resumed participant is still there, and the watcher saw nothing.
                List<JsonObject> seen = watcher.quietFor(WINDOW_SECONDS * 1000L + 500);
                assertThat(types(seen)).doesNotContainAnyElementsOf(VISIBLE);
                watcher.send(new JsonObject().put("type", "getState"));
                JsonArray people = watcher.next("state", 5).getJsonObject("room").getJsonArray("participants");
                assertThat(people).hasSize(2);
                again.send(new JsonObject().put("type", "ping").put("requestId", "x"));
                assertThat(again.next("pong", 5).getString("requestId")).isEqualTo("x");
            }
            // The spent token does not work twice; without an access token that is a refusal.
            WsTestClient.Refusal refused = WsTestClient.connectQueryRefused(server.httpPort(), "resume=" + resumeToken);
            assertThat(refused.status()).isEqualTo(401);
        }
    }

    @Test
    void anUnansweredSubscriberOfferIsSentAgainOnResume() {
        try (WsTestClient pub = join("reoffer", "pub")) {
            pub.next("welcome", 5);
            WsTestClient sub = join("reoffer", "sub");
            String resumeToken = sub.next("welcome", 5).getString("resumeToken");
            publish(pub);
            JsonObject offer = sub.next("subscriberOffer", 5);
            sub.abort(); // the answer never goes out
            try (WsTestClient again = WsTestClient.connectQuery(server.httpPort(), "resume=" + resumeToken)) {
                JsonObject welcome = again.next("welcome", 5);
                assertThat(welcome.getJsonArray("subscriptions")).hasSize(2);
                JsonObject resent = again.next("subscriberOffer", 5);
                assertThat(resent.getInteger("version")).isEqualTo(offer.getInteger("version"));
                assertThat(resent.getString("sdp")).isEqualTo(offer.getString("sdp"));
            }
        }
    }

    @Test
    void anUnknownResumeTokenWithAnAccessTokenIsAPlainJoin() {
        try (WsTestClient c = WsTestClient.connectQuery(server.httpPort(),
                "token=" + token("plain", "p") + "&resume=not-a-token")) {
            JsonObject welcome = c.next("welcome", 5);
            assertThat(welcome.getBoolean("resumed")).isFalse();
            assertThat(welcome.getJsonObject("participant").getString("id")).isEqualTo("p");
        }
    }

    @Test
    void aPageReloadLeavesAtOnceSoNoGhostRemains() {
        try (WsTestClient stays = join("reload", "stays")) {
            stays.next("welcome", 5);
            WsTestClient reloads = join("reload", "reloads");
            reloads.next("welcome", 5);
            stays.next("participantJoined", 5);
            long start = System.nanoTime();
            reloads.closeWith(1001); // what a browser sends when the page goes away
            JsonObject left = stays.next("participantLeft", 5);
            assertThat(left.getString("participantId")).isEqualTo("reloads");
            assertThat((System.nanoTime() - start) / 1_000_000).as("well before the resume window")
                    .isLessThan(WINDOW_SECONDS * 1000L);
        }
    }

    @Test
    void iceRestartOfTheSubscriberConnectionComesAsAnOfferWithNewCredentials() {
        try (WsTestClient pub = join("ice", "pub"); WsTestClient sub = join("ice", "sub")) {
            pub.next("welcome", 5);
            sub.next("welcome", 5);
            publish(pub);
            JsonObject first = sub.next("subscriberOffer", 5);
            JsonObject second = answer(sub, first);
            answer(sub, second);
            assertThat(types(sub.quietFor(300))).doesNotContain("error");
            sub.send(new JsonObject().put("type", "iceRestart").put("requestId", "r1"));
            assertThat(sub.next("iceRestartAck", 5).getString("requestId")).isEqualTo("r1");
            JsonObject restarted = sub.next("subscriberOffer", 5);
            assertThat(restarted.getInteger("version")).isGreaterThan(first.getInteger("version"));
            assertThat(ufrag(restarted.getString("sdp"))).isNotEqualTo(ufrag(first.getString("sdp")));
        }
    }

    @Test
    void repairRequestsAreAnsweredWithWhatWasDone() {
        try (WsTestClient pub = join("repair", "pub"); WsTestClient sub = join("repair", "sub")) {
            pub.next("welcome", 5);
            sub.next("welcome", 5);
            publish(pub);
            sub.next("subscriberOffer", 5);
            // A track that does not exist: the client's view is stale, it gets the state again.
            sub.send(new JsonObject().put("type", "repairTrack").put("trackId", "nobody:9").put("requestId", "a"));
            sub.next("state", 5);
            JsonObject stale = sub.next("repairResult", 5);
            assertThat(stale.getString("action")).isEqualTo("state");
            assertThat(stale.getString("requestId")).isEqualTo("a");
            // A track whose offer is still unanswered: nothing to repair yet.
            sub.send(new JsonObject().put("type", "repairTrack").put("trackId", "pub:1").put("issue", "no_frames"));
            JsonObject pending = sub.next("repairResult", 5);
            assertThat(pending.getString("action")).isEqualTo("pending_offer");
            assertThat(pending.getString("issue")).isEqualTo("no_frames");
            // Muted by its publisher: silence is expected.
            pub.send(new JsonObject().put("type", "mute").put("trackId", "pub:0").put("muted", true));
            sub.next("trackMuted", 5);
            sub.send(new JsonObject().put("type", "repairTrack").put("trackId", "pub:0"));
            assertThat(sub.next("repairResult", 5).getString("action")).isEqualTo("muted");
            sub.send(new JsonObject().put("type", "repairTrack"));
            assertThat(sub.next("error", 5).getString("code")).isEqualTo("bad_request");
        }
        assertThat(server.sfu().counters().repairs()).containsKeys("state", "pending_offer", "muted");
    }

    /** Answers an offer as a browser would (recvonly, active, its own ICE credentials); returns the next offer. */
    private static JsonObject answer(WsTestClient c, JsonObject offer) {
        String sdp = offer.getString("sdp").replace("a=ice-lite\r\n", "").replace("a=setup:actpass", "a=setup:active")
                .replace("a=sendonly", "a=recvonly").replaceAll("a=ice-ufrag:\\S+", "a=ice-ufrag:brws")
                .replaceAll("a=ice-pwd:\\S+", "a=ice-pwd:browserpasswordbrowserpass")
                .replaceAll("a=candidate:[^\\r]*\\r\\n", "").replace("a=end-of-candidates\r\n", "");
        c.send(new JsonObject().put("type", "subscriberAnswer").put("version", offer.getInteger("version"))
                .put("sdp", sdp));
        List<JsonObject> more = c.quietFor(300);
        return more.stream().filter(m -> "subscriberOffer".equals(m.getString("type"))).findFirst().orElse(null);
    }

    @Test
    void aParticipantWhoseMediaStopsIsRemovedAndTheOthersAreTold() {
        // A node of its own with a 1 s consent timeout: the publisher's connection never sees a single ICE check.
        try (PrismServer quick = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(SECRET).consentTimeoutSeconds(1)
                .build());
             WsTestClient watcher = WsTestClient.connect(quick.httpPort(), token("consent", "watcher"));
             WsTestClient pub = WsTestClient.connect(quick.httpPort(), token("consent", "pub"))) {
            watcher.next("welcome", 5);
            pub.next("welcome", 5);
            publish(pub);
            assertThat(pub.next("error", 10).getString("code")).isEqualTo("media_timeout");
            JsonObject left = watcher.next("participantLeft", 5);
            assertThat(left.getString("participantId")).isEqualTo("pub");
            assertThat(left.getString("reason")).isEqualTo("media_timeout");
        }
    }

    private static String ufrag(String sdp) {
        Matcher m = Pattern.compile("a=ice-ufrag:(\\S+)").matcher(sdp);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
