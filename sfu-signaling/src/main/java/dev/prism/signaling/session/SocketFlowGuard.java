package dev.prism.signaling.session;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.text.RepeatingLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one socket's {@link MessageRateLimit} before anything reads a message: within the rate the message goes on;
 * over it the message is dropped unread and counted ({@code rate_limited}), answered with one {@code rate_limited}
 * error, and the socket is not read for a while (TCP pushes the flood back onto the sender); one log line per
 * interval; a flood that does not stop is closed with 1008 (policy violation). This keeps one participant's flood off
 * the room's loop, which every other participant of the room shares, and off the node's CPU.
 *
 * <p>Called on the socket's own thread only (one per socket; a resumed session gets a new guard). The edge of a proxied
 * session guards the client's socket with one too (dev.prism.signaling.route).
 */
public final class SocketFlowGuard {
    private static final Logger log = LoggerFactory.getLogger(SocketFlowGuard.class);
    /** WebSocket close code for a socket that kept flooding (RFC 6455 policy violation). */
    static final short CLOSE_CODE = 1008;
    static final String ERROR_CODE = "rate_limited";

    private final SessionSocket socket;
    private final MessageRateLimit limit;
    private final int perSecond;
    private final SignalingCounters counters;
    private final RepeatingLog logGate;
    private final String logRoom;
    private final String logId;

    /** {@code logRoom} and {@code logId} are already escaped for logs. */
    public SocketFlowGuard(SessionSocket socket, MonoClock clock, int perSecond, SignalingCounters counters,
            String logRoom, String logId) {
        this.socket = socket;
        this.perSecond = perSecond;
        this.limit = new MessageRateLimit(clock, perSecond);
        this.counters = counters;
        this.logGate = new RepeatingLog(clock, 10_000);
        this.logRoom = logRoom;
        this.logId = logId;
    }

    /** True when the message may be handled; otherwise it has been dealt with here. */
    public boolean admit() {
        MessageRateLimit.Verdict v = limit.admit();
        if (v == MessageRateLimit.Verdict.ACCEPT) {
            return true;
        }
        counters.error(ERROR_CODE);
        switch (v) {
            case THROTTLE -> {
                long suppressed = logGate.admit();
                if (suppressed >= 0) {
                    log.info("room={} participant={} over the message rate ({}/s): not read for {} ms ({} earlier "
                            + "throttles not logged)", logRoom, logId, perSecond, limit.pauseMillis(), suppressed);
                }
                socket.send(ProtocolJson.error(ERROR_CODE, "too many messages: at most " + perSecond
                        + " a second; the rest are dropped", null, null).encode());
                socket.pauseFor(limit.pauseMillis());
            }
            case CLOSE -> {
                log.info("room={} participant={} kept flooding past the message rate: closing its socket (1008)",
                        logRoom, logId);
                socket.close(CLOSE_CODE, "message rate exceeded");
            }
            default -> { } // DROP: already buffered when reading stopped; counted above
        }
        return false;
    }
}
