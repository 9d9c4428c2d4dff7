package dev.prism.cluster.link;

/**
 * A channel the other node asked to open, given to the {@link LinkServer}'s handler on the connection's event loop.
 * The handler decides, at once or later (for example after a placement lookup), with exactly one of
 * {@link #accept()} or {@link #refuse}; one not decided within {@link LinkSettings#openTimeoutMillis()} is refused with
 * {@code timeout}. Either method may be called from any thread.
 */
public interface IncomingChannel {
    int id();

    /** The authenticated node id of the opener (the edge). */
    String peerNodeId();

    OpenRequest request();

    /**
     * Accepts: the opener's future completes with its end of the channel. Set the handlers on the returned channel
     * before returning to the event loop (messages that arrive earlier wait for the handler).
     *
     * @throws IllegalStateException when already refused (or timed out)
     */
    LinkChannel accept();

    /**
     * Refuses: the opener's future fails with a {@link ChannelRefusedException} carrying {@code reason} (a short
     * machine-readable word such as {@code not_owner}, 1-64 bytes) and {@code detail} (a text, up to 1024 bytes).
     * No-op when already decided.
     */
    void refuse(String reason, String detail);
}
