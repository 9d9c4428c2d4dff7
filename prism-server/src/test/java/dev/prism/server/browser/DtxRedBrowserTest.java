package dev.prism.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Opus DTX and RED (issue #15 item 5) with real browsers: "talker" (Chromium) publishes its fake microphone (and a
 * single-encoding camera); "ears" (Chromium) and "fox" (Firefox) only subscribe. Checked in what the browsers applied
 * and report:
 * <ul>
 *   <li>talker's publish answer from Prism says {@code usedtx=1} and lists {@code red/48000/2} before Opus (so
 *       talker sends RED);</li>
 *   <li>ears kept RED in its answer and receives RED (Prism's RED-forwarded count; Chromium's inbound-rtp says
 *       {@code audio/opus} either way, naming the decoded codec); fox (which offers no RED) receives plain Opus
 *       ({@code audio/opus}): Prism stripped each packet to its primary block. Both decode: packets and samples
 *       rising, little concealment;</li>
 *   <li>DTX: talker's microphone is swapped for a silent track; its audio packet rate drops from ~50/s to a few per
 *       second, ears and fox keep receiving those few packets, and neither SDK calls the silent track missing (no
 *       media repair).</li>
 * </ul>
 */
@Tag("browser")
@ExtendWith(BrowserArtifacts.class)
class DtxRedBrowserTest implements BrowserArtifacts.Browsers {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final long WINDOW_MILLIS = 4000;

    /** An expression (a promise of JSON text): audio stats and the SDP each connection applied. */
    private static final String STATS = """
            (async () => {
              const c = window.prism && window.prism.client;
              if (!c || !(c.subscriberPc || c.publisherPc)) return JSON.stringify({ error: 'no connections yet' });
              const out = { at: performance.now(), inbound: [], outbound: [], repairs: (c.repairs || []).length };
              const read = async (pc, into) => {
                const report = await pc.getStats();
                const codecs = new Map();
                report.forEach((s) => { if (s.type === 'codec') codecs.set(s.id, s.mimeType); });
                report.forEach((s) => {
                  if (s.kind !== 'audio') return;
                  if (s.type === 'inbound-rtp') into.inbound.push({ codec: codecs.get(s.codecId) || null,
                    packetsReceived: s.packetsReceived || 0, packetsLost: s.packetsLost || 0,
                    bytesReceived: s.bytesReceived || 0,
                    totalSamplesReceived: s.totalSamplesReceived || 0, concealedSamples: s.concealedSamples || 0,
                    silentConcealedSamples: s.silentConcealedSamples || 0 });
                  if (s.type === 'outbound-rtp') into.outbound.push({ codec: codecs.get(s.codecId) || null,
                    packetsSent: s.packetsSent || 0 });
                });
              };
              const sub = c.subscriberPc;
              if (sub) await read(sub, out);
              if (c.publisherPc) await read(c.publisherPc, out);
              out.subscriberAnswer = sub && sub.localDescription ? sub.localDescription.sdp : '';
              out.subscriberOffer = sub && sub.remoteDescription ? sub.remoteDescription.sdp : '';
              out.publishAnswer = c.publisherPc && c.publisherPc.remoteDescription
                ? c.publisherPc.remoteDescription.sdp : '';
              return JSON.stringify(out);
            })()""";

    /** Replaces talker's microphone with a silent track (an oscillator at zero gain): Opus goes into DTX. */
    private static final String SILENCE = """
            const done = arguments[arguments.length - 1];
            (async () => {
              const ctx = new AudioContext();
              const osc = ctx.createOscillator();
              const gain = ctx.createGain();
              gain.gain.value = 0;
              const dest = ctx.createMediaStreamDestination();
              osc.connect(gain).connect(dest);
              osc.start();
              await ctx.resume();
              const sender = window.prism.client.publisherPc.getSenders().find((s) => s.track && s.track.kind === 'audio');
              await sender.replaceTrack(dest.stream.getAudioTracks()[0]);
              window.__silence = { ctx, osc };
              return 'silent';
            })().then(done, (e) => done('ERROR ' + e));
            """;

    private BrowserCall call;

    @BeforeEach
    void setUp() {
        call = BrowserCall.local(List.of("talker", "ears"), List.of("fox"));
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
    void redReachesRedSubscribersStrippedOpusTheOthersAndDtxSilenceIsNotLoss() {
        ChromeBrowser talker = call.browsers().get(0);
        ChromeBrowser ears = call.browsers().get(1);
        FirefoxBrowser fox = call.firefoxes().get(0);
        String room = "dtxred-" + Long.toHexString(System.nanoTime());
        talker.open(call.server().joinUrl(room, "talker") + "&simulcast=0");
        ears.open(call.server().joinUrl(room, "ears") + "&publish=none");
        fox.open(call.server().joinUrl(room, "fox") + "&publish=none");

        // --- negotiated: DTX asked of the publisher, RED first; RED kept by ears, not offered by fox ----------------
        JsonObject t = await(talker, "talker sending audio", s -> s.getJsonArray("outbound").size() > 0
                && outbound(s).getLong("packetsSent") > 50);
        String answer = t.getString("publishAnswer");
        assertThat(answer).as("Prism's publish answer").contains("usedtx=1").contains("a=rtpmap:63 red/48000/2")
                .containsPattern("m=audio \\d+ UDP/TLS/RTP/SAVPF 63 111");
        // Chromium's outbound-rtp names the encoder's codec (audio/opus) even while it sends RED: that talker sends
        // RED shows in what ears receives below (Prism forwards RED only when the publisher sends it).
        System.out.printf("[prism-dtxred] talker's outbound audio: %s%n", outbound(t).encode());

        JsonObject e1 = await(ears, "ears receiving talker's audio", s -> inbound(s).getLong("packetsReceived") > 50);
        assertThat(e1.getString("subscriberOffer")).contains("usedtx=1").contains("a=rtpmap:63 red/48000/2");
        assertThat(e1.getString("subscriberAnswer")).as("ears keeps RED").contains("red/48000/2");
        JsonObject f1 = await(fox, "fox receiving talker's audio", s -> inbound(s).getLong("packetsReceived") > 50);
        assertThat(f1.getString("subscriberAnswer")).as("Firefox answers without RED").doesNotContain("red/48000");

        // --- decoded: RED for ears, stripped Opus for fox --------------------------------------------------------
        JsonObject e2 = later(ears, e1);
        JsonObject f2 = later(fox, f1);
        report("speech", e1, e2, f1, f2);
        // Chromium's inbound-rtp names the decoded codec (audio/opus) for RED too, as NetEq unpacks RED before
        // decoding: what went to whom is Prism's count (ears is the one RED subscriber, fox the one stripped).
        MediaCounters counters = call.server().server().media().counters();
        System.out.printf("[prism-dtxred] Prism: RED packets forwarded as RED %d, stripped to Opus %d, unusable %d%n",
                counters.redForwardedPackets(), counters.redStrippedPackets(),
                counters.drops(DropReason.RED_UNUSABLE));
        assertThat(counters.redForwardedPackets()).as("RED forwarded to ears").isGreaterThan(100);
        assertThat(counters.redStrippedPackets()).as("RED stripped for fox").isGreaterThan(100);
        assertThat(counters.drops(DropReason.RED_UNUSABLE)).isZero();
        assertThat(inbound(f2).getString("codec")).as("fox receives Opus").isEqualTo("audio/opus");
        System.out.printf("[prism-dtxred] FIGURES: audio payload received while speaking: ears (RED) %.1f kbit/s, fox "
                + "(stripped to Opus) %.1f kbit/s%n", 8 * rate(e1, e2, "bytesReceived", false) / 1000,
                8 * rate(f1, f2, "bytesReceived", false) / 1000);
        for (JsonObject[] pair : new JsonObject[][] {{e1, e2}, {f1, f2}}) {
            assertDecoding(pair[0], pair[1]);
        }

        // --- DTX: silence makes the talker send a few packets a second; nobody calls it lost ------------------------
        JsonObject speaking = later(talker, t);
        double speechRate = rate(t, speaking, "packetsSent", true);
        assertThat(String.valueOf(talker.asyncJs(SILENCE))).isEqualTo("silent");
        JsonObject s0 = later(talker, speaking); // let the encoder settle into DTX
        JsonObject s1 = later(talker, s0);
        double silentRate = rate(s0, s1, "packetsSent", true);
        JsonObject e3 = sample(ears);
        JsonObject f3 = sample(fox);
        JsonObject e4 = later(ears, e3);
        JsonObject f4 = later(fox, f3);
        System.out.printf("[prism-dtxred] FIGURES: talker's audio packets/s speaking %.1f, silent (DTX) %.1f; ears "
                + "receives %.1f/s and fox %.1f/s in silence; repairs ears %d fox %d%n", speechRate, silentRate,
                rate(e3, e4, "packetsReceived", false), rate(f3, f4, "packetsReceived", false),
                e4.getInteger("repairs"), f4.getInteger("repairs"));
        report("silence", e3, e4, f3, f4);
        assertThat(speechRate).as("speech: a packet per 20 ms frame").isGreaterThan(35);
        assertThat(silentRate).as("DTX: far fewer packets in silence").isLessThan(speechRate / 3);
        assertThat(rate(e3, e4, "packetsReceived", false)).as("ears still receives DTX packets").isGreaterThan(0);
        assertThat(rate(f3, f4, "packetsReceived", false)).as("fox still receives DTX packets").isGreaterThan(0);
        assertThat(e4.getInteger("repairs")).as("ears' SDK repaired nothing").isZero();
        assertThat(f4.getInteger("repairs")).as("fox's SDK repaired nothing").isZero();
        assertThat(inbound(e4).getLong("packetsLost") - inbound(e3).getLong("packetsLost")).as("ears: no loss")
                .isLessThanOrEqualTo(0);
        assertThat(inbound(f4).getLong("packetsLost") - inbound(f3).getLong("packetsLost")).as("fox: no loss")
                .isLessThanOrEqualTo(0);
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private static JsonObject sample(Object browser) {
        String json = browser instanceof FirefoxBrowser f ? String.valueOf(f.eval(STATS))
                : String.valueOf(((ChromeBrowser) browser).asyncJs("const done = arguments[arguments.length - 1];"
                        + STATS + ".then(done, (e) => done(JSON.stringify({ error: String(e) })));"));
        return new JsonObject(json);
    }

    private static JsonObject await(Object browser, String what, java.util.function.Predicate<JsonObject> ready) {
        java.util.function.Function<Object, JsonObject> probe = b -> {
            JsonObject s = sample(browser);
            return !s.containsKey("error") && ready.test(s) ? s : null;
        };
        if (browser instanceof FirefoxBrowser f) {
            return f.waitUntil(what, START_TIMEOUT, Duration.ofMillis(500), b -> probe.apply(b),
                    () -> "last " + sample(f));
        }
        ChromeBrowser c = (ChromeBrowser) browser;
        return c.waitUntil(what, START_TIMEOUT, Duration.ofMillis(500), b -> probe.apply(b),
                () -> "last " + sample(c));
    }

    /** A sample at least {@link #WINDOW_MILLIS} (page time) after {@code earlier}. */
    private static JsonObject later(Object browser, JsonObject earlier) {
        double due = earlier.getDouble("at") + WINDOW_MILLIS;
        return await(browser, "a sample " + WINDOW_MILLIS + " ms later", s -> s.getDouble("at") >= due);
    }

    private static JsonObject inbound(JsonObject s) {
        return s.getJsonArray("inbound").isEmpty() ? new JsonObject().put("packetsReceived", 0L).put("packetsLost", 0L)
                : s.getJsonArray("inbound").getJsonObject(0);
    }

    private static JsonObject outbound(JsonObject s) {
        return s.getJsonArray("outbound").getJsonObject(0);
    }

    private static double rate(JsonObject a, JsonObject b, String field, boolean out) {
        JsonObject x = out ? outbound(a) : inbound(a);
        JsonObject y = out ? outbound(b) : inbound(b);
        return (y.getLong(field) - x.getLong(field)) * 1000.0 / (b.getDouble("at") - a.getDouble("at"));
    }

    private static void assertDecoding(JsonObject a, JsonObject b) {
        long packets = inbound(b).getLong("packetsReceived") - inbound(a).getLong("packetsReceived");
        long samples = inbound(b).getLong("totalSamplesReceived") - inbound(a).getLong("totalSamplesReceived");
        long concealed = inbound(b).getLong("concealedSamples") - inbound(a).getLong("concealedSamples");
        assertThat(packets).as("packets received").isPositive();
        assertThat(samples).as("samples decoded").isPositive();
        assertThat((double) concealed / samples).as("concealed fraction").isLessThan(0.2);
    }

    private static void report(String phase, JsonObject e1, JsonObject e2, JsonObject f1, JsonObject f2) {
        System.out.printf("[prism-dtxred] %s: ears %s -> %s; fox %s -> %s%n", phase, inbound(e1).encode(),
                inbound(e2).encode(), inbound(f1).encode(), inbound(f2).encode());
    }
}
