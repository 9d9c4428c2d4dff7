package dev.prism.conference;

import dev.prism.core.clock.MonoClock;

/**
 * One connection-level repair (ICE restart, re-offer, re-sent offer) per problem, not per track: a subscriber missing
 * its audio and its video asks twice within milliseconds, and one restart of the connection covers both. The first
 * connection-level repair runs; others within {@link #INTERVAL_NANOS} are answered {@code coalesced} (the repair under
 * way covers them), which also rate-limits a client that keeps asking. Per-track repairs (keyframe, resubscribe) are
 * not throttled here: they are cheap and concern one track.
 *
 * <p>One per subscriber connection; room executor only.
 */
final class RepairThrottle {
    /** At most one connection-level repair per this long (an ICE restart and its offer/answer take about a second). */
    static final long INTERVAL_NANOS = 10_000_000_000L;

    private final MonoClock clock;
    private boolean ran;
    private long lastNanos;

    RepairThrottle(MonoClock clock) {
        this.clock = clock;
    }

    /** Whether a connection-level repair may run now; when true it is recorded as running. */
    boolean admit() {
        long now = clock.nanos();
        if (ran && now - lastNanos < INTERVAL_NANOS) {
            return false;
        }
        ran = true;
        lastNanos = now;
        return true;
    }

    /** The connection was set up afresh (a new subscriber connection): the next problem is a new one. */
    void reset() {
        ran = false;
    }
}
