package dev.prism.perf.load;

import dev.prism.core.rtp.MediaKind;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Publisher-to-subscriber latency of every packet received while recording: the probe's send time (stamped just
 * before the publisher encrypts and writes) to the subscriber's read of the datagram, both on this process's
 * {@code System.nanoTime}. One histogram per kind, in nanoseconds. One recorder per participant event loop, used only
 * on that loop (its subscribers record into it); the run merges the loops' {@link #snapshot}s. Recording allocates
 * nothing.
 */
final class LatencyRecorder {
    private static final long MAX_NANOS = 60_000_000_000L;

    private final Histogram audio = new Histogram(MAX_NANOS, 3);
    private final Histogram video = new Histogram(MAX_NANOS, 3);
    private boolean recording;
    private long outOfRange;

    void start() {
        audio.reset();
        video.reset();
        outOfRange = 0;
        recording = true;
    }

    void stop() {
        recording = false;
    }

    void record(MediaKind kind, long nanos) {
        if (!recording) {
            return;
        }
        if (nanos < 0 || nanos > MAX_NANOS) {
            outOfRange++;
            return;
        }
        (kind == MediaKind.AUDIO ? audio : video).recordValue(nanos);
    }

    /** Copies of what was recorded, for another thread to merge. */
    Snapshot snapshot() {
        return new Snapshot(audio.copy(), video.copy(), outOfRange);
    }

    /** What one recorder held: histograms in nanoseconds, owned by the receiver. */
    record Snapshot(Histogram audio, Histogram video, long outOfRange) {
        /** {@code snapshots} added up, as new histograms. */
        static Snapshot merge(List<Snapshot> snapshots) {
            Histogram a = new Histogram(MAX_NANOS, 3);
            Histogram v = new Histogram(MAX_NANOS, 3);
            long out = 0;
            for (Snapshot s : snapshots) {
                a.add(s.audio());
                v.add(s.video());
                out += s.outOfRange();
            }
            return new Snapshot(a, v, out);
        }

        /** Both kinds together (a new histogram). */
        Histogram all() {
            Histogram h = video.copy();
            h.add(audio);
            return h;
        }
    }
}
