package dev.prism.signaling.session;

/**
 * Ends a socket before any session runs on it, with the protocol's message and close code (docs/PROTOCOL.md), counted
 * under the error code. For the routing code (dev.prism.signaling.route), which does not see the protocol's JSON.
 * Any thread.
 */
public final class SessionRefusals {
    /** The error code of an unknown, spent or expired resume token. */
    public static final String RESUME_FAILED = "resume_failed";

    private SessionRefusals() {
    }

    /** {@code resume_failed}, then close 4002: the client joins afresh. */
    public static void resumeFailed(SfuContext sfu, SessionSocket socket) {
        sfu.counters().error(RESUME_FAILED);
        socket.send(ProtocolJson.error(RESUME_FAILED, "this session cannot be resumed: join again", null, null)
                .encode());
        socket.close(CloseCodes.RESUME_FAILED, "resume failed");
    }

    /** A binary frame (not part of the protocol): answered {@code bad_json}, the socket stays open. */
    public static void binaryFrame(SfuContext sfu, SessionSocket socket) {
        sfu.counters().error("bad_json");
        socket.send(ProtocolJson.error("bad_json", "binary frames are not part of the protocol", null, null).encode());
    }

    /** An error {@code code} with {@code message}, then close {@code closeCode}. */
    public static void refuse(SfuContext sfu, SessionSocket socket, String code, String message, short closeCode,
                              String closeReason) {
        sfu.counters().error(code);
        socket.send(ProtocolJson.error(code, message, null, null).encode());
        socket.close(closeCode, closeReason);
    }
}
