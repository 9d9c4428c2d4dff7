package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dynacast over the real verticle: a publisher of Chromium's captured q/h/f simulcast offer hears
 * {@code publisherLayers} when its only subscriber pauses the track (after the server's 3 s hold: only {@code q}) and
 * again when it resumes (every rid), and nothing in between.
 */
class DynacastSignalingTest {
    private static final String SECRET = "test-secret-test-secret-test-secret-0123";
    private static PrismServer server;

    @BeforeAll
    static void start() {
        server = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(SECRET).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String token(String room, String identity) {
        TokenService ts = new TokenService(SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return ts.issue(new AccessToken(room, identity, identity, true, true, now, now + 600, null));
    }

    @Test
    void thePublisherHearsWhichRidsItsSubscriberNeeds() throws IOException {
        try (WsTestClient alice = WsTestClient.connect(server.httpPort(), token("dynacast", "alice"));
             WsTestClient bob = WsTestClient.connect(server.httpPort(), token("dynacast", "bob"))) {
            alice.next("welcome", 5);
            bob.next("welcome", 5);
            // bob is in the room before alice publishes: he subscribes at once, within the hold after the publish
            alice.send(new JsonObject().put("type", "publishOffer").put("requestId", "1")
                    .put("sdp", SignalingBadInputTest.resource("/sdp/chrome-publish-offer-simulcast.sdp")));
            assertThat(alice.next("publishAnswer", 5).getString("sdp")).contains("a=simulcast:recv q;h;f");
            String trackId = videoTrack(bob);

            bob.send(new JsonObject().put("type", "trackPreferences").put("requestId", "2")
                    .put("trackId", trackId).put("paused", true));
            assertThat(bob.next("trackPreferencesAck", 5).getBoolean("paused")).isTrue();
            JsonObject off = alice.next("publisherLayers", 10);
            assertThat(off.getString("trackId")).isEqualTo(trackId);
            assertThat(off.getJsonArray("active")).containsExactly("q");

            bob.send(new JsonObject().put("type", "trackPreferences").put("requestId", "3")
                    .put("trackId", trackId).put("paused", false));
            JsonObject on = alice.next("publisherLayers", 10);
            assertThat(on.getJsonArray("active")).containsExactly("q", "h", "f");
        }
    }

    /** The id of the first video track bob hears published (he receives it from then on). */
    private static String videoTrack(WsTestClient bob) {
        for (int i = 0; i < 4; i++) {
            JsonObject t = bob.next("trackPublished", 5).getJsonObject("track");
            if ("video".equals(t.getString("kind"))) {
                return t.getString("id");
            }
        }
        throw new AssertionError("no video track published");
    }
}
