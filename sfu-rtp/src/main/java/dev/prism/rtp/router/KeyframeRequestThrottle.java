package dev.prism.rtp.router;

import dev.prism.core.clock.MonoClock;

/**
 * Lets at most one keyframe request through per interval, however many subscribers ask: no subscriber can cause a
 * PLI storm toward a publisher. Pure; one thread.
 */
public final class KeyframeRequestThrottle {
    private final MonoClock clock;
    private final long intervalNanos;
    private long lastNanos;
    private boolean any;

    public KeyframeRequestThrottle(MonoClock clock, long intervalMillis) {
        this.clock = clock;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    /** True (and records now) when a request may go out now. */
    public boolean tryAcquire() {
        long now = clock.nanos();
        if (any && now - lastNanos < intervalNanos) {
            return false;
        }
        any = true;
        lastNanos = now;
        return true;
    }
}
