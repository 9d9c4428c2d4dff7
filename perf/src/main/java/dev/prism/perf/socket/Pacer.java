package dev.prism.perf.socket;

/**
 * How many items a constant-rate driver owes at a given time. A driver asks {@link #due} every time it wakes and
 * sends that many: the rate holds on average whatever its wake-up jitter. A driver that stalled (descheduled on a
 * busy machine) may catch up at most {@code maxLag} items; older credit is forgotten rather than sent as one burst.
 *
 * <p>Pure: time is passed in. One driver thread; not thread-safe.
 */
final class Pacer {
    private final double perNano;
    private final long maxBurst;
    private final long maxLag;
    private long originNanos;
    private long originCount;

    /**
     * @param perSecond  items per second; 0 = unpaced ({@link #due} always answers {@code maxBurst})
     * @param startNanos when the first item is due
     * @param maxBurst   most items one call may answer
     * @param maxLag     most items the driver may fall behind before the excess is dropped
     */
    Pacer(double perSecond, long startNanos, long maxBurst, long maxLag) {
        if (perSecond < 0 || maxBurst < 1 || maxLag < 1) {
            throw new IllegalArgumentException("rate >= 0, burst and lag >= 1");
        }
        this.perNano = perSecond / 1e9;
        this.maxBurst = maxBurst;
        this.maxLag = maxLag;
        this.originNanos = startNanos;
    }

    /** Items due at {@code nowNanos} when {@code done} have been sent since the start: 0..maxBurst. */
    long due(long nowNanos, long done) {
        if (perNano == 0) {
            return maxBurst;
        }
        long behind = originCount + (long) ((nowNanos - originNanos) * perNano) - done;
        if (behind > maxLag) {
            // Rebase so that exactly maxLag is owed now: the stall's credit is gone, the rate continues from here.
            originNanos = nowNanos;
            originCount = done + maxLag;
            behind = maxLag;
        }
        return Math.max(0, Math.min(behind, maxBurst));
    }
}
