package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import dev.prism.signaling.session.MessageTypes;
import dev.prism.signaling.session.SessionLimits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Floods and oversized requests against the real verticle over real WebSockets (issue #10): each is refused with its
 * own code, counted under a bounded set of labels, logged a bounded number of times, and the socket keeps working.
 */
class SessionAbuseSignalingTest {
    private static final String SECRET = "test-secret-test-secret-test-secret-0123";
    private static PrismServer server;

    /**
     * These floods test what lies behind the per-socket message rate limit (bounded labels, one log line), so the
     * limit is lifted here; {@code MessageFloodSignalingTest} tests the limit itself.
     */
    @BeforeAll
    static void start() {
        server = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(SECRET)
                .signalingMessagesPerSecond(1_000_000).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String token(String room, String identity, String name) {
        TokenService ts = new TokenService(SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return ts.issue(new AccessToken(room, identity, name, true, true, now, now + 600));
    }

    @Test
    void twentyThousandUnknownTypesAddNoCounterKeys() {
        int metersBefore = server.metrics().registry().getMeters().size();
        try (WsTestClient c = WsTestClient.connect(server.httpPort(), token("flood-types", "x", "x"))) {
            c.next("welcome", 5);
            String pad = "t".repeat(200);
            for (int i = 0; i < 20_000; i++) {
                c.send(new JsonObject().put("type", pad + i));
            }
            for (int i = 0; i < 20_000; i++) {
                JsonObject e = c.next("error", 10);
                assertThat(e.getString("code")).isEqualTo("unknown_type");
                assertThat(e.getString("message").length()).isLessThan(300); // the 200+ character type is cut
            }
            c.seen().clear();
        }
        assertThat(server.sfu().counters().messages()).containsEntry(MessageTypes.UNKNOWN, 20_000L);
        java.util.Set<String> labels = new java.util.HashSet<>(MessageTypes.KNOWN);
        labels.add(MessageTypes.UNKNOWN);
        assertThat(server.sfu().counters().messages().keySet()).isSubsetOf(labels);
        server.metrics().scrape();
        assertThat(server.metrics().registry().getMeters().size()).isLessThanOrEqualTo(metersBefore + 2);
        assertThat(server.metrics().scrape()).contains("prism_signaling_messages_total{type=\"unknown\"} 20000.0");
    }

    @Test
    void tenThousandMalformedMessagesAreCountedButLoggedOnce() {
        long linesBefore = server.sfu().counters().rejectionLogLines();
        long errorsBefore = server.sfu().counters().errors("bad_json");
        try (WsTestClient c = WsTestClient.connect(server.httpPort(), token("flood-json", "x", "x"))) {
            c.next("welcome", 5);
            for (int i = 0; i < 10_000; i++) {
                c.sendRaw("{not json\n" + i);
            }
            for (int i = 0; i < 10_000; i++) {
                assertThat(c.next("error", 10).getString("code")).isEqualTo("bad_json");
            }
            c.seen().clear();
            c.send(new JsonObject().put("type", "ping").put("requestId", "after"));
            assertThat(c.next("pong", 5).getString("requestId")).isEqualTo("after");
        }
        assertThat(server.sfu().counters().errors("bad_json") - errorsBefore).isEqualTo(10_000);
        // One line, maybe a second if the flood straddles the 10 s interval.
        assertThat(server.sfu().counters().rejectionLogLines() - linesBefore).isBetween(1L, 2L);
    }

    @Test
    void aQuarterMegabyteOfferOfHundredsOfAudioLinesIsRefusedAndPublishesNothing() {
        try (WsTestClient watcher = WsTestClient.connect(server.httpPort(), token("huge", "watcher", "w"));
             WsTestClient c = WsTestClient.connect(server.httpPort(), token("huge", "x", "x"))) {
            watcher.next("welcome", 5);
            c.next("welcome", 5);
            // The size of the reported offer (254 KB), under the WebSocket message limit (256 KiB).
            String huge = TestOffers.offer(560, 0, false);
            assertThat(huge.length()).isBetween(SessionLimits.MAX_SDP_CHARS, 255_000);
            c.send(new JsonObject().put("type", "publishOffer").put("sdp", huge).put("requestId", "1"));
            JsonObject e = c.next("error", 5);
            assertThat(e.getString("code")).isEqualTo("sdp_too_large");
            assertThat(e.getString("requestId")).isEqualTo("1");
            assertThat(watcher.quietFor(200)).noneMatch(m -> "trackPublished".equals(m.getString("type")));
        }
    }

    @Test
    void eachCapHasItsOwnCode() {
        String[][] rows = {
                // sdp, expected code
                {TestOffers.offer(SessionLimits.MAX_MEDIA_SECTIONS + 1, 0, false), "too_many_media_sections"},
                {TestOffers.offer(SessionLimits.MAX_PUBLISHED_TRACKS + 1, 0, false), "too_many_tracks"},
                {TestOffers.offer(1, SessionLimits.MAX_CANDIDATES + 1, false), "too_many_candidates"},
        };
        try (WsTestClient c = WsTestClient.connect(server.httpPort(), token("caps", "x", "x"))) {
            c.next("welcome", 5);
            for (String[] row : rows) {
                long before = server.sfu().counters().errors(row[1]);
                c.send(new JsonObject().put("type", "publishOffer").put("sdp", row[0]));
                assertThat(c.next("error", 5).getString("code")).isEqualTo(row[1]);
                assertThat(server.sfu().counters().errors(row[1])).isEqualTo(before + 1);
            }
            // At the limits the same offer is fine.
            c.send(new JsonObject().put("type", "publishOffer").put("requestId", "ok")
                    .put("sdp", TestOffers.offer(SessionLimits.MAX_PUBLISHED_TRACKS, SessionLimits.MAX_CANDIDATES,
                            false)));
            assertThat(c.next("publishAnswer", 5).getString("requestId")).isEqualTo("ok");
        }
    }

    @Test
    void aRefusedVideoLineIsNamedInThePublishAnswer() {
        try (WsTestClient c = WsTestClient.connect(server.httpPort(), token("h264", "x", "x"))) {
            c.next("welcome", 5);
            c.send(new JsonObject().put("type", "publishOffer").put("sdp", TestOffers.offer(1, 0, true)));
            JsonObject answer = c.next("publishAnswer", 5);
            assertThat(answer.getString("sdp")).contains("m=video 0 ");
            JsonArray refused = answer.getJsonArray("refused");
            assertThat(refused).hasSize(1);
            JsonObject r = refused.getJsonObject(0);
            assertThat(r.getString("mid")).isEqualTo("1");
            assertThat(r.getString("kind")).isEqualTo("video");
            assertThat(r.getString("reason")).isEqualTo("unsupported_codec");
            assertThat(r.getString("message")).contains("VP8").contains("H264");
        }
        assertThat(server.sfu().counters().refusedTracks()).containsEntry("unsupported_codec", 1L);
    }

    @Test
    void bidiControlsAreStrippedFromTheDisplayName() {
        try (WsTestClient c = WsTestClient.connect(server.httpPort(), token("names", "x", "\u202eevil\u2066 name\n"))) {
            JsonObject welcome = c.next("welcome", 5);
            assertThat(welcome.getJsonObject("participant").getString("name")).isEqualTo("evil name");
        }
    }
}
