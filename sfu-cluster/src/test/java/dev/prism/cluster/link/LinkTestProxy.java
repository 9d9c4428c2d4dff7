package dev.prism.cluster.link;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP relay between a link client and a server, so a test can cut the connection ({@link #cut}: both
 * sockets closed, like a dead peer or a reset) or silence it ({@link #freeze}: bytes dropped both ways, like a
 * partition or a SIGSTOPped node) without touching either end.
 */
final class LinkTestProxy implements AutoCloseable {
    private final Vertx vertx;
    private final NetServer server;
    private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean frozen;
    final int port;

    LinkTestProxy(Vertx vertx, int targetPort) throws Exception {
        this.vertx = vertx;
        this.server = vertx.createNetServer();
        server.connectHandler(in -> {
            in.pause();
            sockets.add(in);
            vertx.createNetClient().connect(targetPort, "127.0.0.1").onComplete(ar -> {
                if (ar.failed()) {
                    in.close();
                    return;
                }
                NetSocket out = ar.result();
                sockets.add(out);
                in.handler(b -> {
                    if (!frozen) {
                        out.write(b);
                    }
                });
                out.handler(b -> {
                    if (!frozen) {
                        in.write(b);
                    }
                });
                in.closeHandler(v -> out.close());
                out.closeHandler(v -> in.close());
                in.resume();
            });
        });
        this.port = server.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();
    }

    /** Closes every relayed connection at once; new ones are still relayed. */
    void cut() {
        for (NetSocket s : sockets) {
            s.close();
        }
        sockets.clear();
    }

    /** Drops every byte both ways while true. */
    void freeze(boolean frozen) {
        this.frozen = frozen;
    }

    @Override
    public void close() throws Exception {
        cut();
        server.close().await(5, TimeUnit.SECONDS);
    }
}
