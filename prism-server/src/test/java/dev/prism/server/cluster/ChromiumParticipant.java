package dev.prism.server.cluster;

import dev.prism.server.browser.ChromeBrowser;
import dev.prism.server.browser.InboundMedia;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A real participant for the cluster's media tests: headless Chromium ({@link ChromeBrowser}, fake camera and
 * microphone) on the demo page opened through the bench's nginx with a token of the bench ({@code /?token=...}), so
 * its signaling socket goes wherever nginx sends it and its media to the address the node advertises (start the bench
 * with {@link ClusterBench.Builder#mediaForBrowsers()}).
 *
 * <p>"Decoding video from N peers" means: between two {@code getStats()} samples ({@link InboundMedia}), the frames
 * decoded from N distinct remote participants, told apart by name (a participant that rejoins after a failover gets
 * a new id but keeps its name), went up.
 *
 * <p>Like the browser under it, one instance is driven by one thread at a time.
 */
public final class ChromiumParticipant implements AutoCloseable {
    private static final Duration JOIN_DEADLINE = Duration.ofSeconds(30);

    private final ChromeBrowser browser;
    private final String room;
    /** Frames decoded per remote participant name at the previous sample. */
    private Map<String, Long> previousFrames = Map.of();
    private InboundMedia.Sample lastSample;

    private ChromiumParticipant(ChromeBrowser browser, String room) {
        this.browser = browser;
        this.room = room;
    }

    /**
     * Launches Chromium for each name (in parallel), opens the demo page through nginx for each and waits until
     * every page has joined (its client reports ready, 30 s). On any failure the browsers are closed.
     */
    public static List<ChromiumParticipant> joinAll(ClusterBench bench, String room, List<String> names) {
        List<ChromeBrowser> browsers = ChromeBrowser.launchAll(names);
        List<ChromiumParticipant> joined = new ArrayList<>();
        try {
            for (ChromeBrowser b : browsers) {
                ChromiumParticipant p = new ChromiumParticipant(b, room);
                joined.add(p);
                b.open(bench.nginxUrl() + "/?token=" + URLEncoder.encode(bench.token(room, b.name()),
                        StandardCharsets.UTF_8));
            }
            for (ChromiumParticipant p : joined) {
                p.browser.waitFor("the demo page to join " + room + " through nginx",
                        "window.prism && window.prism.ready === true", JOIN_DEADLINE);
            }
            return joined;
        } catch (RuntimeException | Error e) {
            browsers.forEach(ChromeBrowser::close);
            throw e;
        }
    }

    /** One participant; see {@link #joinAll}. */
    public static ChromiumParticipant join(ClusterBench bench, String room, String name) {
        return joinAll(bench, room, List.of(name)).get(0);
    }

    public String name() {
        return browser.name();
    }

    public String room() {
        return room;
    }

    public ChromeBrowser browser() {
        return browser;
    }

    /** The participant id the page's client holds now (it changes when the page rejoins), or null. */
    public String participantId() {
        Object id = browser.js("const c = window.prism && window.prism.client;"
                + " return c && c.localParticipant ? c.localParticipant.id : null;");
        return id == null ? null : id.toString();
    }

    /**
     * Takes a {@code getStats()} sample and returns the names of the remote participants whose decoded video frames
     * went up since the previous sample (none on the first call after launch).
     */
    public Set<String> peersDecodingVideo() {
        InboundMedia.Sample sample = InboundMedia.sample(browser);
        Map<String, Long> frames = new HashMap<>();
        for (InboundMedia.Stream s : sample.streams()) {
            String peer = s.participantName() != null ? s.participantName() : s.participantId();
            if (s.isVideo() && peer != null) {
                frames.merge(peer, s.framesDecoded(), Long::sum);
            }
        }
        Set<String> rising = new TreeSet<>();
        frames.forEach((peer, count) -> {
            if (count > previousFrames.getOrDefault(peer, Long.MAX_VALUE)) {
                rising.add(peer);
            }
        });
        previousFrames = frames;
        lastSample = sample;
        return rising;
    }

    /**
     * Samples every 200 ms until video from at least {@code peers} remote participants is being decoded, and returns
     * how long that took from this call.
     *
     * @throws AssertionError at the deadline, with the last sample and the page's console
     */
    public Duration awaitDecodingVideoFrom(int peers, Duration deadline) {
        long start = System.nanoTime();
        peersDecodingVideo(); // the baseline
        browser.waitUntil("decoding video from " + peers + " peers", deadline,
                b -> peersDecodingVideo().size() >= peers ? Boolean.TRUE : null,
                () -> String.valueOf(lastSample));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Quits the browser (never throws). */
    @Override
    public void close() {
        browser.close();
    }

    @Override
    public String toString() {
        return "ChromiumParticipant[" + name() + " in " + room + "]";
    }
}
