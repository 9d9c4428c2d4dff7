package dev.prism.core.text;

import dev.prism.core.clock.MonoClock;

/**
 * Rate limit for one repeating log line (for example one participant's rejected requests): the first occurrence is
 * logged, later ones within the interval are only counted, and the next line logged after the interval says how many
 * were suppressed. One instance per source (participant, remote address); not thread-safe: owned by one thread, the
 * source's own event loop.
 */
public final class RepeatingLog {
    private final MonoClock clock;
    private final long intervalNanos;
    private long windowStart;
    private boolean started;
    private long suppressed;

    public RepeatingLog(MonoClock clock, long intervalMillis) {
        this.clock = clock;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    /**
     * Records one occurrence. Returns -1 when this one must not be logged; otherwise the number of occurrences
     * suppressed since the last logged one (0 for the first), which the caller adds to its line.
     */
    public long admit() {
        long now = clock.nanos();
        if (started && now - windowStart < intervalNanos) {
            suppressed++;
            return -1;
        }
        started = true;
        windowStart = now;
        long skipped = suppressed;
        suppressed = 0;
        return skipped;
    }
}
