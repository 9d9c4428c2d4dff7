package dev.prism.server.link;

import dev.prism.cluster.link.ChannelRefusedException;
import dev.prism.cluster.link.IncomingChannel;
import dev.prism.cluster.link.LinkChannel;
import dev.prism.cluster.link.LinkClient;
import dev.prism.cluster.link.LinkCloseCodes;
import dev.prism.cluster.link.LinkConnection;
import dev.prism.cluster.link.LinkMetrics;
import dev.prism.cluster.link.LinkServer;
import dev.prism.cluster.link.LinkSettings;
import dev.prism.cluster.link.LinkUnavailableException;
import dev.prism.cluster.link.OpenRequest;
import dev.prism.core.clock.MonoClock;
import dev.prism.signaling.route.ProxiedSessionAcceptor;
import dev.prism.signaling.route.ProxyChannel;
import dev.prism.signaling.route.ProxyOpenException;
import dev.prism.signaling.route.ProxyRequest;
import dev.prism.signaling.route.RemoteSessions;
import dev.prism.signaling.route.Route;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's ends of the node-to-node link, wired to signaling: a {@link LinkServer} on the cluster port whose
 * incoming {@code session} channels go to the {@link ProxiedSessionAcceptor} (the owner's side), and one
 * {@link LinkClient} behind {@link #remoteSessions()} (the edge's side; one connection per owner link address, made
 * on first use and kept). Both authenticate with the node id and the shared cluster secret.
 *
 * <p>Threading: {@link #start} and {@link #close} from any thread; everything else runs on the link connections'
 * event loops.
 */
public final class ClusterLinks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterLinks.class);
    /** A channel kind only opened to check the handshake (refused at once by the peer). */
    static final String KIND_PROBE = "probe";

    private final Vertx vertx;
    private final LinkServer server;
    private final LinkClient client;
    private final String host;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile int port;
    private volatile Consumer<String> handshakeRefused = nodeId -> { };
    private Set<String> missingBefore = Set.of();

    private ClusterLinks(Vertx vertx, String nodeId, String clusterSecret, String host, LinkSettings settings,
                         ProxiedSessionAcceptor acceptor, LinkMetrics metrics) {
        this.vertx = vertx;
        this.host = host;
        this.server = new LinkServer(vertx, nodeId, clusterSecret, settings, metrics, MonoClock.SYSTEM,
                incoming -> incoming(incoming, acceptor));
        this.client = new LinkClient(vertx, nodeId, clusterSecret, settings, metrics, MonoClock.SYSTEM);
    }

    /**
     * LinkServer on host:port (0 = any free port) + one LinkClient, both with nodeId/clusterSecret; incoming
     * "session" channels go to the acceptor.
     */
    public static Future<ClusterLinks> start(Vertx vertx, String nodeId, String clusterSecret, String host, int port,
                                             ProxiedSessionAcceptor acceptor, LinkMetrics metrics) {
        return start(vertx, nodeId, clusterSecret, host, port, acceptor, metrics, LinkSettings.DEFAULTS);
    }

    /** As above with other link settings (tests: small windows, short timings). */
    public static Future<ClusterLinks> start(Vertx vertx, String nodeId, String clusterSecret, String host, int port,
                                             ProxiedSessionAcceptor acceptor, LinkMetrics metrics,
                                             LinkSettings settings) {
        ClusterLinks links = new ClusterLinks(vertx, nodeId, clusterSecret, host, settings, acceptor, metrics);
        return links.server.listen(host, port).map(bound -> {
            links.port = bound;
            log.info("cluster link: node {} listening on {}", nodeId, links.linkAddress());
            return links;
        });
    }

    /** "link://host:boundPort", to publish in the node registry. */
    public String linkAddress() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "link://" + h + ":" + port;
    }

    /** The edge's side: opens a session channel on the (cached) connection to the owner's link address. */
    public RemoteSessions remoteSessions() {
        return this::open;
    }

    /** The link server (for its connection count). */
    public LinkServer server() {
        return server;
    }

    /** The link client (its connections, one per owner). */
    public LinkClient client() {
        return client;
    }

    /** Called with the owner's node id when a proxied open failed because its link refused this node's handshake. */
    public void onHandshakeRefused(Consumer<String> handler) {
        this.handshakeRefused = handler;
    }

    /**
     * Whether the link at {@code linkUrl} accepts this node's handshake: true once authenticated, false when refused
     * ({@code auth_failed}: another cluster secret; {@code version_unsupported}); fails when it cannot tell (nothing
     * listens, a timeout). Uses, and keeps, the cached connection to that node (a connected one answers at once).
     */
    public Future<Boolean> probe(String linkUrl) {
        LinkConnection connection;
        try {
            connection = client.open(linkUrl);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        if (connection.isConnected()) {
            return Future.succeededFuture(true);
        }
        return connection.openChannel(new OpenRequest(KIND_PROBE, Map.of())).transform(ar -> {
            if (ar.succeeded()) {
                ar.result().close(LinkCloseCodes.NORMAL, "probe");
                return Future.succeededFuture(true);
            }
            if (ar.cause() instanceof ChannelRefusedException) {
                return Future.succeededFuture(true); // authenticated: the refusal of the probe channel is expected
            }
            return handshakeRefusal(ar.cause()) ? Future.succeededFuture(false) : Future.failedFuture(ar.cause());
        });
    }

    /**
     * Closes the cached connections to link addresses missing from {@code live} now and at the previous call (nodes
     * that left the cluster; twice, so a node that missed one view refresh keeps its sessions): a connection
     * otherwise reconnects to a dead node forever. One caller (a timer).
     */
    public synchronized void retainConnections(Set<String> live) {
        Set<String> wanted = new HashSet<>();
        live.forEach(url -> wanted.add(bare(url)));
        Set<String> missing = new HashSet<>();
        for (LinkConnection c : client.connections()) {
            String address = bare(c.address());
            if (!wanted.contains(address)) {
                missing.add(address);
                if (missingBefore.contains(address)) {
                    log.info("cluster link: closing the connection to {}: its node left the cluster", c.address());
                    c.close();
                }
            }
        }
        missingBefore = missing;
    }

    private static String bare(String address) {
        String a = address.startsWith("link://") ? address.substring("link://".length()) : address;
        return a.replace("[", "").replace("]", "");
    }

    private static boolean handshakeRefusal(Throwable e) {
        return e instanceof LinkUnavailableException u
                && ("auth_failed".equals(u.reason()) || "version_unsupported".equals(u.reason()));
    }

    /** Closes both ends: every channel closes with the link's shutdown code (edges tell their clients 4013). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Future.all(server.close(), client.close()).toCompletionStage().toCompletableFuture()
                    .get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("cluster link: did not close cleanly: {}", e.toString());
        }
    }

    private CompletionStage<ProxyChannel> open(Route.Remote owner, ProxyRequest r) {
        CompletableFuture<ProxyChannel> result = new CompletableFuture<>();
        if (closed.get()) {
            result.completeExceptionally(new ProxyOpenException(ProxyOpenException.UNREACHABLE, "links closed"));
            return result;
        }
        try {
            client.open(owner.linkAddress())
                    .openChannel(OpenRequest.session(r.accessToken(), r.resumeToken(), r.clientAddress(), r.roomId()))
                    .onSuccess(ch -> result.complete(new EdgeChannel(ch)))
                    .onFailure(e -> {
                        if (handshakeRefusal(e)) {
                            handshakeRefused.accept(owner.nodeId());
                        }
                        result.completeExceptionally(openFailure(e));
                    });
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(new ProxyOpenException(ProxyOpenException.UNREACHABLE,
                    "bad link address " + owner.linkAddress()));
        }
        return result;
    }

    private static ProxyOpenException openFailure(Throwable e) {
        if (e instanceof ChannelRefusedException refused) {
            return new ProxyOpenException(ProxyOpenException.NOT_OWNER.equals(refused.reason())
                    ? ProxyOpenException.NOT_OWNER : ProxyOpenException.REFUSED, refused.detail());
        }
        if (e instanceof LinkUnavailableException u) {
            return new ProxyOpenException(ProxyOpenException.UNREACHABLE, u.getMessage());
        }
        return new ProxyOpenException(ProxyOpenException.UNREACHABLE, String.valueOf(e));
    }

    /** The owner's side: on the connection's event loop. */
    private void incoming(IncomingChannel in, ProxiedSessionAcceptor acceptor) {
        OpenRequest req = in.request();
        if (KIND_PROBE.equals(req.kind())) {
            in.refuse("probe", ""); // the handshake, already done, was the answer
            return;
        }
        if (!OpenRequest.KIND_SESSION.equals(req.kind())) {
            in.refuse("unknown_kind", "this node takes session channels only");
            return;
        }
        Context context = Vertx.currentContext();
        ProxyRequest request = new ProxyRequest(req.header(OpenRequest.TOKEN), req.header(OpenRequest.RESUME_TOKEN),
                req.header(OpenRequest.CLIENT_ADDRESS), req.header(OpenRequest.ROOM));
        CompletionStage<ProxiedSessionAcceptor.Admission> decision;
        try {
            decision = acceptor.admit(request, in.peerNodeId());
        } catch (RuntimeException e) {
            decision = CompletableFuture.failedFuture(e);
        }
        decision.whenComplete((admission, e) -> context.runOnContext(v -> {
            if (e != null) {
                Throwable cause = e.getCause() != null && !(e instanceof ProxyOpenException) ? e.getCause() : e;
                String reason = cause instanceof ProxyOpenException p ? p.reason() : "internal";
                String detail = cause instanceof ProxyOpenException p ? p.detail() : String.valueOf(cause);
                in.refuse(reason, truncate(detail));
                return;
            }
            LinkChannel channel;
            try {
                channel = in.accept();
            } catch (IllegalStateException timedOut) {
                return; // refused meanwhile (the open timed out): the edge tells its client
            }
            admission.start(new OwnerChannelSocket(vertx, channel));
        }));
    }

    private static String truncate(String s) {
        return s.length() <= 512 ? s : s.substring(0, 512);
    }
}
