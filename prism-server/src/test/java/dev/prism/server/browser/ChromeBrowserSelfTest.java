package dev.prism.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Checks that this machine's headless Chromium works the way the conference test needs, without any Prism code: it
 * launches, fake camera and microphone work, two RTCPeerConnections in one page connect to each other, and
 * {@link InboundMedia} sees video frames decoded and audio samples played on the receiving side. If this fails, the
 * conference test cannot pass whatever the server does.
 */
@Tag("browser")
@ExtendWith(BrowserArtifacts.class)
class ChromeBrowserSelfTest implements BrowserArtifacts.Browsers {

    /**
     * Page served from 127.0.0.1 (a secure context, so getUserMedia is allowed): a sender connection {@code a} with
     * the fake camera and microphone, a receiver connection {@code b}, candidates exchanged in the page, the received
     * media played by a video element. {@code participants} mimics the Prism client's map so that attribution is
     * exercised too.
     */
    private static final String LOOPBACK_PAGE = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>loopback</title></head>
            <body>
            <div id="status">starting</div>
            <video id="local" autoplay muted playsinline width="320" height="240"></video>
            <video id="remote" autoplay playsinline width="320" height="240"></video>
            <script>
            window.selfTest = { ready: false, error: null, participants: new Map() };
            (async () => {
              try {
                const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
                document.getElementById('local').srcObject = media;
                const a = new RTCPeerConnection(), b = new RTCPeerConnection();
                a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
                b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
                const tracks = new Map();
                window.selfTest.participants.set('loopback-id', { id: 'loopback-id', name: 'loopback', tracks });
                const remote = new MediaStream();
                b.ontrack = (e) => {
                  remote.addTrack(e.track);
                  tracks.set('loopback-id:' + e.track.kind, { id: 'loopback-id:' + e.track.kind, kind: e.track.kind,
                                                              muted: false, mediaStreamTrack: e.track });
                  document.getElementById('remote').srcObject = remote;
                };
                media.getTracks().forEach((t) => a.addTrack(t, media));
                await a.setLocalDescription();
                await b.setRemoteDescription(a.localDescription);
                await b.setLocalDescription();
                await a.setRemoteDescription(b.localDescription);
                Object.assign(window.selfTest, { a, b, media, ready: true });
                document.getElementById('status').textContent = 'connecting';
                console.log('self-test: offer/answer done, ' + media.getTracks().length + ' local tracks');
              } catch (e) {
                window.selfTest.error = String(e);
                console.error('self-test failed: ' + e);
              }
            })();
            </script>
            </body></html>
            """;

    private static final Duration FLOWING_TIMEOUT = Duration.ofSeconds(20);

    private HttpServer http;
    private ChromeBrowser browser;

    @BeforeEach
    void serveLoopbackPage() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> {
            byte[] body = LOOPBACK_PAGE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
    }

    @AfterEach
    void tearDown() {
        if (browser != null) {
            browser.close();
        }
        http.stop(0);
    }

    @Override
    public List<ChromeBrowser> browsersToDump() {
        return browser == null ? List.of() : List.of(browser);
    }

    @Override
    public InboundMedia.Sample statsForDump(ChromeBrowser b) {
        return sample(b);
    }

    @Test
    void fakeMediaFlowsThroughALoopbackPeerConnectionPair() {
        long launchStart = System.nanoTime();
        browser = ChromeBrowser.launch("selftest");
        System.out.printf("[browser-selftest] Chromium %s launched in %d ms%n", browser.browserVersion(),
                (System.nanoTime() - launchStart) / 1_000_000);

        browser.open("http://127.0.0.1:" + http.getAddress().getPort() + "/");
        browser.waitFor("getUserMedia and the local offer/answer",
                "window.selfTest.ready || window.selfTest.error", Duration.ofSeconds(15));
        assertThat(browser.js("return window.selfTest.error;")).as("page error").isNull();
        assertThat(browser.js("return window.selfTest.media.getTracks().map(t => t.kind).sort().join(',');"))
                .isEqualTo("audio,video");

        long[] flowingAt = new long[1];
        InboundMedia.Sample first = browser.waitUntil("first decoded frame and played audio", FLOWING_TIMEOUT, b -> {
            InboundMedia.Sample s = flowing(sample(b));
            flowingAt[0] = System.nanoTime();
            return s;
        }, () -> String.valueOf(sample(browser)));
        System.out.printf("[browser-selftest] video decoded and audio played %d ms after page open%n",
                (flowingAt[0] - browser.openedAtNanos()) / 1_000_000);
        InboundMedia.Stream firstVideo = first.from("loopback", "video").orElseThrow();
        InboundMedia.Stream firstAudio = first.from("loopback", "audio").orElseThrow();

        InboundMedia.Sample later = browser.waitUntil("frames and audio packets still rising", FLOWING_TIMEOUT,
                b -> {
                    InboundMedia.Sample s = sample(b);
                    return s.framesDecodedFrom("loopback") > firstVideo.framesDecoded()
                            && s.audioPacketsFrom("loopback") > firstAudio.packetsReceived() ? s : null;
                }, () -> String.valueOf(sample(browser)));

        InboundMedia.Stream video = later.from("loopback", "video").orElseThrow();
        InboundMedia.Stream audio = later.from("loopback", "audio").orElseThrow();
        assertThat(later.connectionState()).isEqualTo("connected");
        assertThat(video.frameWidth()).as("decoded width, %s", later).isEqualTo(640);
        assertThat(video.frameHeight()).as("decoded height, %s", later).isEqualTo(480);
        assertThat(video.participantId()).isEqualTo("loopback-id");
        assertThat(video.trackId()).isEqualTo("loopback-id:video");
        assertThat(video.mid()).isNotNull();
        assertThat(audio.totalSamplesReceived()).as("audio samples played, %s", later).isPositive();
        assertThat(audio.trackIdentifier()).isNotEqualTo(video.trackIdentifier());
        System.out.printf("[browser-selftest] %s%n", later);

        assertThat(browser.consoleLog()).as("browser console log reaches the test")
                .anySatisfy(line -> assertThat(line).contains("self-test: offer/answer done, 2 local tracks"));

        Path png = browser.screenshot(BrowserArtifacts.file("selftest-loopback.png"));
        assertThat(png).isNotEmptyFile();
    }

    @Test
    void parallelLaunchAndCleanClose() {
        long start = System.nanoTime();
        List<ChromeBrowser> two = ChromeBrowser.launchAll(List.of("selftest-a", "selftest-b"));
        try {
            System.out.printf("[browser-selftest] 2 browsers launched in parallel in %d ms%n",
                    (System.nanoTime() - start) / 1_000_000);
            assertThat(two).extracting(ChromeBrowser::name).containsExactly("selftest-a", "selftest-b");
            for (ChromeBrowser b : two) {
                assertThat(b.js("return navigator.userAgent;")).asString().contains("Chrome");
                assertThat(b.profileDir()).isDirectory();
            }
        } finally {
            two.forEach(ChromeBrowser::close);
        }
        for (ChromeBrowser b : two) {
            assertThat(b.isClosed()).isTrue();
            assertThat(b.profileDir()).as("profile directory deleted on close").doesNotExist();
            b.close(); // idempotent
        }
    }

    private static InboundMedia.Sample sample(ChromeBrowser b) {
        return InboundMedia.sample(b, "window.selfTest.b", "window.selfTest.participants");
    }

    private static InboundMedia.Sample flowing(InboundMedia.Sample s) {
        return s.from("loopback", "video").filter(v -> v.framesDecoded() > 0 && v.frameWidth() > 0).isPresent()
                && s.from("loopback", "audio").filter(a -> a.packetsReceived() > 0 && a.totalSamplesReceived() > 0)
                        .isPresent() ? s : null;
    }
}
