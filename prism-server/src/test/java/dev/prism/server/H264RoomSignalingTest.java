package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.core.rtp.VideoCodec;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A room's video codec over the real verticle, with the browsers' captured offers: the first join's token makes the
 * room H.264, later joins follow it whatever they ask, the publish answer and the subscriber offers name H.264 only,
 * and a browser without H.264 (Firefox as captured) is refused with {@code codec_unsupported}.
 */
class H264RoomSignalingTest {
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

    private static String token(String room, String identity, VideoCodec codec) {
        TokenService ts = new TokenService(SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return ts.issue(new AccessToken(room, identity, identity, true, true, now, now + 600, codec));
    }

    @Test
    void theFirstJoinMakesTheRoomH264AndEveryoneNegotiatesIt() throws IOException {
        try (WsTestClient alice = WsTestClient.connect(server.httpPort(), token("h264-room", "alice",
                VideoCodec.H264))) {
            assertThat(alice.next("welcome", 5).getJsonObject("room").getString("videoCodec")).isEqualTo("h264");
            // Chromium's plain offer (SSRCs signalled, so the video track is published at once).
            alice.send(new JsonObject().put("type", "publishOffer").put("requestId", "1")
                    .put("sdp", SignalingBadInputTest.resource("/sdp/chrome-publish-offer-plain.sdp")));
            String answer = alice.next("publishAnswer", 5).getString("sdp");
            assertThat(answer).contains("a=rtpmap:108 H264/90000",
                    "a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f")
                    .doesNotContain("VP8");

            try (WsTestClient bob = WsTestClient.connect(server.httpPort(), token("h264-room", "bob",
                    VideoCodec.VP8))) {
                assertThat(bob.next("welcome", 5).getJsonObject("room").getString("videoCodec"))
                        .as("bob's token asks for VP8, the room is H.264 already").isEqualTo("h264");
                String offer = bob.next("subscriberOffer", 5).getString("sdp");
                assertThat(offer).contains("a=rtpmap:96 H264/90000",
                        "a=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f")
                        .doesNotContain("VP8");

                // Firefox 153 as captured offers no H.264: it cannot publish video here, and is told why.
                bob.send(new JsonObject().put("type", "publishOffer").put("requestId", "2")
                        .put("sdp", SignalingBadInputTest.resource("/sdp/firefox-publish-offer-simulcast.sdp")));
                JsonObject error = bob.next("error", 5);
                assertThat(error.getString("code")).isEqualTo("codec_unsupported");
                assertThat(error.getString("message")).contains("H264", "42e01f");
                assertThat(error.getString("requestId")).isEqualTo("2");
            }
        }
    }

    @Test
    void aRoomWithoutACodecClaimIsVp8() {
        try (WsTestClient carol = WsTestClient.connect(server.httpPort(), token("vp8-room", "carol", null))) {
            assertThat(carol.next("welcome", 5).getJsonObject("room").getString("videoCodec")).isEqualTo("vp8");
        }
    }

    @Test
    void theNodesCodecListSetsTheDefaultAndWhatATokenMayAskFor() {
        try (PrismServer h264Only = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0)
                .httpHost("127.0.0.1").bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(SECRET)
                .videoCodecs(java.util.List.of("h264")).build())) {
            try (WsTestClient dave = WsTestClient.connect(h264Only.httpPort(), token("no-claim", "dave", null))) {
                assertThat(dave.next("welcome", 5).getJsonObject("room").getString("videoCodec"))
                        .as("no claim: the node's first codec").isEqualTo("h264");
            }
            try (WsTestClient erin = WsTestClient.connect(h264Only.httpPort(), token("asks-vp8", "erin",
                    VideoCodec.VP8))) {
                assertThat(erin.next("welcome", 5).getJsonObject("room").getString("videoCodec"))
                        .as("VP8 is not allowed on this node: the default instead").isEqualTo("h264");
            }
        }
    }

    @Test
    void theDevTokenEndpointRefusesAnUnknownCodec() throws Exception {
        try (PrismServer dev = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").build())) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + dev.httpPort() + "/api/dev-token?room=a&name=b";
            HttpResponse<String> vp9 = http.send(HttpRequest.newBuilder(URI.create(base + "&codec=vp9")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(vp9.statusCode()).isEqualTo(400);
            assertThat(vp9.body()).contains("codec must be vp8 or h264");
            HttpResponse<String> h264 = http.send(HttpRequest.newBuilder(URI.create(base + "&codec=h264")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(h264.statusCode()).isEqualTo(200);
            String jwt = new JsonObject(h264.body()).getString("token");
            String payload = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertThat(new JsonObject(payload).getString("codec")).isEqualTo("h264");
        }
    }
}
