package dev.prism.webhooks;

/**
 * When a failed delivery is tried again: {@code initialDelayMillis} after the first failure, doubling after each
 * further one up to {@code maxDelayMillis}; an event is given up when its next try would fall more than
 * {@code windowMillis} after it was queued. Pure.
 */
public record RetrySchedule(long initialDelayMillis, long maxDelayMillis, long windowMillis) {
    /** 0.5 s, 1 s, 2 s ... capped at 30 s, for 5 minutes. */
    public static final RetrySchedule DEFAULT = new RetrySchedule(500, 30_000, 300_000);

    public RetrySchedule {
        if (initialDelayMillis < 1 || maxDelayMillis < initialDelayMillis || windowMillis < 1) {
            throw new IllegalArgumentException("bad retry schedule: " + initialDelayMillis + ", " + maxDelayMillis
                    + ", " + windowMillis);
        }
    }

    /** The same delays with another window. */
    public RetrySchedule withWindowMillis(long window) {
        return new RetrySchedule(initialDelayMillis, maxDelayMillis, window);
    }

    /** The wait after the {@code failures}-th failed attempt (1 = the first). */
    public long delayAfter(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1: " + failures);
        }
        long d = initialDelayMillis;
        for (int i = 1; i < failures && d < maxDelayMillis; i++) {
            d *= 2;
        }
        return Math.min(d, maxDelayMillis);
    }

    /** Whether an event queued at {@code queuedAtMillis} may still be tried at {@code atMillis}. */
    public boolean withinWindow(long queuedAtMillis, long atMillis) {
        return atMillis - queuedAtMillis <= windowMillis;
    }
}
