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
 * (the first join makes the room H.264); "pub" publishes camera and microphone as three simulcast encodings, the two
 * others as one encoding each, and each decodes the two others: every participant's inbound videos are H.264 in the
 * browser's own stats (codec {@code video/H264}, decoded frames rising) and its outbound video is H.264 too, so Prism
 * forwarded the codec every side negotiated and nothing else. "narrow" is in a network namespace whose downlink is
 * then limited with {@code tc tbf} to {@link #LIMIT} (narrow having paused wide's video, so only pub's layers
 * compete): Prism moves pub's video for narrow to the lowest simulcast layer (a layer switch, which for H.264 waits for
 * the SPS/PPS + IDR of the new layer) while narrow keeps decoding it, and above it again once the limit is lifted.
 *
 * <p>Needs root (network namespaces, tc); CI runs as root.
 */
@Tag("browser")
@ExtendWith(BrowserArtifacts.class)
class H264BrowserTest implements BrowserArtifacts.Browsers {
    /**
     * narrow's downlink under the limit: pub's lowest layer (about 150 kbit/s) and two Opus streams fit, pub's middle
     * layer does not (wide's single 720p encoding does not either: Prism pauses it for narrow meanwhile).
     */
    static final String LIMIT = System.getProperty("prism.h264.limit", "300kbit");
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
        // One encoding each for the two others: three 720p H.264 simulcast encoders are more than a shared CI
        // machine's cores keep up with, and the layer switching under test is pub's.
        // adaptive=0: the layer each receives is the network's decision, not its demo tile's (two remote tiles each)
        wide.open(call.server().joinUrl(room, "wide") + "&codec=h264&simulcast=0&adaptive=0");
        narrow.open(call.server().joinUrl(call.ns().hostAddress(), room, "narrow")
                + "&codec=h264&simulcast=0&adaptive=0");

        // --- everyone sends H.264 and decodes the two others in H.264 ---------------------------------------------
        long start = System.nanoTime();
        for (ChromeBrowser b : call.browsers()) {
            JsonObject s = awaitDecoding(b, 2, START_TIMEOUT, "sending H.264 and decoding 2 H.264 videos");
            System.out.printf("[prism-h264] %s after %d ms: %s%n", b.name(), millisSince(start), s.encode());
            for (Object o : s.getJsonArray("outbound")) {
                assertThat(((JsonObject) o).getString("codec")).as("%s sends H.264: %s", b.name(), s)
                        .isEqualTo("video/H264");
            }
        }
        System.out.printf("[prism-h264] Prism: %s%n", prismView(room));
        // pub's simulcast: at least two of its layers encoded, and narrow receives one above the lowest.
        pub.waitUntil("pub encoding two or more H.264 layers", START_TIMEOUT, Duration.ofMillis(500), b -> {
            JsonObject s = stats(b);
            return s.containsKey("error") || s.getJsonArray("outbound").stream()
                    .filter(o -> ((JsonObject) o).getLong("framesEncoded") > 0).count() < 2 ? null : s;
        }, () -> "last " + stats(pub));
        // narrow hides wide's tile (a subscriber preference) once it has decoded it: from here its downlink is pub's
        // video and the audio, so pub's video climbs above the lowest layer even where a loaded machine keeps the
        // browsers' estimates near their 1 Mbit/s start (a full run: narrow's estimate stayed at 1.0-1.06 Mbit/s for
        // 90 s, too little for wide's video and pub's s1 together), what the limit changes is pub's simulcast layer
        // alone, and lifting it leaves room to climb.
        Object paused = narrow.asyncJs("const t = [...window.prism.client.participants.values()].flatMap(p => "
                + "[...p.tracks.values()]).find(t => t.kind === 'video' && t.id.startsWith('wide-'));"
                + "window.prism.client.setTrackPreferences(t.id, { paused: true })"
                + ".then(() => arguments[arguments.length - 1](t.id), e => arguments[arguments.length - 1]("
                + "'ERROR ' + e));");
        assertThat(String.valueOf(paused)).as("narrow pauses wide's video").startsWith("wide-");
        String before = narrow.waitUntil("narrow receiving pub's video above the lowest layer", START_TIMEOUT,
                Duration.ofMillis(250), b -> {
                    String l = narrowPubLayer(room);
                    return l.startsWith("s1") || l.startsWith("s2") ? l : null;
                }, () -> "Prism: " + prismView(room));
        long switchesBefore = narrowSwitches(room);

        // --- limit narrow's downlink: pub's video drops to the lowest layer, narrow keeps decoding it --------------
        call.ns().limitDownlink(LIMIT, "16kbit", "50ms");
        long limitedAt = System.nanoTime();
        narrow.waitUntil("pub's video on the lowest layer for narrow under the limit", SWITCH_TIMEOUT,
                Duration.ofMillis(250), b -> narrowPubLayer(room).startsWith("s0") ? Boolean.TRUE : null,
                () -> "Prism: " + prismView(room));
        long toLower = millisSince(limitedAt);
        JsonObject under = awaitDecoding(narrow, 1, SWITCH_TIMEOUT, "decoding pub's video under the limit");
        System.out.printf("[prism-h264] narrow receives pub's video on s0 %d ms after the %s limit (was %s); "
                + "decoding %s; Prism: %s%n", toLower, LIMIT, before, under.getJsonArray("inbound").encode(),
                prismView(room));
        assertThat(narrowSwitches(room)).as("layer switches of narrow's videos").isGreaterThan(switchesBefore);

        // --- lift the limit: above the lowest layer again ---------------------------------------------------------
        call.ns().unlimitDownlink();
        long liftedAt = System.nanoTime();
        String after = narrow.waitUntil("pub's video above the lowest layer again", CLIMB_TIMEOUT,
                Duration.ofMillis(250), b -> {
                    String l = narrowPubLayer(room);
                    return l.startsWith("s1") || l.startsWith("s2") ? l : null;
                }, () -> "Prism: " + prismView(room));
        JsonObject decoding = awaitDecoding(narrow, 1, SWITCH_TIMEOUT, "decoding pub's video after the limit");
        System.out.printf("[prism-h264] FIGURES: pub's video for narrow %s -> s0 %d ms after the %s limit -> %s %d "
                + "ms after lifting it; %d layer switches; narrow decodes %s; Prism: %s%n", before, toLower, LIMIT,
                after, millisSince(liftedAt), narrowSwitches(room) - switchesBefore,
                decoding.getJsonArray("inbound").encode(), prismView(room));
        narrow.screenshot(BrowserArtifacts.file("h264-narrow.png"));
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private static JsonObject stats(ChromeBrowser b) {
        return new JsonObject(String.valueOf(b.asyncJs(STATS)));
    }

    /**
     * Waits until {@code b} sends H.264 (at least one encoding with frames) and decodes at least {@code videos} H.264
     * videos whose frame counts rose since the previous sample; returns that sample.
     */
    private static JsonObject awaitDecoding(ChromeBrowser b, int videos, Duration timeout, String what) {
        AtomicReference<JsonObject> previous = new AtomicReference<>();
        AtomicReference<JsonObject> last = new AtomicReference<>();
        return b.waitUntil(what, timeout, Duration.ofMillis(300), x -> {
            JsonObject s = stats(x);
            last.set(s);
            if (s.containsKey("error")) {
                return null;
            }
            JsonObject p = previous.getAndSet(s);
            if (p == null) {
                return null;
            }
            int decoding = 0;
            for (Object o : s.getJsonArray("inbound")) {
                JsonObject v = (JsonObject) o;
                long before = p.getJsonArray("inbound").stream().map(JsonObject.class::cast)
                        .filter(q -> String.valueOf(q.getValue("mid")).equals(String.valueOf(v.getValue("mid"))))
                        .mapToLong(q -> q.getLong("framesDecoded")).findFirst().orElse(Long.MAX_VALUE);
                if ("video/H264".equals(v.getString("codec")) && v.getLong("framesDecoded") > before) {
                    decoding++;
                }
            }
            boolean sending = s.getJsonArray("outbound").stream().map(JsonObject.class::cast)
                    .anyMatch(o -> "video/H264".equals(o.getString("codec")) && o.getLong("framesEncoded") > 0);
            return decoding >= videos && sending ? s : null;
        }, () -> "last " + last.get());
    }

    /** The current layer ("s2t0", "none") of narrow's subscription to pub's video in Prism. */
    private String narrowPubLayer(String room) {
        for (ParticipantMediaStats p : stats(room)) {
            if (p.participantId().startsWith("narrow")) {
                for (ParticipantMediaStats.Subscribed t : p.subscribed()) {
                    if (t.kind().equals("video") && t.trackId().startsWith("pub-")) {
                        return t.currentLayer();
                    }
                }
            }
        }
        return "none";
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
