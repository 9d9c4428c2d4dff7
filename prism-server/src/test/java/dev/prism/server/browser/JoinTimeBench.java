package dev.prism.server.browser;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Join-time benchmark (issue #14 item 6; perf/README.md, "Join time"): a publisher (camera and microphone, Chromium)
 * already in the room, then {@code prism.join.runs} joins, one after another, of a fresh demo page in a second
 * Chromium, each broken down into its steps from the page's own clock: navigation, document loaded, the SDK's
 * {@code connect()} (after the page's development token), socket open, welcome, subscriber offer received, answer
 * sent, ICE connected, DTLS connected (the subscriber connection), first video packet, first whole (key) frame, first
 * decoded frame. The last three come from the subscriber connection's getStats every {@code prism.join.pollMs} ms
 * (the SDK's {@code joinTimelineMs}), so they are accurate to one poll.
 *
 * <p>Not a test: its name keeps it out of surefire's default includes (and so out of {@code ./test}); {@code perf/run
 * join} runs it with {@code -Dtest=JoinTimeBench}. It lives beside the browser tests because it drives Chromium with
 * their fixtures ({@link ChromeBrowser}, {@link PrismTestServer}), which are test code of this module; perf depends
 * only on prism-server's main jar.
 *
 * <p>Bounded: at most {@link #MAX_RUNS} joins, each given {@link #JOIN_TIMEOUT}; a join that times out is reported
 * with the steps it reached and left out of the statistics.
 */
class JoinTimeBench {

    static final int MAX_RUNS = 30;
    static final Duration JOIN_TIMEOUT = Duration.ofSeconds(20);
    /**
     * Between joins, after the last page's leave is seen at the server: the publisher's key frame throttle (500 ms)
     * must have expired, or the next join's key frame request waits on it. A time window of the server being measured,
     * not an event the bench could wait for.
     */
    static final Duration THROTTLE_PAUSE = Duration.ofMillis(500);

    /** Columns, in join order: name of the step, and the JavaScript giving its time in ms since navigation. */
    static final List<String> STEPS = List.of("document", "connect", "socketOpen", "welcome", "subscriberOffer",
            "answerSent", "iceConnected", "dtlsConnected", "firstRtp", "firstFrame", "firstDecoded");

    private static final String TIMELINE_JS = "const n = performance.getEntriesByType('navigation')[0];"
            + "const t = Object.assign({}, window.prism && window.prism.client ? window.prism.client.joinTimeline : {});"
            + "t.document = n ? n.domContentLoadedEventEnd : null; return t;";

    @Test
    void joinTimes() throws Exception {
        int runs = Math.min(MAX_RUNS, Integer.getInteger("prism.join.runs", 10));
        int pollMs = Integer.getInteger("prism.join.pollMs", 10);
        boolean publish = !"false".equals(System.getProperty("prism.join.publish", "true"));
        String room = "join-" + Long.toHexString(System.nanoTime());
        List<Map<String, Double>> rows = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        try (PrismTestServer server = PrismTestServer.start()) {
            List<ChromeBrowser> browsers = ChromeBrowser.launchAll(List.of("publisher", "joiner"));
            try {
                ChromeBrowser publisher = browsers.get(0);
                ChromeBrowser joiner = browsers.get(1);
                publisher.open(server.joinUrl(room, "publisher"));
                publisher.waitFor("the publisher publishing", "window.prism.ready === true", JOIN_TIMEOUT);
                awaitVideoFramesEncoded(publisher, 30); // a publisher already in the room: its encoders past their start
                line(out, String.format("join-time bench: %d joins into a room with one publisher (camera + mic, "
                        + "simulcast); the joining page %s; media steps polled every %d ms; Chromium %s; "
                        + "load average %.1f on %d cores", runs, publish ? "publishes too (demo default)"
                        : "only watches (&publish=none)", pollMs, joiner.browserVersion(), loadBefore,
                        Runtime.getRuntime().availableProcessors()));
                line(out, header());
                for (int i = 1; i <= runs; i++) {
                    String url = server.joinUrl(room, "joiner-" + i) + "&timeline=" + pollMs
                            + (publish ? "" : "&publish=none");
                    joiner.open(url);
                    Map<String, Double> row = awaitFirstDecoded(joiner);
                    line(out, format(i, row));
                    if (row.get("firstDecoded") != null) {
                        rows.add(row);
                    }
                    joiner.open("about:blank"); // pagehide: the SDK leaves
                    awaitOnlyThePublisher(server, room, publisher);
                    Thread.sleep(THROTTLE_PAUSE.toMillis());
                }
            } finally {
                browsers.forEach(ChromeBrowser::close);
            }
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        line(out, summary(rows, runs));
        line(out, String.format("load average before %.1f, after %.1f", loadBefore, loadAfter));
        String file = System.getProperty("prism.join.out");
        if (file != null) {
            Path path = Path.of(file);
            Files.createDirectories(path.toAbsolutePath().getParent());
            Files.writeString(path, out);
            System.out.println("join-time bench: written to " + path.toAbsolutePath());
        }
    }

    /** Polls the page's timeline until the first decoded remote frame (or the timeout). Times in ms since navigation. */
    private static Map<String, Double> awaitFirstDecoded(ChromeBrowser b) {
        Map<String, Double> row = new LinkedHashMap<>();
        try {
            b.waitUntil("the first decoded remote frame", JOIN_TIMEOUT, Duration.ofMillis(100), x -> {
                if (x.js(TIMELINE_JS) instanceof Map<?, ?> m) {
                    row.clear();
                    for (String step : STEPS) {
                        row.put(step, m.get(step) instanceof Number n ? n.doubleValue() : null);
                    }
                }
                return row.get("firstDecoded") != null ? Boolean.TRUE : null;
            }, () -> "timeline " + row);
        } catch (AssertionError timedOut) {
            // A join that never decoded is a row of its own (its steps up to where it stopped), not the end of the run.
        }
        return row;
    }

    /** Waits until the publisher's camera has encoded {@code frames} video frames. */
    private static void awaitVideoFramesEncoded(ChromeBrowser b, long frames) {
        b.waitUntil(frames + " video frames encoded", JOIN_TIMEOUT, x -> {
            Object n = x.asyncJs("""
                    const done = arguments[arguments.length - 1];
                    const pc = window.prism && window.prism.client && window.prism.client.publisherPc;
                    if (!pc) { done(0); return; }
                    pc.getStats().then((r) => { let n = 0; r.forEach((s) => {
                      if (s.type === 'outbound-rtp' && s.kind === 'video') n += s.framesEncoded || 0; }); done(n); },
                      () => done(0));
                    """);
            return n instanceof Number c && c.longValue() >= frames ? Boolean.TRUE : null;
        }, () -> "");
    }

    /** Waits until the server's room holds the publisher alone: the last joiner has left, the next one starts clean. */
    private static void awaitOnlyThePublisher(PrismTestServer server, String room, ChromeBrowser publisher) {
        publisher.waitUntil("the joiner gone from the room", JOIN_TIMEOUT, x -> {
            try {
                return server.server().inspector().room(room).get(5, java.util.concurrent.TimeUnit.SECONDS)
                        .map(r -> r.participants().size() == 1 ? Boolean.TRUE : null).orElse(null);
            } catch (Exception e) {
                throw new IllegalStateException("reading the room: " + e, e);
            }
        }, () -> "");
    }

    private static String header() {
        StringBuilder s = new StringBuilder(String.format("%-4s", "#"));
        for (String step : STEPS) {
            s.append(String.format(" %9s", abbreviate(step)));
        }
        return s.append(String.format(" %9s", "open->dec")).append("   (ms since navigation)").toString();
    }

    private static String format(int run, Map<String, Double> row) {
        StringBuilder s = new StringBuilder(String.format("%-4d", run));
        for (String step : STEPS) {
            Double v = row.get(step);
            s.append(v == null ? String.format(" %9s", "-") : String.format(" %9.0f", v));
        }
        Double open = row.get("socketOpen");
        Double dec = row.get("firstDecoded");
        s.append(open != null && dec != null ? String.format(" %9.0f", dec - open) : String.format(" %9s", "-"));
        return s.toString();
    }

    /** Per step: median and p90 of its time since the step before, then of the totals. */
    static String summary(List<Map<String, Double>> rows, int runs) {
        StringBuilder s = new StringBuilder(String.format("%d of %d joins reached a decoded frame; per step (ms since "
                + "the step before): median / p90%n", rows.size(), runs));
        String previous = null;
        for (String step : STEPS) {
            List<Double> deltas = new ArrayList<>();
            for (Map<String, Double> row : rows) {
                Double v = row.get(step);
                Double p = previous == null ? Double.valueOf(0) : row.get(previous);
                if (v != null && p != null) {
                    deltas.add(v - p);
                }
            }
            s.append(String.format("  %-16s %6.0f / %6.0f%n", (previous == null ? "navigation" : previous) + "->"
                    + step, percentile(deltas, 50), percentile(deltas, 90)).replace("NaN", "  -"));
            previous = step;
        }
        List<Double> fromOpen = new ArrayList<>();
        List<Double> fromNav = new ArrayList<>();
        for (Map<String, Double> row : rows) {
            if (row.get("socketOpen") != null) {
                fromOpen.add(row.get("firstDecoded") - row.get("socketOpen"));
            }
            fromNav.add(row.get("firstDecoded"));
        }
        s.append(String.format("  socket open -> first decoded frame: median %.0f ms, p90 %.0f ms (target: median "
                + "under 500)%n", percentile(fromOpen, 50), percentile(fromOpen, 90)));
        s.append(String.format("  navigation -> first decoded frame:  median %.0f ms, p90 %.0f ms", percentile(fromNav,
                50), percentile(fromNav, 90)));
        return s.toString();
    }

    /** Nearest-rank percentile; NaN for no values. */
    static double percentile(List<Double> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static String abbreviate(String step) {
        return step.length() <= 9 ? step : step.substring(0, 9);
    }

    private static void line(StringBuilder out, String text) {
        System.out.println(text);
        out.append(text).append('\n');
    }
}
