package dev.prism.cluster.link;

import dev.prism.core.clock.MonoClock;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner side of the node-to-node link: a Vert.x {@link NetServer} on the cluster port. Each connection must
 * authenticate within {@link LinkSettings#handshakeTimeoutMillis()} (challenge-response on the shared cluster secret,
 * {@link LinkAuth}); then every channel the other node opens is given to the {@code Handler<IncomingChannel>}, which
 * accepts it (the lead adapts the channel to a {@code SessionSocket} and starts a session on it) or refuses it with a
 * reason the edge acts on (for example {@code not_owner}).
 *
 * <p>TLS is not built in: the secret is never sent and every connection proves both ends, but the messages travel in
 * clear. To encrypt, pass {@code NetServerOptions.setSsl(true).setKeyCertOptions(..)} here and
 * {@code NetClientOptions.setSsl(true).setTrustOptions(..)} to {@link LinkClient} (Vert.x does TLS below the framing,
 * nothing else changes), or run the link over a private network or WireGuard.
 *
 * <p>Threading: {@link #listen} and {@link #close} from any thread. A connection and all its channels live on the event
 * loop Vert.x assigns to the server's context (the caller's context when {@code listen} is called on one); the incoming
 * handler runs there.
 */
public final class LinkServer {
    private static final Logger LOG = LoggerFactory.getLogger(LinkServer.class);

    private final Vertx vertx;
    private final String nodeId;
    private final LinkAuth auth;
    private final LinkSettings settings;
    private final LinkMetrics metrics;
    private final MonoClock clock;
    private final Handler<IncomingChannel> incoming;
    private final LinkLog log;
    private final Set<LinkMux> connections = ConcurrentHashMap.newKeySet();
    private final NetServerOptions options;
    private NetServer server;

    /**
     * @param nodeId   this node's id (as in the registry), sent to and authenticated by the peers
     * @param secret   the shared cluster secret ({@code --cluster-secret}), at least 16 characters
     * @param incoming decides each opened channel; called on the connection's event loop
     */
    public LinkServer(Vertx vertx, String nodeId, String secret, LinkSettings settings, LinkMetrics metrics,
                      MonoClock clock, Handler<IncomingChannel> incoming) {
        this(vertx, nodeId, secret, settings, metrics, clock, incoming, new NetServerOptions());
    }

    /** As above, with the server's socket options (TLS, for instance). */
    public LinkServer(Vertx vertx, String nodeId, String secret, LinkSettings settings, LinkMetrics metrics,
                      MonoClock clock, Handler<IncomingChannel> incoming, NetServerOptions options) {
        if (!FrameCodec.validNodeId(nodeId)) {
            throw new IllegalArgumentException("node id must be 1-100 of A-Z a-z 0-9 . _ -");
        }
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.auth = new LinkAuth(secret);
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        this.incoming = incoming;
        this.options = new NetServerOptions(options).setTcpNoDelay(true);
        this.log = new LinkLog(LOG, clock, settings.logIntervalMillis());
    }

    /** Listens on {@code host:port} (0: any free port); answers the bound port. */
    public Future<Integer> listen(String host, int port) {
        server = vertx.createNetServer(new NetServerOptions(options).setHost(host).setPort(port));
        server.connectHandler(this::accepted);
        return server.listen().map(NetServer::actualPort);
    }

    /** Authenticated connections now open. */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * Stops listening and closes every connection: their channels close with {@link LinkCloseCodes#LINK_SHUTDOWN}
     * here, and the peers' with the same code.
     */
    public Future<Void> close() {
        List<Future<Void>> shutdowns = new ArrayList<>();
        for (LinkMux mux : connections) {
            Promise<Void> done = Promise.promise();
            mux.context().runOnContext(v -> {
                mux.shutdown();
                done.complete();
            });
            shutdowns.add(done.future());
        }
        // the close frames are written before the server closes what is left
        return Future.all(shutdowns).compose(v -> server == null ? Future.succeededFuture() : server.close());
    }

    private void accepted(NetSocket socket) {
        FramedSocket framed = new FramedSocket(socket, settings, metrics);
        new Handshake(framed).start();
    }

    /** The server's side of one connection's handshake: Hello → Challenge, Auth → AuthOk, then a {@link LinkMux}. */
    private final class Handshake {
        private final FramedSocket socket;
        private final byte[] serverNonce = LinkAuth.nonce();
        private LinkFrame.Hello hello;
        private long timer;
        private boolean done;

        Handshake(FramedSocket socket) {
            this.socket = socket;
        }

        void start() {
            timer = vertx.setTimer(settings.handshakeTimeoutMillis(), t -> {
                if (!done) {
                    done = true;
                    metrics.handshakeTimeouts.increment();
                    log.handshakeRefused("timeout", socket.remoteAddress(), hello == null ? "-" : hello.nodeId());
                    socket.close();
                }
            });
            socket.onFrame(this::frame);
            socket.onProtocolError(e -> {
                done = true;
                vertx.cancelTimer(timer);
                log.protocolError(socket.remoteAddress(), e);
            });
            socket.onClosed(v -> {
                if (!done) {
                    done = true;
                    vertx.cancelTimer(timer);
                    metrics.handshakeFailures.increment();
                }
            });
        }

        private void frame(LinkFrame frame) {
            if (done) {
                return;
            }
            if (hello == null && frame instanceof LinkFrame.Hello h) {
                hello = h;
                if (h.version() != LinkAuth.VERSION) {
                    fail("version", LinkCloseCodes.VERSION_UNSUPPORTED, "version " + LinkAuth.VERSION + " only");
                    metrics.handshakeFailures.increment();
                    return;
                }
                socket.send(new LinkFrame.Challenge(LinkAuth.VERSION, nodeId, serverNonce));
            } else if (hello != null && frame instanceof LinkFrame.Auth a) {
                byte[] expected = auth.clientProof(hello.nonce(), serverNonce, hello.nodeId(), nodeId);
                if (!LinkAuth.matches(expected, a.mac())) {
                    metrics.authRefused.increment();
                    fail("wrong secret", LinkCloseCodes.AUTH_FAILED, "auth_failed");
                    return;
                }
                done = true;
                vertx.cancelTimer(timer);
                socket.send(new LinkFrame.AuthOk(auth.serverProof(hello.nonce(), serverNonce, hello.nodeId(), nodeId)));
                LinkMux[] self = new LinkMux[1];
                self[0] = new LinkMux(vertx, socket, settings, metrics, clock, log, false, hello.nodeId(), incoming,
                        down -> connections.remove(self[0]));
                connections.add(self[0]);
            } else {
                metrics.handshakeFailures.increment();
                fail("unexpected frame", LinkCloseCodes.AUTH_FAILED, "handshake_failed");
            }
        }

        private void fail(String what, int code, String reason) {
            done = true;
            vertx.cancelTimer(timer);
            log.handshakeRefused(what, socket.remoteAddress(), hello == null ? "-" : hello.nodeId());
            socket.closeAfter(new LinkFrame.Close(0, code, reason));
        }
    }
}
