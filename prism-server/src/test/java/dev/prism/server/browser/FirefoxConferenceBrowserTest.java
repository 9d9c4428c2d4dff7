package dev.prism.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.conference.ParticipantMediaStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Firefox, first-class: one Firefox (Debian's firefox-esr, over WebDriver BiDi) and one Chromium join one room of an
 * in-process Prism through the demo page's join link. Each must decode the other's video (frames decoded and growing,
 * a known resolution) and receive the other's audio (packets growing), and Prism must see every simulcast layer
 * Firefox publishes (q, h, f; read from the server's media stats of Firefox's video track).
 *
 * <p>Both browsers are measured with the same script ({@link #STATS}): each transceiver's {@code receiver.getStats()},
 * attributed to its sender through the demo client's participants map, so no stats field that only one browser has
 * ({@code mid} and {@code trackIdentifier} on {@code inbound-rtp}) is needed. Prints the time from page open to the
 * first decoded frame each way, the resolutions decoded and the layers Prism sees.
 *
 * <p>The Firefox driver sets {@code media.peerconnection.video.min_bitrate_estimate} (2.5 Mbit/s): this test is about
 * interoperability (bundle-only negotiation, rid mapping, decoding both ways), not how fast Firefox's send-side
 * estimator climbs; without the floor, on a machine loaded to 15 times its cores, Firefox sent only q and, on and off,
 * h for the whole 90 s.
 */
@Tag("browser")
@ExtendWith(BrowserArtifacts.class)
class FirefoxConferenceBrowserTest implements BrowserArtifacts.Browsers {

    /** Join to first decoded frame; generous: two loaded cores run both browsers, the driver and the server. */
    private static final Duration FIRST_FRAME_TIMEOUT = Duration.ofSeconds(60);
    /** First frame to "frames and audio packets keep rising, all three layers seen". */
    private static final Duration FLOWING_TIMEOUT = Duration.ofSeconds(45);
    /**
     * First frame to "Prism sees packets on all three of Firefox's layers". Firefox turns its top layer on once its
     * send-side estimate carries it, which takes longest on a loaded machine.
     */
    private static final Duration LAYERS_TIMEOUT = Duration.ofSeconds(90);
    /** How long Chromium is given to climb to Firefox's top layer; reported, not asserted (it depends on the BWE). */
    private static final Duration TOP_LAYER_WINDOW = Duration.ofSeconds(20);

    /**
     * What a page receives, per remote track, as JSON text: {@code {at, connectionState, streams: [{from, kind,
     * packetsReceived, framesDecoded, frameWidth, frameHeight}]}}. An expression (a promise), the same for both
     * browsers; the test code chooses it, no external input.
     */
    static final String STATS = """
            (async () => {
              const c = window.prism && window.prism.client;
              const pc = c && c.subscriberPc;
              if (!pc) return JSON.stringify({ error: 'no subscriber connection', streams: [] });
              const values = (x) => !x ? [] : (x instanceof Map ? [...x.values()] : Object.values(x));
              const owners = new Map();
              for (const p of values(c.participants)) {
                for (const t of values(p && p.tracks)) {
                  const mst = t && (t.mediaStreamTrack || t.track);
                  if (mst) owners.set(mst.id, p.name);
                }
              }
              const streams = [];
              for (const tr of pc.getTransceivers()) {
                const track = tr.receiver && tr.receiver.track;
                const from = track && owners.get(track.id);
                if (!from) continue;
                (await tr.receiver.getStats()).forEach((s) => {
                  if (s.type !== 'inbound-rtp') return;
                  streams.push({ from, kind: track.kind, mid: tr.mid, statsMid: s.mid === undefined ? null : s.mid,
                    packetsReceived: s.packetsReceived || 0, framesDecoded: s.framesDecoded || 0,
                    frameWidth: s.frameWidth || 0, frameHeight: s.frameHeight || 0 });
                });
              }
              return JSON.stringify({ at: performance.now(), connectionState: pc.connectionState, streams });
            })()""";

    /** The publisher's outbound video encodings as the browser reports them (rid, size, frames), as JSON text. */
    static final String OUTBOUND = """
            (async () => {
              const pc = window.prism && window.prism.client && window.prism.client.publisherPc;
              if (!pc) return JSON.stringify({ error: 'no publisher connection' });
              const out = [];
              let estimate = null;
              (await pc.getStats()).forEach((s) => {
                if (s.type === 'outbound-rtp' && s.kind === 'video') out.push({ rid: s.rid || null,
                  width: s.frameWidth || 0, height: s.frameHeight || 0, framesEncoded: s.framesEncoded || 0,
                  bytesSent: s.bytesSent || 0, limitation: s.qualityLimitationReason || null,
                  active: s.active !== false });
                if (s.type === 'candidate-pair' && s.nominated && s.availableOutgoingBitrate) {
                  estimate = s.availableOutgoingBitrate;
                }
              });
              out.sort((a, b) => a.width - b.width);
              return JSON.stringify({ layers: out, estimate });
            })()""";

    private BrowserCall call;

    @BeforeEach
    void setUp() {
        long start = System.nanoTime();
        call = BrowserCall.local(List.of("chromium"), List.of("firefox"));
        System.out.printf("[prism-firefox] server on http://127.0.0.1:%d, Chromium %s and %s started in %d ms%n",
                call.server().httpPort(), call.browsers().get(0).browserVersion(),
                call.firefoxes().get(0).browserVersion(), millisSince(start));
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
    void firefoxAndChromiumSeeAndHearEachOtherAndPrismSeesEveryFirefoxLayer() {
        ChromeBrowser chromium = call.browsers().get(0);
        FirefoxBrowser firefox = call.firefoxes().get(0);
        String room = "firefox-" + Long.toHexString(System.nanoTime());
        firefox.open(call.server().joinUrl(room, "firefox"));
        // adaptive=0: Chromium's demo tile would ask for less than 720p, and dynacast would then (rightly) turn off
        // Firefox's top encoding, which this test needs to see flowing
        chromium.open(call.server().joinUrl(room, "chromium") + "&adaptive=0");
        firefox.waitUntil("joined", FIRST_FRAME_TIMEOUT, b -> {
            Object error = b.eval("window.prism && window.prism.error ? String(window.prism.error) : null");
            assertThat(error).as("Firefox's join failed").isNull();
            return Boolean.TRUE.equals(b.eval("!!(window.prism && window.prism.ready === true)"));
        }, () -> "");

        // --- first decoded frame each way ---------------------------------------------------------------------------
        JsonObject chromiumSees = awaitVideo(chromium, "firefox", 1, FIRST_FRAME_TIMEOUT);
        long chromiumFirstFrame = millisSince(chromium.openedAtNanos());
        JsonObject firefoxSees = awaitVideo(firefox, "chromium", 1, FIRST_FRAME_TIMEOUT);
        long firefoxFirstFrame = millisSince(firefox.openedAtNanos());
        System.out.printf("[prism-firefox] first decoded frame: Chromium from Firefox %d ms after opening (%dx%d), "
                + "Firefox from Chromium %d ms after opening (%dx%d)%n", chromiumFirstFrame,
                chromiumSees.getInteger("frameWidth"), chromiumSees.getInteger("frameHeight"), firefoxFirstFrame,
                firefoxSees.getInteger("frameWidth"), firefoxSees.getInteger("frameHeight"));

        // --- video keeps decoding and audio keeps arriving, both ways -------------------------------------------------
        awaitRising(chromium, "firefox", chromiumSees);
        awaitRising(firefox, "chromium", firefoxSees);

        // --- Prism sees each of Firefox's simulcast layers --------------------------------------------------------
        List<ParticipantMediaStats.Layer> layers = awaitFirefoxLayers(room);
        System.out.printf("[prism-firefox] Prism sees Firefox's layers: %s; Firefox reports sending %s%n",
                layers.stream().map(l -> String.format("%s s%d %dx%d %.0f kbit/s", l.rid(), l.spatial(), l.width(),
                        l.height(), l.bitrateBps() / 1000.0)).collect(Collectors.joining(", ")),
                outbound(firefox));

        saveNegotiation(firefox);

        // --- what Chromium reaches of Firefox's layers, for the record ------------------------------------------------
        JsonObject best = bestVideoWithin(chromium, "firefox", TOP_LAYER_WINDOW);
        JsonObject firefoxSample = sample(firefox);
        JsonObject back = video(firefoxSample, "chromium");
        System.out.printf("[prism-firefox] Firefox's inbound-rtp stats: mid %s (the SDK maps stats to tracks by it)%n",
                back.getValue("statsMid"));
        // --- the demo page and the SDK work in Firefox: the tile's badge reads the received size, no client error,
        // and Firefox's inbound-rtp names its mid, which the SDK's media watch reads (repairs are printed: on a loaded
        // machine a real stall may rightly cause one).
        String badge = "const q = document.querySelector('.tile:not(.local) .quality');"
                + " return q && !q.hidden ? q.dataset.received : null;";
        firefox.waitUntil("the remote tile's badge to show the received size", FLOWING_TIMEOUT,
                b -> String.valueOf(b.eval("(() => {" + badge + "})()")).matches("\\d+x\\d+"),
                () -> "badge: " + firefox.eval("(() => {" + badge + "})()"));
        assertThat(firefox.eval("JSON.stringify(window.prism.errors)")).as("Firefox's client errors").isEqualTo("[]");
        assertThat(chromium.js("return JSON.stringify(window.prism.errors);")).as("Chromium's client errors")
                .isEqualTo("[]");
        assertThat(back.getValue("statsMid")).as("Firefox's inbound-rtp names its mid (the SDK's media watch reads "
                + "it)").isNotNull();
        System.out.printf("[prism-firefox] repairs Prism made: %s%n", repairs(room));

        System.out.printf("[prism-firefox] FIGURES: first frame Firefox->Chromium %d ms, Chromium->Firefox %d ms "
                + "after opening; Chromium decodes Firefox at %dx%d, Firefox decodes Chromium at %dx%d; Prism sees "
                + "%d Firefox layers (%s)%n", chromiumFirstFrame, firefoxFirstFrame, best.getInteger("frameWidth"),
                best.getInteger("frameHeight"), back.getInteger("frameWidth"), back.getInteger("frameHeight"),
                layers.size(), layers.stream().map(ParticipantMediaStats.Layer::rid).collect(Collectors.joining("/")));
    }

    // --- waits -------------------------------------------------------------------------------------------------------

    /** Waits until {@code receiver} has decoded at least {@code frames} frames of known size from {@code sender}. */
    private static JsonObject awaitVideo(Object receiver, String sender, long frames, Duration timeout) {
        AtomicReference<JsonObject> last = new AtomicReference<>();
        return waitUntil(receiver, "a decoded video frame of known size from " + sender, timeout, () -> {
            JsonObject s = sample(receiver);
            last.set(s);
            JsonObject v = video(s, sender);
            return v.getLong("framesDecoded", 0L) >= frames && v.getInteger("frameWidth", 0) > 0 ? v : null;
        }, () -> "last " + last.get());
    }

    /** Waits until frames decoded and audio packets received from {@code sender} both rise above {@code first}. */
    private static void awaitRising(Object receiver, String sender, JsonObject firstVideo) {
        JsonObject start = sample(receiver);
        long audioAtStart = audio(start, sender).getLong("packetsReceived", 0L);
        long framesAtStart = firstVideo.getLong("framesDecoded");
        AtomicReference<JsonObject> last = new AtomicReference<>();
        waitUntil(receiver, "video frames and audio packets from " + sender + " to keep rising", FLOWING_TIMEOUT,
                () -> {
                    JsonObject s = sample(receiver);
                    last.set(s);
                    return video(s, sender).getLong("framesDecoded", 0L) > framesAtStart + 10
                            && audio(s, sender).getLong("packetsReceived", 0L) > audioAtStart + 50 ? s : null;
                }, () -> "first " + firstVideo + ", audio packets then " + audioAtStart + ", last " + last.get());
    }

    /** Waits until Prism has seen packets on every simulcast layer Firefox offered (q, h, f). */
    private List<ParticipantMediaStats.Layer> awaitFirefoxLayers(String room) {
        ChromeBrowser chromium = call.browsers().get(0);
        AtomicReference<List<ParticipantMediaStats.Layer>> last = new AtomicReference<>(List.of());
        long start = System.nanoTime();
        long[] nextTrace = {0};
        return chromium.waitUntil("Prism to see Firefox's three simulcast layers q, h, f with packets",
                LAYERS_TIMEOUT, Duration.ofMillis(500), b -> {
                    List<ParticipantMediaStats.Layer> layers = firefoxVideoLayers(room);
                    last.set(layers);
                    if (System.nanoTime() - start >= nextTrace[0]) {
                        nextTrace[0] += Duration.ofSeconds(10).toNanos();
                        System.out.printf("[prism-firefox] +%d ms Prism: %s; Firefox sends: %s%n", millisSince(start),
                                layers.stream().map(l -> l.rid() + (l.ssrc() == 0 ? " (no packets)"
                                        : String.format(" %dx%d %.0f kbit/s", l.width(), l.height(),
                                                l.bitrateBps() / 1000.0))).collect(Collectors.joining(", ")),
                                outbound(call.firefoxes().get(0)));
                    }
                    return layers.size() == 3
                            && layers.stream().map(ParticipantMediaStats.Layer::rid).toList()
                                    .equals(List.of("q", "h", "f"))
                            && layers.stream().allMatch(l -> l.ssrc() != 0 && l.bitrateBps() > 0) ? layers : null;
                }, () -> "Prism's layers of Firefox's video: " + last.get() + "; Firefox's outbound video: "
                        + outbound(call.firefoxes().get(0)));
    }

    /** The largest frame Chromium decodes from {@code sender} within {@code window} (stops early at 1280 wide). */
    private static JsonObject bestVideoWithin(ChromeBrowser receiver, String sender, Duration window) {
        AtomicReference<JsonObject> best = new AtomicReference<>(video(sample(receiver), sender));
        try {
            receiver.waitUntil("the top layer (reported only)", window, Duration.ofMillis(500), b -> {
                JsonObject v = video(sample(receiver), sender);
                if (v.getInteger("frameWidth", 0) > best.get().getInteger("frameWidth", 0)) {
                    best.set(v);
                }
                return v.getInteger("frameWidth", 0) >= 1280 ? v : null;
            }, () -> "");
        } catch (AssertionError notReached) {
            System.out.printf("[prism-firefox] Chromium did not reach Firefox's 1280-wide layer within %d s%n",
                    window.toSeconds());
        }
        return best.get();
    }

    /**
     * Keeps the SDP Firefox and the running Prism exchanged (target/browser-artifacts/firefox-live-*.sdp): the
     * SDK's simulcast publish offer with Prism's answer, Prism's subscriber offer with Firefox's answer. The captures
     * in test resources sdp/ came from here.
     */
    private static void saveNegotiation(FirefoxBrowser firefox) {
        JsonObject sdp = new JsonObject(String.valueOf(firefox.eval("""
                (() => { const c = window.prism.client; return JSON.stringify({
                  'publish-offer': c.publisherPc.localDescription.sdp,
                  'prism-publish-answer': c.publisherPc.remoteDescription.sdp,
                  'prism-subscriber-offer': c.subscriberPc.remoteDescription.sdp,
                  'subscriber-answer': c.subscriberPc.localDescription.sdp }); })()""")));
        for (String name : sdp.fieldNames()) {
            try {
                java.nio.file.Files.writeString(BrowserArtifacts.file("firefox-live-" + name + ".sdp"),
                        sdp.getString(name));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private List<ParticipantMediaStats.RepairEvent> repairs(String room) {
        try {
            return call.server().server().sfu().mediaStats(room).get(5, TimeUnit.SECONDS).stream()
                    .flatMap(p -> p.repairs().stream()).toList();
        } catch (Exception e) {
            throw new IllegalStateException("Prism's media stats: " + e, e);
        }
    }

    private static String outbound(FirefoxBrowser firefox) {
        try {
            return String.valueOf(firefox.eval(OUTBOUND));
        } catch (RuntimeException e) {
            return "(unavailable: " + e.getMessage() + ")";
        }
    }

    private List<ParticipantMediaStats.Layer> firefoxVideoLayers(String room) {
        try {
            return call.server().server().sfu().mediaStats(room).get(5, TimeUnit.SECONDS).stream()
                    .filter(p -> p.participantId().startsWith("firefox"))
                    .flatMap(p -> p.published().stream()).filter(t -> t.kind().equals("video"))
                    .flatMap(t -> t.layers().stream()).toList();
        } catch (Exception e) {
            throw new IllegalStateException("Prism's media stats: " + e, e);
        }
    }

    // --- one script, either browser ------------------------------------------------------------------------------

    private static JsonObject sample(Object browser) {
        String json = browser instanceof FirefoxBrowser f ? String.valueOf(f.eval(STATS))
                : String.valueOf(((ChromeBrowser) browser).asyncJs("const done = arguments[arguments.length - 1];"
                        + STATS + ".then(done, (e) => done(JSON.stringify({ error: String(e), streams: [] })));"));
        JsonObject s = new JsonObject(json);
        if (s.containsKey("error")) {
            throw new IllegalStateException("stats: " + s.getString("error"));
        }
        return s;
    }

    private static JsonObject video(JsonObject sample, String sender) {
        return stream(sample, sender, "video");
    }

    private static JsonObject audio(JsonObject sample, String sender) {
        return stream(sample, sender, "audio");
    }

    private static JsonObject stream(JsonObject sample, String sender, String kind) {
        JsonArray streams = sample.getJsonArray("streams", new JsonArray());
        for (int i = 0; i < streams.size(); i++) {
            JsonObject s = streams.getJsonObject(i);
            if (sender.equals(s.getString("from")) && kind.equals(s.getString("kind"))) {
                return s;
            }
        }
        return new JsonObject();
    }

    private interface Probe<T> {
        T get();
    }

    /** Polls {@code probe} on whichever browser until it returns non-null; a script error counts as "not yet". */
    private static <T> T waitUntil(Object browser, String what, Duration timeout, Probe<T> probe,
            java.util.function.Supplier<String> diagnostics) {
        if (browser instanceof FirefoxBrowser f) {
            return f.waitUntil(what, timeout, b -> probe.get(), diagnostics);
        }
        return ((ChromeBrowser) browser).waitUntil(what, timeout, b -> {
            try {
                return probe.get();
            } catch (IllegalStateException notYet) {
                throw new org.openqa.selenium.WebDriverException(notYet.getMessage(), notYet);
            }
        }, diagnostics);
    }

    private static long millisSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1_000_000;
    }
}
