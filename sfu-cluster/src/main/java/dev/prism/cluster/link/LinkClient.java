package dev.prism.cluster.link;

import dev.prism.core.clock.MonoClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge side of the node-to-node link: one {@link LinkConnection} per peer node, made on first
 * {@link #open(String)} and reused by every later call for the same address, each on an event loop of its own.
 *
 * <p>Typical use on the edge (signaling, once the token is checked and the owner found):
 * <pre>{@code
 * client.open(owner.linkUrl())
 *       .openChannel(OpenRequest.session(token, resumeToken, clientAddress, room))
 *       .onSuccess(channel -> ... proxy the client's WebSocket to it ...)
 *       .onFailure(e -> ... ChannelRefusedException "not_owner": look up again; LinkUnavailableException: retry ...);
 * }</pre>
 *
 * <p>Threading: every method from any thread; a connection's callbacks run on its own context
 * ({@link LinkConnection#context()}).
 */
public final class LinkClient {
    private static final Logger LOG = LoggerFactory.getLogger(LinkClient.class);

    private final Vertx vertx;
    private final String nodeId;
    private final LinkAuth auth;
    private final LinkSettings settings;
    private final LinkMetrics metrics;
    private final MonoClock clock;
    private final NetClient netClient;
    private final LinkLog log;
    private final Map<String, LinkConnection> connections = new ConcurrentHashMap<>();

    /**
     * @param nodeId this node's id, sent to and authenticated by the peers
     * @param secret the shared cluster secret, at least 16 characters
     */
    public LinkClient(Vertx vertx, String nodeId, String secret, LinkSettings settings, LinkMetrics metrics,
                      MonoClock clock) {
        this(vertx, nodeId, secret, settings, metrics, clock, new NetClientOptions());
    }

    /** As above, with the client's socket options (TLS, for instance). */
    public LinkClient(Vertx vertx, String nodeId, String secret, LinkSettings settings, LinkMetrics metrics,
                      MonoClock clock, NetClientOptions options) {
        if (!FrameCodec.validNodeId(nodeId)) {
            throw new IllegalArgumentException("node id must be 1-100 of A-Z a-z 0-9 . _ -");
        }
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.auth = new LinkAuth(secret);
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        this.netClient = vertx.createNetClient(new NetClientOptions(options).setTcpNoDelay(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.handshakeTimeoutMillis())));
        this.log = new LinkLog(LOG, clock, settings.logIntervalMillis());
    }

    /**
     * The connection to the node at {@code linkUrl} ({@code link://host:port}, {@code tcp://host:port} or
     * {@code host:port}; IPv6 in brackets), made and started on first use.
     *
     * @throws IllegalArgumentException for a URL that is not one of those
     */
    public LinkConnection open(String linkUrl) {
        LinkAddress address = LinkAddress.parse(linkUrl);
        LinkConnection c = connections.computeIfAbsent(address.key(),
                k -> new LinkConnection(this, address.host(), address.port(), newContext()));
        c.context().runOnContext(v -> c.connectNow());
        return c;
    }

    /** The connections made so far and not closed. */
    public List<LinkConnection> connections() {
        return new ArrayList<>(connections.values());
    }

    /** Closes every connection (their channels close with {@link LinkCloseCodes#LINK_SHUTDOWN}). */
    public Future<Void> close() {
        List<Future<Void>> all = new ArrayList<>();
        for (LinkConnection c : connections()) {
            all.add(c.close());
        }
        return Future.all(all).compose(v -> netClient.close());
    }

    private io.vertx.core.Context newContext() {
        // From a thread outside Vert.x this is a fresh event-loop context; on an event loop, that loop's context.
        return vertx.getOrCreateContext();
    }

    void forget(LinkConnection c) {
        connections.values().remove(c);
    }

    Vertx vertx() {
        return vertx;
    }

    String nodeId() {
        return nodeId;
    }

    LinkAuth auth() {
        return auth;
    }

    LinkSettings settings() {
        return settings;
    }

    LinkMetrics metrics() {
        return metrics;
    }

    MonoClock clock() {
        return clock;
    }

    NetClient netClient() {
        return netClient;
    }

    LinkLog log() {
        return log;
    }
}
