package dev.prism.signaling.session;

import dev.prism.core.clock.MonoClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;

/**
 * The lifecycle of one participant session across signaling drops, as a pure state machine (time from the injected
 * clock, no I/O):
 *
 * <pre>
 *  JOINING --join--> JOINED --socket closed (abnormally)--> DETACHED --resume (token, in time)--> JOINED
 *                      |  \--socket closed cleanly (1000 left, 1001 page gone), or no window--> leave
 *                      |                                     DETACHED --window over--> leave
 *                      \--resume from a new socket (the old one is half-open)--> JOINED
 *  any --close--> CLOSED
 * </pre>
 *
 * A resume presents the secret token handed out at the last join or resume; each successful resume hands out a new one,
 * so a token works once. While DETACHED the participant stays in the room and its media keeps flowing: the browser's
 * peer connections do not depend on the WebSocket.
 *
 * <p>One thread (the room's executor).
 */
final class SessionLifecycle {
    enum Phase { JOINING, JOINED, DETACHED, CLOSED }

    /** What to do about a closed socket. */
    enum SocketClosed {
        /** Leave the room now. */
        LEAVE,
        /** Keep the participant for the resume window. */
        DETACH,
        /** Nothing: the session is not on that socket any more, or is already closed or detached. */
        IGNORE
    }

    /** WebSocket close codes that mean the user is gone: normal closure (after leave) and going away (page unload). */
    static boolean cleanClose(Integer code) {
        return code != null && (code == 1000 || code == 1001);
    }

    private final MonoClock clock;
    private final long windowNanos;
    private final Supplier<String> tokens;
    /** Volatile so that gauges may read it from any thread; written only on the room's executor. */
    private volatile Phase phase = Phase.JOINING;
    private String resumeToken;
    private long detachedAtNanos;
    private int resumes;
    private int detaches;

    /**
     * @param windowNanos how long a participant whose socket dropped is kept for a resume; 0 leaves at once
     * @param tokens      source of fresh resume tokens (unguessable)
     */
    SessionLifecycle(MonoClock clock, long windowNanos, Supplier<String> tokens) {
        this.clock = clock;
        this.windowNanos = Math.max(0, windowNanos);
        this.tokens = tokens;
    }

    Phase phase() {
        return phase;
    }

    /** JOINING -> JOINED; returns the first resume token. */
    String join() {
        if (phase != Phase.JOINING) {
            throw new IllegalStateException("join while " + phase);
        }
        phase = Phase.JOINED;
        resumeToken = tokens.get();
        return resumeToken;
    }

    /** The socket the session was on closed with {@code code} (null: no close frame, the connection just died). */
    SocketClosed socketClosed(Integer code) {
        switch (phase) {
            case JOINING:
                return SocketClosed.LEAVE;
            case JOINED:
                if (cleanClose(code) || windowNanos == 0) {
                    return SocketClosed.LEAVE;
                }
                phase = Phase.DETACHED;
                detachedAtNanos = clock.nanos();
                detaches++;
                return SocketClosed.DETACH;
            default:
                return SocketClosed.IGNORE;
        }
    }

    /** Whether a detached session's window is over (it must leave now). */
    boolean expired() {
        return phase == Phase.DETACHED && clock.nanos() - detachedAtNanos >= windowNanos;
    }

    /** Time left in the resume window, 0 when not detached or over. */
    long remainingNanos() {
        return phase != Phase.DETACHED ? 0 : Math.max(0, windowNanos - (clock.nanos() - detachedAtNanos));
    }

    /**
     * A new socket presents {@code presented}. Accepted while JOINED (the old socket is half-open and the server has
     * not noticed) or DETACHED within the window, when the token matches: returns the next token and the phase is
     * JOINED. Otherwise null and nothing changes.
     */
    String resume(String presented) {
        boolean live = phase == Phase.JOINED || (phase == Phase.DETACHED && !expired());
        if (!live || presented == null || !constantTimeEquals(presented, resumeToken)) {
            return null;
        }
        phase = Phase.JOINED;
        resumes++;
        resumeToken = tokens.get();
        return resumeToken;
    }

    /** -> CLOSED, for good. */
    void close() {
        phase = Phase.CLOSED;
        resumeToken = null;
    }

    /** The token a resume must present now; null when closed or before joining. */
    String resumeToken() {
        return resumeToken;
    }

    long windowNanos() {
        return windowNanos;
    }

    int resumes() {
        return resumes;
    }

    int detaches() {
        return detaches;
    }

    private static boolean constantTimeEquals(String a, String b) {
        return b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
