package dev.prism.signaling.session;

import dev.prism.core.clock.MonoClock;

/**
 * One participant's budget for in-room data messages: at most {@value #MAX_PAYLOAD_BYTES} bytes of payload each, and
 * a token bucket of {@value #PER_SECOND} a second with bursts of {@value #BURST} (a chat, reactions, a raised hand
 * never reach it; a loop does). Over either the message is refused with an error to its sender and the others never
 * see it.
 *
 * <p>Not thread-safe: owned by the participant's room loop.
 */
final class DataLimits {
    static final int MAX_PAYLOAD_BYTES = 16 * 1024;
    static final int PER_SECOND = 20;
    static final int BURST = 60;
    /** At most this many named recipients ({@code to}); a room is at most a few hundred participants. */
    static final int MAX_RECIPIENTS = 256;

    private final MonoClock clock;
    private double tokens = BURST;
    private long last;

    DataLimits(MonoClock clock) {
        this.clock = clock;
        this.last = clock.nanos();
    }

    /** Takes one message's token. @return false when over the rate (nothing taken) */
    boolean admit() {
        long now = clock.nanos();
        tokens = Math.min(BURST, tokens + (now - last) * (PER_SECOND / 1e9));
        last = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
