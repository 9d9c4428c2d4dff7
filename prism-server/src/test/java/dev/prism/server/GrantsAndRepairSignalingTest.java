package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import dev.prism.conference.ParticipantMediaStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Publish-only and subscribe-only participants, connections never answered, and one repair per problem, against the
 * real verticle over real WebSockets. No ICE ever reaches these connections: each test runs its own node with the
 * consent timeout it needs.
 */
class GrantsAndRepairSignalingTest {
    private static final String SECRET = "test-secret-test-secret-test-secret-0123";

    private static PrismServer node(int consentTimeoutSeconds) {
        return PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(SECRET)
                .consentTimeoutSeconds(consentTimeoutSeconds).build());
    }

    private static String token(String room, String identity, boolean canPublish, boolean canSubscribe) {
        TokenService ts = new TokenService(SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return ts.issue(new AccessToken(room, identity, identity, canPublish, canSubscribe, now, now + 600));
    }

    private static JsonObject publish(WsTestClient c) throws IOException {
        c.send(new JsonObject().put("type", "publishOffer").put("requestId", "p1")
                .put("sdp", SignalingBadInputTest.resource("/sdp/chrome-publish-offer-plain.sdp"))
                .put("tracks", new JsonArray().add(new JsonObject().put("mid", "0").put("source", "microphone"))
                        .add(new JsonObject().put("mid", "1").put("source", "camera"))));
        return c.next("publishAnswer", 5);
    }

    @Test
    void aSubscriberOfferNeverAnsweredIsNotAMediaTimeout() throws IOException {
        try (PrismServer quick = node(1);
             WsTestClient silent = WsTestClient.connect(quick.httpPort(), token("unanswered", "silent", true, true));
             WsTestClient pub = WsTestClient.connect(quick.httpPort(), token("unanswered", "pub", true, true))) {
            silent.next("welcome", 5);
            pub.next("welcome", 5);
            publish(pub);
            assertThat(silent.next("subscriberOffer", 5).getInteger("version")).isEqualTo(1);
            // The publisher's connection (never checked) times out; the silent one's unanswered offer is not one.
            assertThat(pub.next("error", 10).getString("code")).isEqualTo("media_timeout");
            List<JsonObject> later = silent.quietFor(3000);
            assertThat(later).noneMatch(m -> "error".equals(m.getString("type")));
            assertThat(silent.closeCode()).isEqualTo(-1);
            silent.send(new JsonObject().put("type", "ping").put("requestId", "still"));
            assertThat(silent.next("pong", 5).getString("requestId")).isEqualTo("still");
        }
    }

    @Test
    void aSubscribeOnlyParticipantCannotPublishAndAPublishOnlyOneGetsNoOffer() throws IOException {
        try (PrismServer n = node(30);
             WsTestClient viewer = WsTestClient.connect(n.httpPort(), token("grants", "viewer", false, true));
             WsTestClient sender = WsTestClient.connect(n.httpPort(), token("grants", "sender", true, false));
             WsTestClient pub = WsTestClient.connect(n.httpPort(), token("grants", "pub", true, true))) {
            viewer.next("welcome", 5);
            sender.next("welcome", 5);
            pub.next("welcome", 5);
            publish(pub);
            assertThat(viewer.next("subscriberOffer", 5).getJsonArray("tracks")).isNotEmpty();
            assertThat(sender.next("trackPublished", 5)).isNotNull();
            assertThat(sender.quietFor(300)).noneMatch(m -> "subscriberOffer".equals(m.getString("type")));

            viewer.send(new JsonObject().put("type", "publishOffer").put("requestId", "v")
                    .put("sdp", SignalingBadInputTest.resource("/sdp/chrome-publish-offer-plain.sdp")));
            JsonObject error = viewer.next("error", 5);
            assertThat(error.getString("code")).isEqualTo("not_allowed");
            assertThat(error.getString("requestId")).isEqualTo("v");
        }
    }

    @Test
    void missingAudioAndVideoIsRepairedByOneIceRestart() throws Exception {
        try (PrismServer n = node(30);
             WsTestClient pub = WsTestClient.connect(n.httpPort(), token("repair", "pub", true, true));
             WsTestClient sub = WsTestClient.connect(n.httpPort(), token("repair", "sub", false, true))) {
            pub.next("welcome", 5);
            sub.next("welcome", 5);
            publish(pub);
            answer(sub, sub.next("subscriberOffer", 5)); // the audio track; video follows in the next offer
            JsonObject offer = sub.next("subscriberOffer", 5);
            answer(sub, offer);
            JsonArray tracks = offer.getJsonArray("tracks");
            int seenBefore = sub.seen().size();
            assertThat(tracks).hasSize(2);
            // The subscriber connection never connects: both tracks are reported missing, milliseconds apart.
            for (int i = 0; i < 2; i++) {
                sub.send(new JsonObject().put("type", "repairTrack").put("requestId", "r" + i)
                        .put("trackId", tracks.getJsonObject(i).getString("trackId")).put("issue", "no_media"));
            }
            assertThat(sub.next("repairResult", 5).getString("action")).isEqualTo("ice_restart");
            assertThat(sub.next("repairResult", 5).getString("action")).isEqualTo("coalesced");
            // ...and asking again at once changes nothing either.
            sub.send(new JsonObject().put("type", "repairTrack").put("trackId", tracks.getJsonObject(0)
                    .getString("trackId")));
            assertThat(sub.next("repairResult", 5).getString("action")).isEqualTo("coalesced");
            sub.quietFor(300);
            long offers = sub.seen().subList(seenBefore, sub.seen().size()).stream()
                    .filter(m -> "subscriberOffer".equals(m.getString("type"))).count();
            assertThat(offers).isEqualTo(1); // one ICE-restart offer for both tracks
            List<ParticipantMediaStats> stats = n.sfu().mediaStats("repair").get(5, TimeUnit.SECONDS);
            ParticipantMediaStats s = stats.stream().filter(p -> p.participantId().equals("sub")).findFirst()
                    .orElseThrow();
            assertThat(s.iceRestarts()).isEqualTo(1);
        }
    }

    /** Answers an offer as a browser would (recvonly, active, its own ICE credentials). */
    private static void answer(WsTestClient c, JsonObject offer) {
        String sdp = offer.getString("sdp").replace("a=ice-lite\r\n", "").replace("a=setup:actpass", "a=setup:active")
                .replace("a=sendonly", "a=recvonly").replaceAll("a=ice-ufrag:\\S+", "a=ice-ufrag:brws")
                .replaceAll("a=ice-pwd:\\S+", "a=ice-pwd:browserpasswordbrowserpass")
                .replaceAll("a=candidate:[^\\r]*\\r\\n", "").replace("a=end-of-candidates\r\n", "");
        c.send(new JsonObject().put("type", "subscriberAnswer").put("version", offer.getInteger("version"))
                .put("sdp", sdp));
    }
}
