package dev.prism.rtp.bwe;

import dev.prism.core.clock.MonoClock;

/**
 * The downlink estimate of a subscriber that negotiated REMB but not transport-cc: the receiver runs its own estimator
 * and tells Prism the result. The value is taken as is (clamped), since the receiver already filtered it. Before the
 * first REMB the start value applies; a REMB that stops coming is kept (a receiver that gets no video sends none),
 * and {@link #isStale} lets the owner fall back to something else if it prefers.
 *
 * <p>One instance per subscriber transport, on its event loop; not thread-safe.
 */
public final class RembEstimator implements BandwidthEstimator {
    private final MonoClock clock;
    private final long minBps;
    private final long maxBps;
    private long estimate;
    private long lastNanos;
    private boolean any;
    private long reports;

    public RembEstimator(MonoClock clock, long startBps, long minBps, long maxBps) {
        if (minBps <= 0 || maxBps < minBps) {
            throw new IllegalArgumentException("min " + minBps + " max " + maxBps);
        }
        this.clock = clock;
        this.minBps = minBps;
        this.maxBps = maxBps;
        this.estimate = clamp(startBps);
    }

    /** A REMB arrived from the subscriber. */
    public void onRemb(long bitrateBps) {
        estimate = clamp(bitrateBps);
        lastNanos = clock.nanos();
        any = true;
        reports++;
    }

    @Override
    public long estimateBps() {
        return estimate;
    }

    /** True when no REMB arrived within {@code millis} (or none ever). */
    public boolean isStale(long millis) {
        return !any || clock.nanos() - lastNanos >= millis * 1_000_000L;
    }

    public long reports() {
        return reports;
    }

    private long clamp(long bps) {
        return Math.max(minBps, Math.min(maxBps, bps));
    }
}
