package dev.prism.rtp.bwe;

/**
 * Turns the trendline's modified trend into {@link BandwidthUsage} with an adaptive threshold
 * (draft-ietf-rmcat-gcc-02 section 5.4): overuse needs the trend above the threshold for more than
 * {@link #OVERUSE_TIME_MS} over at least two samples, and not falling; the threshold follows the trend's magnitude
 * slowly up ({@link #K_UP}) and faster down ({@link #K_DOWN}), so a flow sharing a queue with loss-based TCP is not
 * starved while a clean path stays sensitive. Spikes far above the threshold do not move it.
 *
 * <p>Not thread-safe; no allocation.
 */
final class OveruseDetector {
    static final double INITIAL_THRESHOLD_MS = 12.5;
    static final double MIN_THRESHOLD_MS = 6;
    static final double MAX_THRESHOLD_MS = 600;
    static final double K_UP = 0.0087;
    static final double K_DOWN = 0.039;
    static final double OVERUSE_TIME_MS = 10;
    /** A trend this far beyond the threshold is a spike and does not adapt it. */
    static final double MAX_ADAPT_OFFSET_MS = 15;

    private double threshold = INITIAL_THRESHOLD_MS;
    private double lastUpdateMs = Double.NaN;
    private double timeOverUsing = -1;
    private int overuseCount;
    private double previousTrend;
    private BandwidthUsage state = BandwidthUsage.NORMAL;

    /**
     * @param trend       the modified trend from {@link TrendlineFilter}
     * @param groupGapMs  send delta of the group just measured (how much time the sample covers)
     * @param samples     samples the trendline has seen
     * @param nowMs       local time in ms
     */
    BandwidthUsage detect(double trend, double groupGapMs, int samples, double nowMs) {
        if (samples < 2) {
            return state;
        }
        if (trend > threshold) {
            timeOverUsing = timeOverUsing < 0 ? groupGapMs / 2 : timeOverUsing + groupGapMs;
            overuseCount++;
            if (timeOverUsing > OVERUSE_TIME_MS && overuseCount > 1 && trend >= previousTrend) {
                timeOverUsing = 0;
                overuseCount = 0;
                state = BandwidthUsage.OVERUSING;
            }
        } else if (trend < -threshold) {
            timeOverUsing = -1;
            overuseCount = 0;
            state = BandwidthUsage.UNDERUSING;
        } else {
            timeOverUsing = -1;
            overuseCount = 0;
            state = BandwidthUsage.NORMAL;
        }
        previousTrend = trend;
        adapt(trend, nowMs);
        return state;
    }

    private void adapt(double trend, double nowMs) {
        if (Double.isNaN(lastUpdateMs)) {
            lastUpdateMs = nowMs;
        }
        double magnitude = Math.abs(trend);
        if (magnitude > threshold + MAX_ADAPT_OFFSET_MS) {
            lastUpdateMs = nowMs;
            return;
        }
        double k = magnitude < threshold ? K_DOWN : K_UP;
        double dt = Math.min(nowMs - lastUpdateMs, 100);
        threshold += k * (magnitude - threshold) * dt;
        threshold = Math.max(MIN_THRESHOLD_MS, Math.min(MAX_THRESHOLD_MS, threshold));
        lastUpdateMs = nowMs;
    }

    BandwidthUsage state() {
        return state;
    }

    double thresholdMs() {
        return threshold;
    }
}
