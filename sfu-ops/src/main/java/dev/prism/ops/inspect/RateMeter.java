package dev.prism.ops.inspect;

/**
 * Turns a growing counter into a rate per second: each {@link #update} returns the change since the previous update
 * divided by the time between them. Not thread-safe: one owner thread.
 */
final class RateMeter {
    private long lastValue;
    private long lastNanos;
    private boolean primed;
    private Double rate;

    /**
     * Records {@code value} at {@code nowNanos} and returns the rate per second since the previous update, or null on
     * the first update, when no time passed, or when the counter went backwards (a new counter under the same key).
     */
    Double update(long value, long nowNanos) {
        if (primed && nowNanos > lastNanos && value >= lastValue) {
            rate = (value - lastValue) * 1e9 / (nowNanos - lastNanos);
        } else {
            rate = null;
        }
        lastValue = value;
        lastNanos = nowNanos;
        primed = true;
        return rate;
    }

    /** The rate the last update computed, or null. */
    Double rate() {
        return rate;
    }
}
