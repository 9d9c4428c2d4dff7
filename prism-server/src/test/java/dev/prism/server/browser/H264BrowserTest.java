package dev.prism.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.conference.ParticipantMediaStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An H.264 room (issue #15 item 4): three Chromium participants join with {@code &codec=h264} on the demo's join link
 * (the first join makes the room H.264), each publishes camera and microphone as three simulcast encodings, and each
 * decodes the two others: every participant's inbound video is H.264 in the browser's own stats (codec
 * {@code video/H264}, decoded frames rising), and the publisher's outbound streams are H.264 too, so Prism forwarded
 * the codec every side negotiated and nothing else. One participant ("narrow") is in a network namespace whose
 * downlink is then limited with {@code tc tbf} to {@link #LIMIT}: Prism moves its two remote videos to a lower
 * simulcast layer (layer switches counted by Prism, switched on an H.264 key frame) while narrow keeps decoding both,
 * and back to the top layer once the limit is lifted.
 *
 * <p>Needs root (network namespaces, tc); CI runs as root.
 */
@Tag("browser")
@ExtendWith(BrowserArtifacts.class)
class H264BrowserTest implements BrowserArtifacts.Browsers {
    /** Two remote videos on their lowest layers (about 150 kbit/s each) and two Opus streams fit; the middle layers do not. */
    static final String LIMIT = System.getProperty("prism.h264.limit", "600kbit");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SWITCH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLIMB_TIMEOUT = Duration.ofSeconds(60);

    /** Every inbound video and the outbound video of a participant, with their codecs, as JSON text. */
    private static final String STATS = """
            const done = arguments[arguments.length - 1];
            (async () => {
              const c = window.prism && window.prism.client;
              if (!c || !c.subscriberPc || !c.publisherPc) return { error: 'no connections yet' };
              const codecs = new Map();
              const inbound = [];
              const sub = await c.subscriberPc.getStats();
              sub.forEach((s) => { if (s.type === 'codec') codecs.set(s.id, s.mimeType); });
              sub.forEach((s) => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') {
                  inbound.push({ mid: s.mid || null, codec: codecs.get(s.codecId) || null,
                    decoder: s.decoderImplementation || null, width: s.frameWidth || 0, height: s.frameHeight || 0,
                    framesDecoded: s.framesDecoded || 0, keyFramesDecoded: s.keyFramesDecoded || 0,
                    pliCount: s.pliCount || 0 });
                }
              });
              const pubCodecs = new Map();
              const outbound = [];
              const pub = await c.publisherPc.getStats();
              pub.forEach((s) => { if (s.type === 'codec') pubCodecs.set(s.id, s.mimeType); });
              pub.forEach((s) => {
                if (s.type === 'outbound-rtp' && s.kind === 'video') {
                  outbound.push({ rid: s.rid || null, codec: pubCodecs.get(s.codecId) || null,
                    encoder: s.encoderImplementation || null, width: s.frameWidth || 0,
                    framesEncoded: s.framesEncoded || 0 });
                }
              });
              inbound.sort((a, b) => String(a.mid).localeCompare(String(b.mid)));
              outbound.sort((a, b) => a.width - b.width);
              return { at: performance.now(), inbound, outbound };
            })().then((r) => done(JSON.stringify(r)), (e) => done(JSON.stringify({ error: String(e) })));
            """;

    private BrowserCall call;

    @BeforeEach
    void setUp() {
        call = BrowserCall.inNamespace(true, List.of("pub", "wide"), List.of("narrow"));
    }

    @AfterEach
    void tearDown() {
        if (call != null) {
            call.close();
        }
    }

    @Override
    public List<ChromeBrowser> browsersToDump() {
        return call == null ? List.of() : call.browsers();
    }

    @Test
    void everyoneDecodesEveryoneInH264AndALimitedSubscriberSwitchesLayers() {
        ChromeBrowser pub = call.browsers().get(0);
        ChromeBrowser wide = call.browsers().get(1);
        ChromeBrowser narrow = call.browsers().get(2);
        String room = "h264-" + Long.toHexString(System.nanoTime());
        pub.open(call.server().joinUrl(room, "pub") + "&codec=h264");
        wide.open(call.server().joinUrl(room, "wide") + "&codec=h264");
        narrow.open(call.server().joinUrl(call.ns().hostAddress(), room, "narrow") + "&codec=h264");

        // --- everyone sends three H.264 layers and decodes the two others in H.264 --------------------------------
        long start = System.nanoTime();
        for (ChromeBrowser b : call.browsers()) {
            JsonObject s = awaitDecodingAll(b, START_TIMEOUT, "sending 3 H.264 layers and decoding 2 H.264 videos");
            System.out.printf("[prism-h264] %s after %d ms: %s%n", b.name(), millisSince(start), s.encode());
            for (Object o : s.getJsonArray("outbound")) {
                assertThat(((JsonObject) o).getString("codec")).as("%s sends H.264: %s", b.name(), s)
                        .isEqualTo("video/H264");
            }
            for (Object o : s.getJsonArray("inbound")) {
                assertThat(((JsonObject) o).getString("codec")).as("%s decodes H.264: %s", b.name(), s)
                        .isEqualTo("video/H264");
            }
        }
        System.out.printf("[prism-h264] Prism: %s%n", prismView(room));
        String narrowTop = narrowLayers(room);
        assertThat(narrowTop).as("narrow's videos before the limit").doesNotContain("none");
        long switchesBefore = narrowSwitches(room);

        // --- limit narrow's downlink: both its videos go to a lower layer, and it keeps decoding them -------------
        call.ns().limitDownlink(LIMIT, "16kbit", "50ms");
        long limitedAt = System.nanoTime();
        String lowered = narrow.waitUntil("narrow's videos on a lower layer under the limit", SWITCH_TIMEOUT,
                Duration.ofMillis(250), b -> {
                    String l = narrowLayers(room);
                    return l.contains("s2") || l.contains("none") ? null : l;
                }, () -> "Prism: " + prismView(room));
        long toLower = millisSince(limitedAt);
        JsonObject under = awaitDecodingAll(narrow, SWITCH_TIMEOUT, "decoding both videos under the limit");
        System.out.printf("[prism-h264] narrow on %s %d ms after the %s limit; decoding %s; Prism: %s%n", lowered,
                toLower, LIMIT, under.getJsonArray("inbound").encode(), prismView(room));
        assertThat(narrowSwitches(room)).as("layer switches of narrow's videos").isGreaterThan(switchesBefore);

        // --- lift the limit: back to the top layer ----------------------------------------------------------------
        call.ns().unlimitDownlink();
        long liftedAt = System.nanoTime();
        String top = narrow.waitUntil("narrow's videos back on their layers before the limit (" + narrowTop + ")",
                CLIMB_TIMEOUT, Duration.ofMillis(250), b -> narrowLayers(room).equals(narrowTop) ? narrowTop : null,
                () -> "Prism: " + prismView(room));
        JsonObject after = awaitDecodingAll(narrow, SWITCH_TIMEOUT, "decoding both videos after the limit");
        System.out.printf("[prism-h264] FIGURES: narrow's videos on a lower layer %d ms after the %s limit, on %s "
                + "%d ms after lifting it; %d layer switches; decoders: %s; Prism: %s%n", toLower, LIMIT, top,
                millisSince(liftedAt), narrowSwitches(room) - switchesBefore, after.getJsonArray("inbound").encode(),
                prismView(room));
        narrow.screenshot(BrowserArtifacts.file("h264-narrow.png"));
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    /**
     * Waits until {@code b} sends three H.264 layers and decodes two H.264 videos whose frame counts rose since the
     * previous sample; returns that sample.
     */
    private static JsonObject awaitDecodingAll(ChromeBrowser b, Duration timeout, String what) {
        AtomicReference<JsonObject> previous = new AtomicReference<>();
        AtomicReference<JsonObject> last = new AtomicReference<>();
        return b.waitUntil(what, timeout, Duration.ofMillis(300), x -> {
            JsonObject s = new JsonObject(String.valueOf(x.asyncJs(STATS)));
            last.set(s);
            if (s.containsKey("error")) {
                return null;
            }
            JsonObject p = previous.getAndSet(s);
            JsonArray in = s.getJsonArray("inbound");
            JsonArray out = s.getJsonArray("outbound");
            if (p == null || in.size() != 2 || out.size() != 3 || p.getJsonArray("inbound").size() != 2) {
                return null;
            }
            for (int i = 0; i < 2; i++) {
                JsonObject v = in.getJsonObject(i);
                if (!"video/H264".equals(v.getString("codec")) || v.getLong("framesDecoded")
                        <= p.getJsonArray("inbound").getJsonObject(i).getLong("framesDecoded")) {
                    return null;
                }
            }
            return out.stream().allMatch(o -> "video/H264".equals(((JsonObject) o).getString("codec"))
                    && ((JsonObject) o).getLong("framesEncoded") > 0) ? s : null;
        }, () -> "last " + last.get());
    }

    /** The current layers of narrow's video subscriptions in Prism ("s0t0 s2t0"), "none" for one not forwarded. */
    private String narrowLayers(String room) {
        StringBuilder sb = new StringBuilder();
        for (ParticipantMediaStats p : stats(room)) {
            if (p.participantId().startsWith("narrow")) {
                for (ParticipantMediaStats.Subscribed t : p.subscribed()) {
                    if (t.kind().equals("video")) {
                        sb.append(t.currentLayer()).append(' ');
                    }
                }
            }
        }
        return sb.toString().trim();
    }

    private long narrowSwitches(String room) {
        return stats(room).stream().filter(p -> p.participantId().startsWith("narrow"))
                .flatMap(p -> p.subscribed().stream()).filter(t -> t.kind().equals("video"))
                .mapToLong(ParticipantMediaStats.Subscribed::layerSwitches).sum();
    }

    private List<ParticipantMediaStats> stats(String room) {
        try {
            return call.server().server().sfu().mediaStats(room).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("Prism's media stats: " + e, e);
        }
    }

    /** Each participant's downlink estimate and its video subscriptions' target/current layers. */
    private String prismView(String room) {
        StringBuilder sb = new StringBuilder();
        for (ParticipantMediaStats p : stats(room)) {
            sb.append(p.participantId().replaceAll("-.*", ""));
            if (p.downlink() != null) {
                sb.append(String.format(" estimate %.0f kbit/s", p.downlink().estimateBps() / 1000.0));
            }
            for (ParticipantMediaStats.Subscribed t : p.subscribed()) {
                if (t.kind().equals("video")) {
                    sb.append(' ').append(t.targetLayer()).append('/').append(t.currentLayer());
                }
            }
            sb.append("; ");
        }
        return sb.toString();
    }

    private static long millisSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1_000_000;
    }
}
