package dev.prism.rtp.router.uplink;

import dev.prism.core.clock.MonoClock;

/**
 * Coalesces and throttles keyframe requests toward one publisher stream: at most one request goes out per interval
 * however many subscribers ask, so no subscriber can cause a PLI storm. A request made inside the interval is not lost:
 * it is remembered (once, however many pile up) and goes out when the interval ends ({@link #pollDeferred}), unless a
 * keyframe arrives first ({@link #onKeyframe}), which answers it.
 *
 * <p>Pure; time from the injected clock. One thread (the room's event loop).
 */
public final class KeyframeRequestThrottle {
    private final MonoClock clock;
    private final long intervalNanos;
    private long lastNanos;
    private boolean any;
    private boolean deferred;
    private long sent;
    private long coalesced;

    public KeyframeRequestThrottle(MonoClock clock, long intervalMillis) {
        this.clock = clock;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    /** True (and records now) when a request may go out now; no deferral. */
    public boolean tryAcquire() {
        long now = clock.nanos();
        if (any && now - lastNanos < intervalNanos) {
            return false;
        }
        any = true;
        lastNanos = now;
        sent++;
        return true;
    }

    /**
     * A subscriber (or Prism itself) wants a keyframe. True when the request should go out now; false when it was
     * folded into the one already sent this interval and remembered for {@link #pollDeferred}.
     */
    public boolean request() {
        if (tryAcquire()) {
            deferred = false;
            return true;
        }
        deferred = true;
        coalesced++;
        return false;
    }

    /**
     * A request that cannot go out yet (the stream's SSRC is not known, the connection is not up): remembered, and
     * sent by the first {@link #pollDeferred} that can, unless a keyframe arrives first.
     */
    public void defer() {
        deferred = true;
    }

    /** For a periodic timer: true (and records now) when a remembered request is due. */
    public boolean pollDeferred() {
        if (deferred && tryAcquire()) {
            deferred = false;
            return true;
        }
        return false;
    }

    /** A keyframe arrived: every request made before now is answered, so a remembered one is dropped. */
    public void onKeyframe() {
        deferred = false;
    }

    /** Whether a request is waiting for the interval to end. */
    public boolean hasDeferred() {
        return deferred;
    }

    /** Requests that went out. */
    public long sent() {
        return sent;
    }

    /** Requests folded into another one (not sent on their own). */
    public long coalesced() {
        return coalesced;
    }
}
