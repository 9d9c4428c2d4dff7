package dev.prism.signaling.session;

import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;

/** A {@link SessionSocket} over a Vert.x server WebSocket on this node. */
public final class VertxSessionSocket implements SessionSocket {
    private final Vertx vertx;
    private final ServerWebSocket ws;

    /** @param vertx the instance whose timers resume reading after {@link #pauseFor} */
    public VertxSessionSocket(Vertx vertx, ServerWebSocket ws) {
        this.vertx = vertx;
        this.ws = ws;
    }

    @Override
    public void bind(Handler handler) {
        ws.textMessageHandler(handler::onText);
        ws.binaryMessageHandler(b -> handler.onBinary());
        ws.closeHandler(v -> {
            Short code = ws.closeStatusCode();
            handler.onClosed(code == null ? null : code.intValue());
        });
        ws.exceptionHandler(handler::onError);
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
        ws.pause();
        vertx.setTimer(millis, id -> ws.resume());
    }

    @Override
    public String remoteAddress() {
        return String.valueOf(ws.remoteAddress());
    }
}
