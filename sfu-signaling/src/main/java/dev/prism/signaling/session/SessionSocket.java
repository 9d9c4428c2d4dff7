package dev.prism.signaling.session;

/**
 * The connection a participant session talks to its client over: a WebSocket on this node today
 * ({@link VertxSessionSocket}), a socket proxied from another node later. Text frames only; the session never sees the
 * transport behind it.
 *
 * <p>Threading: {@link #bind} once, on the thread that accepted the connection; the handler is called on the
 * connection's own thread (a Vert.x event loop), one call at a time. {@link #send}, {@link #close()} and
 * {@link #isClosed} may be called from any thread (writes are queued by the implementation).
 */
public interface SessionSocket {
    /** What the connection delivers. */
    interface Handler {
        /** A text frame. */
        void onText(String text);

        /** A binary frame (not part of the protocol). */
        void onBinary();

        /**
         * The connection closed.
         *
         * @param closeCode the close frame's status code, or null when there was none (the connection just died)
         */
        void onClosed(Integer closeCode);

        /** A transport error (the close follows). */
        void onError(Throwable error);
    }

    /** Starts delivering to {@code handler}. Once. */
    void bind(Handler handler);

    /** Sends a text frame; dropped when the connection is closed. */
    void send(String text);

    /** Closes with 1000 (normal closure). */
    void close();

    /** Closes with {@code code} and {@code reason}. */
    void close(short code, String reason);

    boolean isClosed();

    /**
     * Stops reading for {@code millis}, then reads again (flow control: the client's frames wait in TCP meanwhile).
     * Called on the connection's thread.
     */
    void pauseFor(long millis);

    /** The client's address, for log lines only. */
    String remoteAddress();
}
