package dev.prism.cluster.link;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A hand-driven link client for tests: raw bytes or frames onto a {@link LinkServer}, frames read back. */
final class LinkRawPeer implements AutoCloseable {
    final NetSocket socket;
    final BlockingQueue<LinkFrame> frames = new LinkedBlockingQueue<>();
    final CountDownLatch closed = new CountDownLatch(1);

    LinkRawPeer(Vertx vertx, int port) throws Exception {
        socket = vertx.createNetClient().connect(port, "127.0.0.1").await(5, TimeUnit.SECONDS);
        FrameReader reader = new FrameReader(LinkSettings.DEFAULTS.maxFrameBytes(), frames::add, e -> { });
        socket.handler(reader);
        socket.closeHandler(v -> closed.countDown());
    }

    /** Runs the client side of the handshake with {@code secret}; answers the server's node id. */
    String authenticate(String nodeId, String secret) throws Exception {
        LinkAuth auth = new LinkAuth(secret);
        byte[] nonce = LinkAuth.nonce();
        send(new LinkFrame.Hello(LinkAuth.VERSION, nodeId, nonce));
        LinkFrame.Challenge c = (LinkFrame.Challenge) next();
        send(new LinkFrame.Auth(auth.clientProof(nonce, c.nonce(), nodeId, c.nodeId())));
        LinkFrame ok = next();
        if (!(ok instanceof LinkFrame.AuthOk)) {
            throw new AssertionError("expected AuthOk, got " + ok);
        }
        return c.nodeId();
    }

    void send(LinkFrame frame) {
        socket.write(FrameCodec.encode(frame));
    }

    void sendRaw(Buffer bytes) {
        socket.write(bytes);
    }

    LinkFrame next() throws InterruptedException {
        LinkFrame f = frames.poll(5, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("no frame within 5 s");
        }
        return f;
    }

    boolean awaitClosed(long millis) throws InterruptedException {
        return closed.await(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        socket.close();
    }
}
