package dev.prism.server.browser;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a subscriber's video looked like over a measurement window, from its {@code getStats()} sampled about once a
 * second: frozen time per minute, decoded resolution over time, PLIs sent, loss left after retransmission, and the
 * selected candidate pair. For impaired-network scenarios ({@link RelayedLink}); one remote video stream expected.
 */
final class ReceiveQuality {
    /** The subscriber's inbound video and selected pair, as JSON text. */
    private static final String STATS = """
            const done = arguments[arguments.length - 1];
            (async () => {
              const pc = window.prism && window.prism.client && window.prism.client.subscriberPc;
              if (!pc) return { error: 'no subscriber connection' };
              const out = { video: null, pair: null };
              const stats = await pc.getStats();
              stats.forEach((s) => {
                if (s.type === 'inbound-rtp' && s.kind === 'video' && !out.video) {
                  out.video = {
                    packetsReceived: s.packetsReceived || 0, packetsLost: s.packetsLost || 0,
                    nackCount: s.nackCount || 0, retransmittedPacketsReceived: s.retransmittedPacketsReceived || 0,
                    framesDecoded: s.framesDecoded || 0, freezeCount: s.freezeCount || 0,
                    totalFreezesDuration: s.totalFreezesDuration || 0, pliCount: s.pliCount || 0,
                    frameWidth: s.frameWidth || 0, frameHeight: s.frameHeight || 0,
                    jitterMs: (s.jitter || 0) * 1000,
                    jitterBufferMs: s.jitterBufferEmittedCount ? 1000 * s.jitterBufferDelay / s.jitterBufferEmittedCount : 0
                  };
                }
                if (s.type === 'transport' && s.selectedCandidatePairId) {
                  const pair = stats.get(s.selectedCandidatePairId);
                  const local = pair && stats.get(pair.localCandidateId);
                  const remote = pair && stats.get(pair.remoteCandidateId);
                  if (pair && local && remote) {
                    out.pair = { local: local.candidateType + ' ' + local.address + ':' + local.port,
                      remote: remote.candidateType + ' ' + remote.address + ':' + remote.port,
                      remotePort: remote.port, protocol: remote.protocol,
                      rttMs: pair.currentRoundTripTime != null ? pair.currentRoundTripTime * 1000 : -1 };
                  }
                }
              });
              return out;
            })().then((r) => done(JSON.stringify(r)), (e) => done(JSON.stringify({ error: String(e) })));
            """;

    /** One sample: when (test clock, ns) and the stats. */
    record Sample(long atNanos, JsonObject video, JsonObject pair) {
        long frames() {
            return video.getLong("framesDecoded");
        }

        String resolution() {
            return video.getInteger("frameWidth") + "x" + video.getInteger("frameHeight");
        }
    }

    private final List<Sample> samples = new ArrayList<>();

    /** Takes one sample of {@code subscriber}; fails on a stats error or when no video is received yet. */
    Sample sample(ChromeBrowser subscriber) {
        JsonObject s = read(subscriber);
        if (s.getJsonObject("video") == null) {
            throw new org.openqa.selenium.WebDriverException("stats: no inbound video yet: " + s);
        }
        Sample sample = new Sample(System.nanoTime(), s.getJsonObject("video"), s.getJsonObject("pair"));
        samples.add(sample);
        return sample;
    }

    /** Something a scenario does {@code at} into the window (change the link, cut it), named for the printout. */
    record Step(Duration at, String name, Runnable action) {
    }

    private final List<String> stepsTaken = new ArrayList<>();
    private final List<Double> stepSeconds = new ArrayList<>();

    /** Samples once a second for {@code window} (plus a bounded margin for slow stats calls). */
    ReceiveQuality sampleFor(ChromeBrowser subscriber, Duration window) {
        return sampleFor(subscriber, window, List.of());
    }

    /**
     * Samples once a second for {@code window}, taking each step (in order) at the first sample at or after its time.
     */
    ReceiveQuality sampleFor(ChromeBrowser subscriber, Duration window, List<Step> steps) {
        long start = System.nanoTime();
        int[] next = {0};
        sample(subscriber);
        subscriber.waitUntil("the end of the " + window.toSeconds() + " s window", window.plusSeconds(30),
                Duration.ofSeconds(1), b -> {
                    long elapsed = System.nanoTime() - start;
                    while (next[0] < steps.size() && elapsed >= steps.get(next[0]).at().toNanos()) {
                        Step step = steps.get(next[0]++);
                        step.action().run();
                        stepSeconds.add((System.nanoTime() - first().atNanos()) / 1e9);
                        stepsTaken.add(String.format(Locale.ROOT, "t=%.1fs %s",
                                (System.nanoTime() - first().atNanos()) / 1e9, step.name()));
                    }
                    Sample s = sample(b);
                    return s.atNanos() - start >= window.toNanos() ? s : null;
                }, () -> "last sample " + (samples.isEmpty() ? null : samples.get(samples.size() - 1)));
        return this;
    }

    /** The steps taken, with when. */
    List<String> stepsTaken() {
        return List.copyOf(stepsTaken);
    }

    /** Seconds from the first sample to the first one at or after {@code fromSeconds} whose frame count moved. */
    double secondsUntilFramesMoveAfter(double fromSeconds) {
        Sample previous = null;
        for (Sample x : samples) {
            double t = (x.atNanos() - first().atNanos()) / 1e9;
            if (previous != null && t >= fromSeconds && x.frames() != previous.frames()) {
                return t;
            }
            previous = x;
        }
        return Double.NaN;
    }

    /** Seconds into the window at which step {@code i} was taken; NaN when it was not. */
    double stepSeconds(int i) {
        return i < stepSeconds.size() ? stepSeconds.get(i) : Double.NaN;
    }

    /** The decoded size of the last sample before {@code seconds} into the window ("320x180"), or null. */
    String resolutionBefore(double seconds) {
        String r = null;
        for (Sample x : samples) {
            if ((x.atNanos() - first().atNanos()) / 1e9 >= seconds) {
                break;
            }
            r = x.resolution();
        }
        return r;
    }

    /** Seconds into the window of the first sample at or after {@code fromSeconds} decoding {@code size}; NaN if none. */
    double secondsUntilResolutionAfter(double fromSeconds, String size) {
        for (Sample x : samples) {
            double t = (x.atNanos() - first().atNanos()) / 1e9;
            if (t >= fromSeconds && x.resolution().equals(size)) {
                return t;
            }
        }
        return Double.NaN;
    }

    static JsonObject read(ChromeBrowser b) {
        JsonObject s = new JsonObject(String.valueOf(b.asyncJs(STATS)));
        if (s.containsKey("error")) {
            throw new org.openqa.selenium.WebDriverException("stats: " + s.getString("error"));
        }
        return s;
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    Sample first() {
        return samples.get(0);
    }

    Sample last() {
        return samples.get(samples.size() - 1);
    }

    double seconds() {
        return (last().atNanos() - first().atNanos()) / 1e9;
    }

    /**
     * How much {@code field} grew over the window. A stream that starts again (a new subscriber connection or
     * receiver after a repair: its counters fall back) counts from zero from there on.
     */
    private double growth(String field) {
        double sum = 0;
        for (int i = 1; i < samples.size(); i++) {
            double a = samples.get(i - 1).video().getDouble(field);
            double b = samples.get(i).video().getDouble(field);
            sum += b >= a ? b - a : b;
        }
        return sum;
    }

    private long delta(String field) {
        return Math.round(growth(field));
    }

    /** How many times the received stream's counters started again (a new connection or receiver). */
    int restarts() {
        int n = 0;
        for (int i = 1; i < samples.size(); i++) {
            if (samples.get(i).video().getLong("packetsReceived") < samples.get(i - 1).video()
                    .getLong("packetsReceived")) {
                n++;
            }
        }
        return n;
    }

    /**
     * Seconds of the window between samples in which no frame was decoded (1 s resolution). Unlike Chrome's freeze
     * figure it counts a stall that ends with a new stream, or does not end, too.
     */
    double secondsWithoutFrames() {
        double sum = 0;
        for (int i = 1; i < samples.size(); i++) {
            if (samples.get(i).frames() == samples.get(i - 1).frames()) {
                sum += (samples.get(i).atNanos() - samples.get(i - 1).atNanos()) / 1e9;
            }
        }
        return sum;
    }

    double freezeSecondsPerMinute() {
        return growth("totalFreezesDuration") * 60 / Math.max(1e-9, seconds());
    }

    /** Share of video packets lost and not repaired by retransmission (Chrome counts an RTX copy apart). */
    double residualLoss() {
        long received = delta("packetsReceived");
        long lost = delta("packetsLost");
        long unrepaired = Math.max(0, lost - delta("retransmittedPacketsReceived"));
        return received + lost == 0 ? 1 : (double) unrepaired / (received + lost);
    }

    long plis() {
        return delta("pliCount");
    }

    long framesDecoded() {
        return delta("framesDecoded");
    }

    /** "t=0s 320x180, t=7s 640x360, ...": the decoded size at the start and at each change. */
    String resolutionTimeline() {
        StringBuilder s = new StringBuilder();
        String previous = null;
        for (Sample x : samples) {
            String r = x.resolution();
            if (!r.equals(previous)) {
                s.append(s.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "t=%.0fs %s",
                        (x.atNanos() - first().atNanos()) / 1e9, r));
                previous = r;
            }
        }
        return s.toString();
    }

    /**
     * The windows of {@code slice} (consecutive, from the first sample) in which no frame was decoded: empty when
     * video decoded throughout.
     */
    List<String> slicesWithoutFrames(Duration slice) {
        List<String> out = new ArrayList<>();
        Sample from = first();
        for (Sample x : samples) {
            if (x.atNanos() - from.atNanos() >= slice.toNanos()) {
                if (x.frames() == from.frames()) { // a restarted stream that decoded exactly as many: not missed
                    out.add(String.format(Locale.ROOT, "t=%.0f..%.0fs", (from.atNanos() - first().atNanos()) / 1e9,
                            (x.atNanos() - first().atNanos()) / 1e9));
                }
                from = x;
            }
        }
        return out;
    }

    /** The figures on one line. */
    String summary() {
        return String.format(Locale.ROOT, "%.1f s: %d frames decoded, freeze %.2f s per minute (%d freezes; no frame "
                + "decoded in %.0f s of samples), %d PLIs, "
                + "video loss %d of %d packets, residual after retransmission %.3f%% (%d retransmissions received, "
                + "%d NACKs), jitter %.1f ms, jitter buffer %.0f ms; decoded size %s; steps %s; stream restarts %d; "
                + "pair %s",
                seconds(), framesDecoded(), freezeSecondsPerMinute(), delta("freezeCount"), secondsWithoutFrames(),
                plis(),
                delta("packetsLost"), delta("packetsReceived") + delta("packetsLost"), residualLoss() * 100,
                delta("retransmittedPacketsReceived"), delta("nackCount"), last().video().getDouble("jitterMs"),
                last().video().getDouble("jitterBufferMs"), resolutionTimeline(), stepsTaken, restarts(), last().pair());
    }
}
