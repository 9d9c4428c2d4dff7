package dev.prism.server.link;

import dev.prism.cluster.link.LinkMetrics;
import dev.prism.signaling.route.ProxiedSessionAcceptor;
import dev.prism.signaling.route.RemoteSessions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The node-to-node links of a cluster node. STUB (SEAMS.md signatures, replaced by the proxy engineer's branch): no
 * server is started; the address is the configured one and remote sessions are {@link RemoteSessions#NONE}.
 */
public final class ClusterLinks implements AutoCloseable {
    private final String linkAddress;

    private ClusterLinks(String linkAddress) {
        this.linkAddress = linkAddress;
    }

    /**
     * LinkServer on host:port (0 = any free port) + one LinkClient, both with nodeId/clusterSecret; incoming
     * "session" channels go to the acceptor.
     */
    public static Future<ClusterLinks> start(Vertx vertx, String nodeId, String clusterSecret, String host, int port,
                                             ProxiedSessionAcceptor acceptor, LinkMetrics metrics) {
        return Future.succeededFuture(new ClusterLinks("link://" + host + ":" + port));
    }

    /** "link://host:boundPort", to publish in the node registry. */
    public String linkAddress() {
        return linkAddress;
    }

    public RemoteSessions remoteSessions() {
        return RemoteSessions.NONE;
    }

    @Override
    public void close() {
    }
}
