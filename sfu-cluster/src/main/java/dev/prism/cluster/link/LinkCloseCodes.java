package dev.prism.cluster.link;

/**
 * Close codes the link itself uses on a channel (in the WebSocket private range, beside the session's 4000-4006).
 * Any other code on a channel was given by the application at the other end ({@link LinkChannel#close(int, String)})
 * and is passed through unchanged, so an owner's session close code reaches the edge's client as it was sent.
 */
public final class LinkCloseCodes {
    /** Normal closure. */
    public static final int NORMAL = 1000;
    /**
     * The connection carrying the channel died: closed under it, no frame for {@code deadAfterMillis}, or a protocol
     * error. The session is probably still alive at the owner: the edge's client should resume (elsewhere if need be).
     */
    public static final int LINK_LOST = 4700;
    /** A node closed its link on purpose (shutdown or drain); also worth a resume. */
    public static final int LINK_SHUTDOWN = 4701;
    /** The channel's queued data exceeded {@link LinkSettings#maxQueuedBytesPerChannel()} (a writer that ignored
     *  {@code writeQueueFull}) or its peer sent beyond the credit it was granted. */
    public static final int OVERFLOW = 4702;
    /**
     * The channel carried (or was asked to send) a message longer than {@link LinkSettings#maxMessageBytes()}: that
     * channel alone is closed, the connection and its other channels go on. Not a link failure: no resume.
     */
    public static final int MESSAGE_TOO_LARGE = 4703;
    /** Connection-level close (channel 0) sent by a server that refused the handshake: wrong secret. */
    public static final int AUTH_FAILED = 4710;
    /** Connection-level close: protocol version not supported. */
    public static final int VERSION_UNSUPPORTED = 4711;

    private LinkCloseCodes() {
    }

    /** True for the codes after which the edge's client should resume its session (the link, not the session, ended). */
    public static boolean isLinkFailure(int code) {
        return code == LINK_LOST || code == LINK_SHUTDOWN;
    }
}
