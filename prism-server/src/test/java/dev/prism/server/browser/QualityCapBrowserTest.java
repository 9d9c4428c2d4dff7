package dev.prism.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.conference.ParticipantMediaStats;
import dev.prism.core.config.PrismConfig;
import dev.prism.server.PrismServer;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenGrants;
import dev.prism.signaling.auth.TokenService;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A quality-capped token (issue #16 item 3): "pub" publishes Chromium's 1280x720 fake camera as three simulcast
 * encodings; "capped" joins with a token carrying {@code maxVideo: {height: 360}}, "full" with a plain one. Sampled
 * from the browsers' own {@code getStats()} (inbound-rtp {@code frameHeight}) from the moment each subscriber opens
 * until {@link #WINDOW} after "full" decodes 720p: capped never receives more than 360 lines (and does decode
 * video), full gets 720. Prints both maximum heights and Prism's view of the layers. A second test caps the
 * publisher instead: nobody receives its video above the cap.
 */
@Tag("browser")
@ExtendWith(BrowserArtifacts.class)
class QualityCapBrowserTest implements BrowserArtifacts.Browsers {
    private static final String SECRET = "quality-cap-browser-test-secret-0123456789";
    private static final int CAP = 360;
    private static final Duration WINDOW = Duration.ofSeconds(Long.getLong("prism.cap.windowSeconds", 10));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    /** The video a subscriber decodes now, as JSON text. */
    private static final String INBOUND = """
            const done = arguments[arguments.length - 1];
            (async () => {
              const pc = window.prism && window.prism.client && window.prism.client.subscriberPc;
              if (!pc) return { height: 0, frames: 0 };
              let height = 0, frames = 0;
              (await pc.getStats()).forEach((s) => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') {
                  height = Math.max(height, s.frameHeight || 0);
                  frames += s.framesDecoded || 0;
                }
              });
              return { height, frames };
            })().then((r) => done(JSON.stringify(r)), (e) => done(JSON.stringify({ error: String(e) })));
            """;

    private PrismServer server;
    private List<ChromeBrowser> browsers = List.of();

    @AfterEach
    void tearDown() {
        browsers.forEach(ChromeBrowser::close);
        if (server != null) {
            server.close();
        }
    }

    @Override
    public List<ChromeBrowser> browsersToDump() {
        return browsers;
    }

    @Test
    void aCappedSubscriberNeverReceivesAboveItsCap() {
        CompletableFuture<List<ChromeBrowser>> launching = CompletableFuture.supplyAsync(
                () -> ChromeBrowser.launchAll(List.of("pub", "capped", "full")), BrowserThreads.POOL);
        server = PrismServer.start(PrismConfig.builder().httpHost("127.0.0.1").httpPort(0).udpPort(0)
                .apiSecret(SECRET).build());
        browsers = launching.join();
        ChromeBrowser pub = browsers.get(0);
        ChromeBrowser capped = browsers.get(1);
        ChromeBrowser full = browsers.get(2);
        String room = "cap-" + Long.toHexString(System.nanoTime());

        pub.open(url(token(room, "pub", TokenGrants.DEFAULT), false));
        capped.open(url(token(room, "capped", TokenGrants.DEFAULT.withQualityCap(CAP, 0)), true));
        full.open(url(token(room, "full", TokenGrants.DEFAULT), true));

        AtomicInteger cappedMax = new AtomicInteger();
        AtomicInteger fullMax = new AtomicInteger();
        AtomicReference<String> last = new AtomicReference<>("");
        // Until full decodes 720p: both sampled every 250 ms from the start (the cap must hold from the first frame).
        full.waitUntil("full decoding 720p (capped sampled meanwhile)", START_TIMEOUT, Duration.ofMillis(250), b -> {
            int c = sample(capped, cappedMax);
            int f = sample(full, fullMax);
            last.set("capped " + c + ", full " + f + "; Prism " + prismView(room));
            return f >= 720 ? Boolean.TRUE : null;
        }, last::get);
        long windowStart = System.nanoTime();
        long cappedFramesBefore = frames(capped);
        full.waitUntil("the sampling window", WINDOW.plusSeconds(30), Duration.ofMillis(250), b -> {
            sample(capped, cappedMax);
            sample(full, fullMax);
            assertThat(cappedMax.get()).as("capped's largest frame height so far; Prism %s", prismView(room))
                    .isLessThanOrEqualTo(CAP);
            return System.nanoTime() - windowStart >= WINDOW.toNanos() ? Boolean.TRUE : null;
        }, () -> "");
        long cappedFrames = frames(capped) - cappedFramesBefore;
        System.out.printf("[prism-quality-cap] FIGURES: over %d s after full reached 720p, max frameHeight: capped "
                + "(maxVideo.height %d) %d, full (no cap) %d; capped decoded %d frames in the window; Prism: %s%n",
                WINDOW.toSeconds(), CAP, cappedMax.get(), fullMax.get(), cappedFrames, prismView(room));
        assertThat(cappedMax.get()).as("capped's largest frame height").isLessThanOrEqualTo(CAP).isPositive();
        assertThat(cappedFrames).as("capped keeps decoding").isPositive();
        assertThat(fullMax.get()).as("full's largest frame height").isEqualTo(720);
    }

    /**
     * The cap on the sending side: "pub" has {@code maxVideo: {height: 360}} and still sends its 720p layer (the SDK
     * is not told to stop it); Prism forwards none of its layers above 360 lines to "viewer", who has no cap.
     */
    @Test
    void aCappedPublishersVideoReachesNobodyAboveItsCap() {
        CompletableFuture<List<ChromeBrowser>> launching = CompletableFuture.supplyAsync(
                () -> ChromeBrowser.launchAll(List.of("pub", "viewer")), BrowserThreads.POOL);
        server = PrismServer.start(PrismConfig.builder().httpHost("127.0.0.1").httpPort(0).udpPort(0)
                .apiSecret(SECRET).build());
        browsers = launching.join();
        ChromeBrowser pub = browsers.get(0);
        ChromeBrowser viewer = browsers.get(1);
        String room = "sendcap-" + Long.toHexString(System.nanoTime());
        pub.open(url(token(room, "pub", TokenGrants.DEFAULT.withQualityCap(CAP, 0)), false));
        viewer.open(url(token(room, "viewer", TokenGrants.DEFAULT), true));

        AtomicInteger viewerMax = new AtomicInteger();
        AtomicReference<String> last = new AtomicReference<>("");
        viewer.waitUntil("viewer decoding pub's video", START_TIMEOUT, Duration.ofMillis(250), b -> {
            int h = sample(viewer, viewerMax);
            last.set("viewer " + h + "; Prism " + prismView(room));
            return h > 0 ? Boolean.TRUE : null;
        }, last::get);
        long windowStart = System.nanoTime();
        long framesBefore = frames(viewer);
        viewer.waitUntil("the sampling window", WINDOW.plusSeconds(30), Duration.ofMillis(250), b -> {
            sample(viewer, viewerMax);
            assertThat(viewerMax.get()).as("viewer's largest frame height so far; Prism %s", prismView(room))
                    .isLessThanOrEqualTo(CAP);
            return System.nanoTime() - windowStart >= WINDOW.toNanos() ? Boolean.TRUE : null;
        }, () -> "");
        long frames = frames(viewer) - framesBefore;
        Object sent = pub.asyncJs("""
                const done = arguments[arguments.length - 1];
                window.prism.client.publisherPc.getStats().then((r) => { let h = 0; r.forEach((s) => {
                  if (s.type === 'outbound-rtp' && s.kind === 'video') h = Math.max(h, s.frameHeight || 0); });
                  done(h); }, () => done(-1));
                """);
        System.out.printf("[prism-quality-cap] FIGURES: publisher capped at %d lines (its largest encoded layer %s): "
                + "the uncapped viewer's max frameHeight over %d s: %d, %d frames decoded; Prism: %s%n", CAP, sent,
                WINDOW.toSeconds(), viewerMax.get(), frames, prismView(room));
        assertThat(viewerMax.get()).as("viewer's largest frame height").isLessThanOrEqualTo(CAP).isPositive();
        assertThat(frames).as("viewer keeps decoding").isPositive();
    }

    private static int sample(ChromeBrowser b, AtomicInteger max) {
        JsonObject s = new JsonObject(String.valueOf(b.asyncJs(INBOUND)));
        int h = s.getInteger("height", 0);
        max.accumulateAndGet(h, Math::max);
        return h;
    }

    private static long frames(ChromeBrowser b) {
        return new JsonObject(String.valueOf(b.asyncJs(INBOUND))).getLong("frames", 0L);
    }

    /**
     * A watch-only subscriber joins with adaptive stream off ({@code adaptive=0}): with three tiles on the demo page
     * each is about 240 px tall, so its tile asked for at most 357 lines (1.5 x its height) and Prism rightly gave
     * "full" 180p, below the test's 720 (the allocation stayed "optimal" at s0 with a 1 Mbit/s estimate; main and
     * the estimator branch alike). The layer is then the token cap's and the network's decision, which is under test.
     */
    private String url(String token, boolean watchOnly) {
        return "http://127.0.0.1:" + server.httpPort() + "/?token=" + token
                + (watchOnly ? "&publish=none&adaptive=0" : "");
    }

    private static String token(String room, String identity, TokenGrants grants) {
        TokenService ts = new TokenService(SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return ts.issue(AccessToken.grant(room, identity, identity, now, 3600).withGrants(grants));
    }

    /** Each subscriber's video target/current layer in Prism. */
    private String prismView(String room) {
        StringBuilder sb = new StringBuilder();
        try {
            for (ParticipantMediaStats p : server.sfu().mediaStats(room).get(5, TimeUnit.SECONDS)) {
                sb.append(p.participantId());
                for (ParticipantMediaStats.Subscribed t : p.subscribed()) {
                    if (t.kind().equals("video")) {
                        sb.append(' ').append(t.targetLayer()).append('/').append(t.currentLayer());
                    }
                }
                sb.append("; ");
            }
        } catch (Exception e) {
            sb.append("unavailable: ").append(e);
        }
        return sb.toString();
    }
}
