package dev.prism.rtp.bwe;

import dev.prism.core.clock.MonoClock;

/**
 * The downlink estimate from receiver reports alone (RFC 3550 "fraction lost"), for a subscriber whose transport-cc
 * feedback cannot be used and who sends no REMB. The loss-based rule of draft-ietf-rmcat-gcc-02 section 6:
 * <ul>
 *   <li>loss below {@value #LOW_LOSS}: the estimate grows by 8% (plus 1 kbit/s), at most once a second;</li>
 *   <li>loss up to {@value #HIGH_LOSS}: it holds;</li>
 *   <li>above: it drops to {@code estimate x (1 - loss / 2)}, at most once per 300 ms + RTT.</li>
 * </ul>
 * Coarse (reports come about once a second, loss is the only signal), but it moves both ways, where an estimator
 * starved of feedback would sink to its floor and stay there.
 *
 * <p>One instance per subscriber, on its event loop; not thread-safe; allocates nothing.
 */
public final class ReceiverReportLossEstimator implements BandwidthEstimator {
    static final double LOW_LOSS = 0.02;
    static final double HIGH_LOSS = 0.10;
    private static final long INCREASE_INTERVAL_NANOS = 1_000_000_000L;
    private static final long DECREASE_INTERVAL_NANOS = 300_000_000L;

    private final MonoClock clock;
    private final long minBps;
    private final long maxBps;
    private long estimate;
    private long lastIncreaseNanos;
    private long lastDecreaseNanos;
    private long rttNanos = 100_000_000L;
    private double lossFraction;
    private long reports;

    public ReceiverReportLossEstimator(MonoClock clock, long startBps, long minBps, long maxBps) {
        if (minBps <= 0 || maxBps < minBps) {
            throw new IllegalArgumentException("min " + minBps + " max " + maxBps);
        }
        this.clock = clock;
        this.minBps = minBps;
        this.maxBps = maxBps;
        reset(startBps);
    }

    /** Starts over from {@code bps} (the estimate in force when this one takes over); the next increase in 1 s. */
    public void reset(long bps) {
        estimate = clamp(bps);
        long now = clock.nanos();
        lastIncreaseNanos = now;
        lastDecreaseNanos = now - DECREASE_INTERVAL_NANOS - rttNanos;
    }

    /**
     * A receiver report's loss for the streams Prism sends the subscriber.
     *
     * @param fractionLost RFC 3550's 8-bit fixed-point fraction (0..255 = 0..~1)
     */
    public void onFractionLost(int fractionLost) {
        long now = clock.nanos();
        reports++;
        lossFraction = (fractionLost & 0xFF) / 256.0;
        if (lossFraction < LOW_LOSS) {
            if (now - lastIncreaseNanos >= INCREASE_INTERVAL_NANOS) {
                estimate = clamp((long) (estimate * 1.08) + 1_000);
                lastIncreaseNanos = now;
            }
        } else if (lossFraction > HIGH_LOSS && now - lastDecreaseNanos >= DECREASE_INTERVAL_NANOS + rttNanos) {
            estimate = clamp((long) (estimate * (1 - 0.5 * lossFraction)));
            lastDecreaseNanos = now;
            lastIncreaseNanos = now;
        }
    }

    /** Round trip to the subscriber (spaces the decreases); negative values are ignored. */
    public void setRttNanos(long rtt) {
        if (rtt >= 0) {
            rttNanos = rtt;
        }
    }

    @Override
    public long estimateBps() {
        return estimate;
    }

    /** The latest report's loss, 0..1. */
    public double lossFraction() {
        return lossFraction;
    }

    public long reports() {
        return reports;
    }

    private long clamp(long bps) {
        return Math.max(minBps, Math.min(maxBps, bps));
    }
}
