package dev.prism.signaling.session;

import dev.prism.core.clock.MonoClock;

/**
 * A token bucket for one signaling socket's incoming messages, checked before a message is decoded. Over the rate the
 * socket is throttled, not read: the caller stops reading it for {@link #pauseMillis()}, so a flood waits in the
 * flooder's own TCP buffers and costs the node nothing, while the room's loop (which every participant of the room
 * shares) never sees more than the rate.
 *
 * <p>The SDK sends a few messages a second at most (pings, preferences when tiles resize, answers), so the default
 * rate ({@value #DEFAULT_PER_SECOND} a second, bursts of four times that) never touches a real client. A socket
 * throttled {@value #DEFAULT_CLOSE_AFTER_THROTTLES} times within about a minute (a tally that forgets one every
 * {@value #FORGIVE_MILLIS} ms: a flood sustained for a dozen seconds) is to be closed.
 *
 * <p>Not thread-safe: owned by the socket's Vert.x event loop, which delivers its messages one at a time.
 */
public final class MessageRateLimit {
    public static final int DEFAULT_PER_SECOND = 50;
    public static final int DEFAULT_CLOSE_AFTER_THROTTLES = 10;
    static final long FORGIVE_MILLIS = 6_000;

    /** What to do with one message. */
    public enum Verdict {
        /** Within the rate: handle it. */
        ACCEPT,
        /** Over the rate: drop it unread, answer one {@code rate_limited} error and stop reading for a while. */
        THROTTLE,
        /** Delivered while throttled (already buffered when reading stopped): drop it silently. */
        DROP,
        /** Throttled too often: close the socket. */
        CLOSE
    }

    private final MonoClock clock;
    private final double perNano;
    private final double burst;
    private final long pauseNanos;
    private final int closeAfter;
    private double tokens;
    private long last;
    private double throttleTally;
    private long pausedUntil;

    public MessageRateLimit(MonoClock clock, int perSecond) {
        this(clock, perSecond, 4 * perSecond, DEFAULT_CLOSE_AFTER_THROTTLES);
    }

    public MessageRateLimit(MonoClock clock, int perSecond, int burst, int closeAfterThrottles) {
        this.clock = clock;
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.closeAfter = closeAfterThrottles;
        // long enough to refill a quarter of the burst, at least 100 ms
        this.pauseNanos = Math.max(100_000_000L, (long) (burst / 4.0 / perNano));
        this.tokens = burst;
        this.last = clock.nanos();
    }

    /** How long the caller stops reading after {@link Verdict#THROTTLE}. */
    public long pauseMillis() {
        return pauseNanos / 1_000_000L;
    }

    /** Takes one message's token; says whether to handle it, throttle, drop or close. */
    public Verdict admit() {
        long now = clock.nanos();
        long elapsed = now - last;
        last = now;
        tokens = Math.min(burst, tokens + elapsed * perNano);
        throttleTally = Math.max(0, throttleTally - elapsed / (FORGIVE_MILLIS * 1e6));
        if (now - pausedUntil < 0) {
            return Verdict.DROP;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ACCEPT;
        }
        throttleTally++;
        if (throttleTally >= closeAfter) {
            return Verdict.CLOSE;
        }
        pausedUntil = now + pauseNanos;
        return Verdict.THROTTLE;
    }
}
