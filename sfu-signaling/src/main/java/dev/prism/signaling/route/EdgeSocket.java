package dev.prism.signaling.route;

import dev.prism.signaling.session.SessionSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;

/**
 * The client's WebSocket at the edge of a proxied session, as the {@link SessionSocket} the edge's rate guard and
 * refusals write to, with reading paused while any of three reasons holds: the session is not bridged yet (routing,
 * opening the channel), the rate guard throttles the client ({@link #pauseFor}), or the channel to the owner is full
 * ({@link #linkFull}). One reason's end never resumes reading while another still holds.
 *
 * <p>Threading: the WebSocket's event loop only (its timers run there). {@link #bind} is not used: the edge sets the
 * WebSocket's handlers itself.
 */
final class EdgeSocket implements SessionSocket {
    private final Vertx vertx;
    private final ServerWebSocket ws;
    private boolean waiting = true;
    private boolean throttled;
    private boolean linkFull;
    private boolean paused;

    /** {@code ws} must have been paused by the caller (it is not read until {@link #bridged()}). */
    EdgeSocket(Vertx vertx, ServerWebSocket ws) {
        this.vertx = vertx;
        this.ws = ws;
        this.paused = true;
    }

    ServerWebSocket webSocket() {
        return ws;
    }

    /** The channel to the owner is open: read the client. */
    void bridged() {
        waiting = false;
        update();
    }

    /** The channel's write queue is full (true) or drained (false). */
    void linkFull(boolean full) {
        linkFull = full;
        update();
    }

    boolean isPaused() {
        return paused;
    }

    @Override
    public void bind(Handler handler) {
        throw new UnsupportedOperationException("the edge sets the WebSocket's handlers itself");
    }

    @Override
    public void send(String text) {
        if (!ws.isClosed()) {
            ws.writeTextMessage(text);
        }
    }

    @Override
    public void close() {
        ws.close();
    }

    @Override
    public void close(short code, String reason) {
        ws.close(code, reason);
    }

    @Override
    public boolean isClosed() {
        return ws.isClosed();
    }

    @Override
    public void pauseFor(long millis) {
        throttled = true;
        update();
        vertx.setTimer(millis, id -> {
            throttled = false;
            update();
        });
    }

    @Override
    public String remoteAddress() {
        return String.valueOf(ws.remoteAddress());
    }

    private void update() {
        boolean want = waiting || throttled || linkFull;
        if (want != paused) {
            paused = want;
            if (want) {
                ws.pause();
            } else {
                ws.resume();
            }
        }
    }
}
