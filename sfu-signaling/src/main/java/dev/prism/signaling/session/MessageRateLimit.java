package dev.prism.signaling.session;

import dev.prism.core.clock.MonoClock;

/**
 * A token bucket for one signaling socket's incoming messages, checked before a message is decoded, so a flood costs
 * the node a counter increment per message, not a JSON parse, a hop onto the room's loop and an error reply.
 *
 * <p>The SDK sends a few messages a second at most (pings, preferences when tiles resize, answers), so the default
 * rate ({@value #DEFAULT_PER_SECOND} a second, bursts of {@value #DEFAULT_BURST}) never touches a real client. A
 * socket that keeps sending past the bucket has every excess message dropped and, once its drops add up to
 * {@value #DEFAULT_CLOSE_AFTER} (a tally that forgets that many a minute, so a flood at any multiple of the rate ends
 * up closed while a one-off overshoot is forgiven), is to be closed (policy violation).
 *
 * <p>Not thread-safe: owned by the socket's Vert.x event loop, which delivers its messages one at a time.
 */
public final class MessageRateLimit {
    public static final int DEFAULT_PER_SECOND = 50;
    public static final int DEFAULT_BURST = 200;
    public static final int DEFAULT_CLOSE_AFTER = 1_000;

    /** What to do with one message. */
    public enum Verdict {
        /** Within the rate: handle it. */
        ACCEPT,
        /** Over the rate: drop it unread (counted by the caller); the first of a run is worth one error reply. */
        DROP_FIRST,
        /** Over the rate, not the first of its run: drop it silently. */
        DROP,
        /** Over the rate for too long: close the socket. */
        CLOSE
    }

    private final MonoClock clock;
    private final double perNano;
    private final double burst;
    private final int closeAfter;
    private double tokens;
    private long last;
    private final double forgivePerNano;
    private double dropTally;
    private boolean dropping;

    public MessageRateLimit(MonoClock clock) {
        this(clock, DEFAULT_PER_SECOND, DEFAULT_BURST, DEFAULT_CLOSE_AFTER);
    }

    public MessageRateLimit(MonoClock clock, int perSecond, int burst, int closeAfter) {
        this.clock = clock;
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.closeAfter = closeAfter;
        this.tokens = burst;
        this.forgivePerNano = closeAfter / 60e9;
        this.last = clock.nanos();
    }

    /** Takes one message's token; says whether to handle, drop or close. */
    public Verdict admit() {
        long now = clock.nanos();
        long elapsed = now - last;
        tokens = Math.min(burst, tokens + elapsed * perNano);
        dropTally = Math.max(0, dropTally - elapsed * forgivePerNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            dropping = false;
            return Verdict.ACCEPT;
        }
        dropTally++;
        if (dropTally >= closeAfter) {
            return Verdict.CLOSE;
        }
        boolean first = !dropping;
        dropping = true;
        return first ? Verdict.DROP_FIRST : Verdict.DROP;
    }
}
