package dev.prism.signaling.session;

/** The WebSocket close codes a session ends with (docs/PROTOCOL.md). */
final class CloseCodes {
    /** A media connection closed (consent expired, DTLS failed). */
    static final short MEDIA_CLOSED = 4000;
    /** The same identity joined from another connection. */
    static final short REPLACED = 4001;
    /** A resume token that is wrong, used or expired. */
    static final short RESUME_FAILED = 4002;
    /** The session resumed on another connection. */
    static final short RESUMED_ELSEWHERE = 4003;
    /** An operator removed the participant. */
    static final short REMOVED = 4004;
    /** An operator closed the room. */
    static final short ROOM_CLOSED = 4005;
    /** The room is at {@code maxParticipantsPerRoom}. */
    static final short ROOM_FULL = 4006;
    /**
     * The node shut down with the participant still there ({@code shutdown} message first). Terminal: the client must
     * not reconnect at once (a whole node's clients would come back in the same instant).
     */
    static final short SERVER_SHUTDOWN = 4010;
    /** The room is moving ({@code migrate} message first): join again at once, afresh (no resume). */
    static final short MIGRATE = 4011;
    /** A new session refused because the node is stopping ({@code node_draining} error first); try another node. */
    static final short NODE_DRAINING = 4012;

    private CloseCodes() {
    }
}
