package dev.prism.rtp.router.rtcp;

/**
 * A smoothed round-trip time: an exponentially weighted moving average of samples (weight 1/4 for the newest), as
 * RTCP-based RTTs are few (one per report) and noisy. Pure; one thread.
 */
public final class RttEstimate {
    private long smoothedNanos = -1;
    private long lastNanos = -1;

    public void add(long sampleNanos) {
        if (sampleNanos < 0) {
            return;
        }
        lastNanos = sampleNanos;
        smoothedNanos = smoothedNanos < 0 ? sampleNanos : smoothedNanos + (sampleNanos - smoothedNanos) / 4;
    }

    /** The smoothed RTT, -1 before the first sample. */
    public long nanos() {
        return smoothedNanos;
    }

    /** The newest sample, -1 before the first. */
    public long lastNanos() {
        return lastNanos;
    }
}
