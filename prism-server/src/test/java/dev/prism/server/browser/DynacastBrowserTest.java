package dev.prism.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Dynacast with adaptive stream, in Chromium on the demo page: a publisher of a 1280x720 fake camera as three simulcast
 * encodings (q 320x180, h 640x360, f 1280x720) and one subscriber. The subscriber's video element is made a small tile
 * (160x90 CSS px): its adaptive stream asks for little, the server (after its hold) tells the publisher only q is
 * needed, and the publisher's outbound-rtp for f stops growing (bytesSent flat). The element is then enlarged to
 * 1280x720: f's bytesSent grows again and the subscriber decodes 1280x720.
 *
 * <p>Printed: the time from the server's message to f standing still (target within 2 s), from the tile's enlargement
 * to the publisher's uplink growing again (target within 2 s), and the publisher's uplink bitrate before and after.
 * Generous deadlines: the machine running it may be loaded.
 */
@Tag("browser")
@ExtendWith(BrowserArtifacts.class)
class DynacastBrowserTest implements BrowserArtifacts.Browsers {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(30);

    /** The publisher's outbound video per rid, the dynacast messages it got, and its page clock, as JSON text. */
    private static final String OUTBOUND = """
            const done = arguments[arguments.length - 1];
            (async () => {
              const c = window.prism && window.prism.client;
              const pc = c && c.publisherPc;
              if (!pc) return { error: 'no publisher connection' };
              const layers = {};
              (await pc.getStats()).forEach((s) => {
                if (s.type === 'outbound-rtp' && s.kind === 'video' && s.rid) {
                  layers[s.rid] = { bytesSent: s.bytesSent || 0, width: s.frameWidth || 0,
                    framesEncoded: s.framesEncoded || 0, active: s.active !== false };
                }
              });
              return { at: performance.now(), layers, log: c._publisher.dynacast.log };
            })().then((r) => done(JSON.stringify(r)), (e) => done(JSON.stringify({ error: String(e) })));
            """;

    /** The subscriber's inbound video. */
    private static final String INBOUND = """
            const done = arguments[arguments.length - 1];
            (async () => {
              const pc = window.prism && window.prism.client && window.prism.client.subscriberPc;
              if (!pc) return { error: 'no subscriber connection' };
              let v = null;
              (await pc.getStats()).forEach((s) => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') {
                  v = { width: s.frameWidth || 0, height: s.frameHeight || 0, framesDecoded: s.framesDecoded || 0 };
                }
              });
              return v || { error: 'no inbound video' };
            })().then((r) => done(JSON.stringify(r)), (e) => done(JSON.stringify({ error: String(e) })));
            """;

    /** Sizes the remote tile's video element (CSS px). */
    private static final String RESIZE = """
            const v = document.querySelector('.tile:not(.local) video');
            if (!v) return false;
            v.style.width = arguments[0] + 'px';
            v.style.height = arguments[1] + 'px';
            v.style.right = 'auto';
            v.style.bottom = 'auto';
            return true;
            """;

    private BrowserCall call;

    @BeforeEach
    void setUp() {
        call = BrowserCall.local(List.of("pub", "sub"));
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
    void theTopLayerStopsForASmallTileAndComesBackWhenTheTileGrows() {
        ChromeBrowser pub = call.browsers().get(0);
        ChromeBrowser sub = call.browsers().get(1);
        String room = "dynacast-" + Long.toHexString(System.nanoTime());
        pub.open(call.server().joinUrl(room, "pub"));
        sub.open(call.server().joinUrl(room, "sub") + "&publish=none");

        // --- a large tile: all three layers flow, and the subscriber decodes the top one ---------------------------
        // (The demo's own tile, beside the subscriber's local one, is about 620x350 CSS px: worth 640x360 only.)
        sub.waitFor("the publisher's tile", "document.querySelector('.tile:not(.local) video')", START_TIMEOUT);
        assertThat(sub.js(RESIZE, 1280, 720)).isEqualTo(true);
        AtomicReference<JsonObject> last = new AtomicReference<>();
        pub.waitUntil("three simulcast layers being sent", START_TIMEOUT, Duration.ofMillis(500), b -> {
            JsonObject o = json(b.asyncJs(OUTBOUND));
            last.set(o);
            JsonObject l = o.getJsonObject("layers");
            return l != null && l.size() == 3 && l.stream().allMatch(e -> ((JsonObject) e.getValue())
                    .getLong("framesEncoded") > 0) ? o : null;
        }, () -> "last " + last.get());
        awaitDecoded(sub, 1280, START_TIMEOUT, "decoding 1280 wide in a 1280x720 tile");
        double before = uplinkKbps(pub);
        System.out.printf("[prism-dynacast] publisher video uplink with every layer on: %.0f kbit/s%n", before);

        // --- a small tile: f stops ----------------------------------------------------------------------------------
        assertThat(sub.js(RESIZE, 160, 90)).isEqualTo(true);
        long shrunk = System.nanoTime();
        JsonObject stopped = pub.waitUntil("f's bytesSent standing still after the server's message", CHANGE_TIMEOUT,
                Duration.ofMillis(250), new FlatLayer("f"), () -> "");
        double messageAt = lastMessageAt(stopped, false);
        System.out.printf("[prism-dynacast] small tile: the server said %s %d ms after the resize; f stood still "
                + "within %.0f ms of that message (one 250 ms sample; target 2000 ms)%n", lastActive(stopped),
                millisSince(shrunk) - Math.round(stopped.getDouble("at") - messageAt), stopped.getDouble("stillSince")
                - messageAt);
        assertThat(lastActive(stopped)).as("only the lowest layer is needed").isEqualTo(new JsonArray().add("q"));
        double after = uplinkKbps(pub);
        System.out.printf("[prism-dynacast] publisher video uplink with q only: %.0f kbit/s (was %.0f)%n", after,
                before);
        assertThat(after).as("the uplink shrinks").isLessThan(before * 0.6);

        // --- the tile grows: f comes back, and the subscriber decodes it --------------------------------------------
        JsonObject flat = json(pub.asyncJs(OUTBOUND));
        long fFlat = flat.getJsonObject("layers").getJsonObject("f").getLong("bytesSent");
        assertThat(sub.js(RESIZE, 1280, 720)).isEqualTo(true);
        long grown = System.nanoTime();
        JsonObject resumed = pub.waitUntil("f's bytesSent growing again", CHANGE_TIMEOUT, Duration.ofMillis(100),
                b -> {
                    JsonObject o = json(b.asyncJs(OUTBOUND));
                    return o.getJsonObject("layers").getJsonObject("f").getLong("bytesSent") > fFlat ? o : null;
                }, () -> "");
        long toUplink = millisSince(grown);
        double resumedMessageAt = lastMessageAt(resumed, true);
        System.out.printf("[prism-dynacast] large tile: the publisher's f grows again %d ms after the resize (target "
                + "2000 ms), %.0f ms after the server's message %s%n", toUplink,
                resumed.getDouble("at") - resumedMessageAt, lastActive(resumed));
        JsonObject decoded = awaitDecoded(sub, 1280, CHANGE_TIMEOUT, "decoding 1280 wide again");
        System.out.printf("[prism-dynacast] the subscriber decodes %dx%d %d ms after the resize; publisher video "
                + "uplink "
                + "%.0f kbit/s%n", decoded.getInteger("width"), decoded.getInteger("height"), millisSince(grown),
                uplinkKbps(pub));
        System.out.printf("[prism-dynacast] FIGURES: publisher video uplink %.0f -> %.0f kbit/s for a small tile; "
                + "tile enlarged -> top layer sent again in %d ms (target <= 2000)%n", before, after, toUplink);
    }

    /** Probe: f's bytesSent equal in two samples at least 1 s apart; records when it first stood still. */
    private static final class FlatLayer implements java.util.function.Function<ChromeBrowser, JsonObject> {
        private final String rid;
        private long bytes = -1;
        private double since;

        FlatLayer(String rid) {
            this.rid = rid;
        }

        @Override
        public JsonObject apply(ChromeBrowser b) {
            JsonObject o = json(b.asyncJs(OUTBOUND));
            long now = o.getJsonObject("layers").getJsonObject(rid).getLong("bytesSent");
            double at = o.getDouble("at");
            if (now != bytes) {
                bytes = now;
                since = at;
                return null;
            }
            return at - since >= 1000 && lastActiveOf(o) != null && !lastActiveOf(o).contains(rid)
                    ? o.put("stillSince", since) : null;
        }
    }

    /** The publisher's video uplink over 2 s (bytesSent of every rid), in kbit/s. */
    private static double uplinkKbps(ChromeBrowser pub) {
        JsonObject a = json(pub.asyncJs(OUTBOUND));
        pub.asyncJs("setTimeout(arguments[arguments.length - 1], 2000);");
        JsonObject b = json(pub.asyncJs(OUTBOUND));
        return (totalBytes(b) - totalBytes(a)) * 8.0 / (b.getDouble("at") - a.getDouble("at"));
    }

    private static long totalBytes(JsonObject o) {
        long sum = 0;
        for (var e : o.getJsonObject("layers")) {
            sum += ((JsonObject) e.getValue()).getLong("bytesSent");
        }
        return sum;
    }

    private static JsonObject awaitDecoded(ChromeBrowser b, int width, Duration timeout, String what) {
        AtomicReference<JsonObject> last = new AtomicReference<>();
        return b.waitUntil(what, timeout, Duration.ofMillis(250), x -> {
            JsonObject o = json(x.asyncJs(INBOUND));
            last.set(o);
            return o.getInteger("width", 0) == width ? o : null;
        }, () -> "last " + last.get());
    }

    private static JsonArray lastActiveOf(JsonObject o) {
        JsonArray log = o.getJsonArray("log");
        return log == null || log.isEmpty() ? null : log.getJsonObject(log.size() - 1).getJsonArray("active");
    }

    private static JsonArray lastActive(JsonObject o) {
        return lastActiveOf(o);
    }

    /** When the latest message naming (or, {@code naming} false, not naming) f arrived, on the page's clock. */
    private static double lastMessageAt(JsonObject o, boolean naming) {
        JsonArray log = o.getJsonArray("log");
        for (int i = log.size() - 1; i >= 0; i--) {
            JsonObject m = log.getJsonObject(i);
            if (m.getJsonArray("active").contains("f") == naming) {
                return m.getDouble("at");
            }
        }
        throw new AssertionError("no dynacast message " + (naming ? "naming" : "without") + " f: " + log);
    }

    private static JsonObject json(Object text) {
        return new JsonObject(String.valueOf(text));
    }

    private static long millisSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1_000_000;
    }
}
