package dev.prism.ops.inspect;

/**
 * Turns a growing counter into a rate per second: each {@link #update} returns the change since the previous update
 * divided by the time between them. Not thread-safe: one owner thread.
 */
final class RateMeter {
    private long lastValue;
    private long lastNanos;
    private boolean primed;
    private boolean hasRate;
    private double rate;

    /**
     * Records {@code value} at {@code nowNanos} and returns the rate per second since the previous update, or null on
     * the first update, when no time passed, or when the counter went backwards (a new counter under the same key).
     */
    Double update(long value, long nowNanos) {
        record(value, nowNanos);
        return rate();
    }

    /** As {@link #update} without the boxed result (the sampler records every counter each second). */
    void record(long value, long nowNanos) {
        hasRate = primed && nowNanos > lastNanos && value >= lastValue;
        rate = hasRate ? (value - lastValue) * 1e9 / (nowNanos - lastNanos) : 0;
        lastValue = value;
        lastNanos = nowNanos;
        primed = true;
    }

    /** Whether the last update computed a rate. */
    boolean hasRate() {
        return hasRate;
    }

    /** The rate the last update computed (0 when {@link #hasRate} is false). */
    double rateValue() {
        return rate;
    }

    /** The rate the last update computed, or null. */
    Double rate() {
        return hasRate ? rate : null;
    }
}
