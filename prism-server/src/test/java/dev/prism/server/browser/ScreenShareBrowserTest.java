package dev.prism.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Screen share (issue #15 item 1), end to end in Chromium: "presenter" joins the demo page with camera and microphone,
 * then presses its Share screen button. The SDK calls the real getDisplayMedia: headless Chromium with
 * {@code --use-fake-ui-for-media-stream} and {@code --use-fake-device-for-media-stream} (ChromeBrowser's flags) picks
 * a fake 800x600 display with a fake audio track at once, so no flag is added for it. The screen goes out as a third
 * m-line with the content hint 'detail', beside camera and microphone. "viewer" decodes the screen and the camera and
 * sees the screen marked as a screen (track source 'screen', its audio 'screen_audio'), shown large on its stage; the
 * admin inspector lists the four sources. Ending the screen track as the browser's own "Stop sharing" does unpublishes
 * screen and audio: the viewer's stage empties and the camera keeps playing.
 */
@Tag("browser")
@ExtendWith(BrowserArtifacts.class)
class ScreenShareBrowserTest implements BrowserArtifacts.Browsers {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(500);

    /**
     * The viewer's subscriptions as JSON text: per track its source, kind, publisher name and, for video, the frames
     * its inbound-rtp decoded and their size.
     */
    private static final String SUBSCRIPTIONS = """
            const done = arguments[arguments.length - 1];
            (async () => {
              const c = window.prism && window.prism.client;
              if (!c || !c.subscriberPc) return { error: 'no subscriber connection yet' };
              const video = {};
              (await c.subscriberPc.getStats()).forEach((s) => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') {
                  video[s.mid] = { framesDecoded: s.framesDecoded || 0, width: s.frameWidth || 0,
                    height: s.frameHeight || 0 };
                }
              });
              return { tracks: c.subscriptions().map((s) => Object.assign({ id: s.track.id, source: s.track.source,
                kind: s.track.kind, from: s.participant.name, mid: s.mid }, video[s.mid] || {})) };
            })().then((r) => done(JSON.stringify(r)), (e) => done(JSON.stringify({ error: String(e) })));
            """;

    /** The presenter's local tracks and what its screen encoder sends, as JSON text. */
    private static final String PRESENTER = """
            const done = arguments[arguments.length - 1];
            (async () => {
              const c = window.prism.client;
              const local = [...c.localParticipant.tracks.values()].map((t) => ({ id: t.id, source: t.source,
                contentHint: t.mediaStreamTrack ? t.mediaStreamTrack.contentHint : null }));
              const out = [];
              (await c.publisherPc.getStats()).forEach((s) => {
                if (s.type === 'outbound-rtp' && s.kind === 'video') {
                  out.push({ mid: s.mid, framesEncoded: s.framesEncoded || 0, width: s.frameWidth || 0,
                    fps: s.framesPerSecond || 0 });
                }
              });
              const screen = [...c.localParticipant.tracks.values()].find((t) => t.source === 'screen');
              const sender = screen && c.publisherPc.getSenders().find((x) => x.track === screen.mediaStreamTrack);
              const p = sender ? sender.getParameters() : null;
              const encodings = p ? p.encodings.map((e) => ({ maxFramerate: e.maxFramerate, maxBitrate: e.maxBitrate,
                scale: e.scaleResolutionDownBy })) : null;
              return { local, outbound: out, sharing: c.isSharingScreen(), encodings,
                degradation: p ? p.degradationPreference || null : null };
            })().then((r) => done(JSON.stringify(r)), (e) => done(JSON.stringify({ error: String(e) })));
            """;

    private BrowserCall call;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        call = BrowserCall.local(List.of("presenter", "viewer"));
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
    void aSharedScreenIsDecodedByAnotherParticipantAsAScreenBesideTheCamera() throws Exception {
        ChromeBrowser presenter = call.browsers().get(0);
        ChromeBrowser viewer = call.browsers().get(1);
        String room = "screen-" + Long.toHexString(System.nanoTime());
        presenter.open(call.server().joinUrl(room, "presenter") + "&simulcast=0");
        viewer.open(call.server().joinUrl(room, "viewer") + "&simulcast=0");
        for (ChromeBrowser b : call.browsers()) {
            b.waitFor("joined and publishing", "window.prism.ready === true", TIMEOUT);
        }
        presenter.waitFor("the Share screen button enabled", "!document.querySelector('#btn-screen').disabled",
                TIMEOUT);

        // --- the presenter shares its screen with the demo's button ----------------------------------------------
        presenter.js("document.querySelector('#btn-screen').click();");
        presenter.waitFor("the button to say it shares", "document.querySelector('#btn-screen').dataset.sharing "
                + "=== 'true' && window.prism.client.localParticipant.tracks.size === 4", TIMEOUT);
        JsonObject sent = presenter.waitUntil("the screen encoded", TIMEOUT, POLL, b -> {
            JsonObject p = new JsonObject((String) b.asyncJs(PRESENTER));
            return p.getJsonArray("outbound").size() == 2 && p.getJsonArray("outbound").stream()
                    .allMatch(o -> ((JsonObject) o).getLong("framesEncoded") > 0) ? p : null;
        }, () -> String.valueOf(presenter.asyncJs(PRESENTER)));
        System.out.printf("[prism-screen] presenter: %s%n", sent.encode());
        Map<String, String> hints = sent.getJsonArray("local").stream().map(o -> (JsonObject) o)
                .collect(Collectors.toMap(o -> o.getString("source"), o -> String.valueOf(o.getString("contentHint"))));
        assertThat(hints).containsOnlyKeys("microphone", "camera", "screen", "screen_audio");
        assertThat(hints.get("screen")).isEqualTo("detail");
        // One full-resolution encoding at a low frame rate, keeping resolution under pressure: text stays sharp.
        assertThat(sent.getJsonArray("encodings")).as("%s", sent).hasSize(1);
        JsonObject encoding = sent.getJsonArray("encodings").getJsonObject(0);
        assertThat(encoding.getInteger("maxFramerate")).isEqualTo(5);
        assertThat(encoding.getInteger("maxBitrate")).isEqualTo(1_500_000);
        assertThat(sent.getString("degradation")).isEqualTo("maintain-resolution");
        assertThat(presenter.consoleLog()).noneMatch(l -> l.contains("bad_source"));

        // --- the viewer decodes the screen and the camera, and knows which is which ----------------------------
        JsonObject seen = viewer.waitUntil("the screen and the camera decoded", TIMEOUT, POLL,
                b -> decodingScreenAndCamera(b, 0), () -> String.valueOf(viewer.asyncJs(SUBSCRIPTIONS)));
        JsonObject later = viewer.waitUntil("the screen and the camera still decoding", TIMEOUT, POLL,
                b -> decodingScreenAndCamera(b, frames(seen, "screen") + 1), () -> "last "
                        + viewer.asyncJs(SUBSCRIPTIONS));
        System.out.printf("[prism-screen] viewer: %s%n", later.encode());
        assertThat(sourcesFrom(later, "presenter")).containsExactlyInAnyOrder("microphone", "camera", "screen",
                "screen_audio");
        JsonObject screen = track(later, "screen");
        assertThat(screen.getString("kind")).isEqualTo("video");
        assertThat(screen.getInteger("width")).as("the fake display's width, sent at full resolution: %s", later)
                .isEqualTo(800);
        viewer.waitFor("the stage showing the presenter's screen large",
                "document.querySelector('#screen-stage').dataset.trackId === '" + screen.getString("id")
                        + "' && !document.querySelector('#screen-stage').hidden"
                        + " && /^\\d+x\\d+$/.test(document.querySelector('#screen-stage').dataset.received)",
                TIMEOUT);
        viewer.screenshot(BrowserArtifacts.file("screen-share-viewer.png"));

        // --- the admin inspector shows the sources Prism kept per track -----------------------------------------
        JsonObject admin = roomFromAdminApi(room);
        assertThat(adminSources(admin)).as("admin room %s", admin.encode())
                .containsExactlyInAnyOrder("microphone", "camera", "screen", "screen_audio");

        // --- the browser's own "Stop sharing" (the capture track ends) unpublishes screen and audio -------------
        presenter.js("const t = [...window.prism.client.localParticipant.tracks.values()]"
                + ".find((x) => x.source === 'screen').mediaStreamTrack; t.stop(); t.dispatchEvent(new Event('ended'));");
        presenter.waitFor("the button back to Share screen", "document.querySelector('#btn-screen').dataset.sharing "
                + "=== 'false' && window.prism.client.localParticipant.tracks.size === 2", TIMEOUT);
        viewer.waitFor("the stage empty", "document.querySelector('#screen-stage').hidden", TIMEOUT);
        JsonObject after = viewer.waitUntil("only the camera and microphone left, the camera decoding", TIMEOUT, POLL,
                b -> {
                    JsonObject s = new JsonObject((String) b.asyncJs(SUBSCRIPTIONS));
                    return !s.containsKey("error") && sourcesFrom(s, "presenter").size() == 2
                            && frames(s, "camera") > frames(later, "camera") ? s : null;
                }, () -> "last " + viewer.asyncJs(SUBSCRIPTIONS));
        assertThat(sourcesFrom(after, "presenter")).containsExactlyInAnyOrder("microphone", "camera");
        assertThat(adminSources(roomFromAdminApi(room))).containsExactlyInAnyOrder("microphone", "camera");
    }

    /**
     * The SDK's other way in, for pages that draw what they share (and browsers without getDisplayMedia): a canvas's
     * captureStream track passed as {@code shareScreen({track, simulcast: true})} goes out as two layers (half, full
     * resolution) and the viewer decodes it as a screen. The canvas stays the page's: stopping the share leaves it
     * running.
     */
    @Test
    void aCanvasTrackSharedAsTwoLayersIsDecodedAsAScreen() {
        ChromeBrowser presenter = call.browsers().get(0);
        ChromeBrowser viewer = call.browsers().get(1);
        String room = "canvas-" + Long.toHexString(System.nanoTime());
        presenter.open(call.server().joinUrl(room, "presenter") + "&simulcast=0");
        viewer.open(call.server().joinUrl(room, "viewer") + "&simulcast=0");
        for (ChromeBrowser b : call.browsers()) {
            b.waitFor("joined and publishing", "window.prism.ready === true", TIMEOUT);
        }
        Object shared = presenter.asyncJs("""
                const done = arguments[arguments.length - 1];
                const canvas = document.createElement('canvas');
                canvas.width = 1280;
                canvas.height = 720;
                const g = canvas.getContext('2d');
                let n = 0;
                window.slides = setInterval(() => {
                  g.fillStyle = '#fff'; g.fillRect(0, 0, 1280, 720);
                  g.fillStyle = '#000'; g.font = '40px monospace';
                  for (let i = 0; i < 12; i++) g.fillText('slide ' + n + ' line ' + i, 40, 60 + i * 55);
                  n++;
                }, 200);
                window.canvasTrack = canvas.captureStream(5).getVideoTracks()[0];
                window.prism.client.shareScreen({ track: window.canvasTrack, simulcast: true })
                  .then((ts) => done(ts.map((t) => t.source).join(',')), (e) => done('ERROR ' + e.code + ': ' + e.message));
                """);
        assertThat(shared).isEqualTo("screen");
        Object rids = presenter.js("const t = [...window.prism.client.localParticipant.tracks.values()]"
                + ".find((x) => x.source === 'screen');"
                + "return window.prism.client.publisherPc.getSenders().find((s) => s.track === t.mediaStreamTrack)"
                + ".getParameters().encodings.map((e) => e.rid + '/' + e.scaleResolutionDownBy + '/' + e.maxFramerate)"
                + ".join(' ');");
        assertThat(rids).isEqualTo("h/2/5 f/1/5");

        JsonObject seen = viewer.waitUntil("the canvas decoded as a screen", TIMEOUT, POLL,
                b -> decodingScreenAndCamera(b, 2), () -> String.valueOf(viewer.asyncJs(SUBSCRIPTIONS)));
        System.out.printf("[prism-screen] viewer of a canvas: %s%n", seen.encode());
        assertThat(track(seen, "screen").getString("kind")).isEqualTo("video");
        assertThat(sourcesFrom(seen, "presenter")).containsExactlyInAnyOrder("microphone", "camera", "screen");

        Object stopped = presenter.asyncJs("const done = arguments[arguments.length - 1];"
                + "window.prism.client.stopScreenShare().then(() => done(window.canvasTrack.readyState),"
                + " (e) => done('ERROR ' + e.message));");
        assertThat(stopped).as("the page's own track keeps running").isEqualTo("live");
        viewer.waitUntil("the screen gone", TIMEOUT, POLL, b -> {
            JsonObject s = new JsonObject((String) b.asyncJs(SUBSCRIPTIONS));
            return !s.containsKey("error") && track(s, "screen") == null ? s : null;
        }, () -> "last " + viewer.asyncJs(SUBSCRIPTIONS));
    }

    /** The subscriptions when presenter's screen decoded more than {@code minScreenFrames} frames and its camera some. */
    private static JsonObject decodingScreenAndCamera(ChromeBrowser viewer, long minScreenFrames) {
        JsonObject s = new JsonObject((String) viewer.asyncJs(SUBSCRIPTIONS));
        if (s.containsKey("error") || track(s, "screen") == null || track(s, "camera") == null) {
            return null;
        }
        return frames(s, "screen") > minScreenFrames && frames(s, "camera") > 0 ? s : null;
    }

    private static JsonObject track(JsonObject subscriptions, String source) {
        return subscriptions.getJsonArray("tracks").stream().map(o -> (JsonObject) o)
                .filter(t -> "presenter".equals(t.getString("from")) && source.equals(t.getString("source")))
                .findFirst().orElse(null);
    }

    private static long frames(JsonObject subscriptions, String source) {
        JsonObject t = track(subscriptions, source);
        return t == null ? 0 : t.getLong("framesDecoded", 0L);
    }

    private static List<String> sourcesFrom(JsonObject subscriptions, String name) {
        return subscriptions.getJsonArray("tracks").stream().map(o -> (JsonObject) o)
                .filter(t -> name.equals(t.getString("from"))).map(t -> t.getString("source")).toList();
    }

    /** The presenter's track sources in the admin API's room. */
    private static List<String> adminSources(JsonObject room) {
        return room.getJsonArray("participants").stream().map(o -> (JsonObject) o)
                .filter(p -> "presenter".equals(p.getString("name")))
                .flatMap(p -> p.getJsonArray("tracks", new JsonArray()).stream())
                .map(t -> ((JsonObject) t).getString("source")).toList();
    }

    private JsonObject roomFromAdminApi(String room) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(call.server().baseUrl()
                        + "/admin/api/rooms/" + URLEncoder.encode(room, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + call.server().adminSecret())
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body());
    }
}
