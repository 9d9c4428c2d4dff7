package dev.prism.perf.load;

import dev.prism.core.rtp.MediaKind;
import org.HdrHistogram.Histogram;

/**
 * Publisher-to-subscriber latency of every packet received while recording: the probe's send time (stamped just
 * before the publisher encrypts and writes) to the subscriber's read of the datagram, both on this process's
 * {@code System.nanoTime}. One histogram per kind, in nanoseconds. Loop only; recording allocates nothing.
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

    /** Both kinds together (a copy). */
    Histogram all() {
        Histogram h = video.copy();
        h.add(audio);
        return h;
    }

    Histogram audio() {
        return audio;
    }

    Histogram video() {
        return video;
    }

    long outOfRange() {
        return outOfRange;
    }
}
