package dev.prism.cluster.link;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.function.Consumer;

/**
 * A TCP socket speaking frames: bytes in go through a {@link FrameReader} to the current frame handler (the handshake
 * first, then the {@link LinkMux}); frames out are encoded and written. Counts bytes, oversize frames and protocol
 * errors. Confined to the socket's context.
 */
final class FramedSocket {
    private final NetSocket socket;
    private final LinkMetrics metrics;
    private final FrameReader reader;
    private Handler<LinkFrame> frames = f -> { };
    private Consumer<LinkProtocolException> protocolErrors = e -> { };
    private Handler<Void> closed = v -> { };
    private boolean closing;
    private boolean ended;

    FramedSocket(NetSocket socket, LinkSettings settings, LinkMetrics metrics) {
        this.socket = socket;
        this.metrics = metrics;
        this.reader = new FrameReader(settings.maxFrameBytes(), f -> frames.handle(f), this::protocolError);
        socket.setWriteQueueMaxSize(settings.socketWriteQueueBytes());
        socket.handler(bytes -> {
            metrics.bytesIn.add(bytes.length());
            reader.handle(bytes);
        });
        socket.closeHandler(v -> {
            closing = true;
            reader.stop();
            closed.handle(null);
        });
        socket.exceptionHandler(e -> socket.close());
    }

    void onFrame(Handler<LinkFrame> handler) {
        this.frames = handler;
    }

    void onProtocolError(Consumer<LinkProtocolException> handler) {
        this.protocolErrors = handler;
    }

    void onClosed(Handler<Void> handler) {
        this.closed = handler;
    }

    void onDrain(Handler<Void> handler) {
        socket.drainHandler(handler);
    }

    /** Counts the error, stops reading and tells the current owner (which closes the connection). */
    void protocolError(LinkProtocolException e) {
        reader.stop();
        if (e.reason() == LinkProtocolException.Reason.FRAME_TOO_LARGE) {
            metrics.oversizeFrames.increment();
        } else {
            metrics.protocolErrors.increment();
        }
        protocolErrors.accept(e);
        close();
    }

    void send(LinkFrame frame) {
        write(FrameCodec.encode(frame));
    }

    void write(Buffer frame) {
        if (!closing) {
            metrics.bytesOut.add(frame.length());
            socket.write(frame);
        }
    }

    boolean writeQueueFull() {
        return socket.writeQueueFull();
    }

    /** Sends {@code last}, then closes once it is written. */
    void closeAfter(LinkFrame last) {
        if (!closing) {
            Buffer b = FrameCodec.encode(last);
            metrics.bytesOut.add(b.length());
            closing = true;
            ended = true;
            reader.stop();
            socket.end(b);
        }
    }

    void close() {
        if (!closing) {
            closing = true;
            reader.stop();
        }
        if (!ended) {
            socket.close();
        }
    }

    String remoteAddress() {
        return String.valueOf(socket.remoteAddress());
    }
}
