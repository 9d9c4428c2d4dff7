package dev.prism.server.cluster;

import dev.prism.cluster.ClusterUnavailable;
import dev.prism.cluster.NodeRegistry;
import dev.prism.cluster.NodeView;
import dev.prism.cluster.RoomOwner;
import dev.prism.cluster.RoomPlacement;
import dev.prism.core.clock.MonoClock;
import dev.prism.core.text.ClientText;
import dev.prism.core.text.RepeatingLog;
import dev.prism.signaling.route.Route;
import dev.prism.signaling.route.SessionRouting;
import io.vertx.core.Future;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode's answer to "where does this room's session run": the room's placement ({@link RoomPlacement#place}):
 * this node → {@link Route#LOCAL} (and the epoch is recorded for fencing), another node → {@link Route.Remote} with
 * its link address from the registry's view, any failure → {@code Unavailable("cluster_unavailable")}.
 *
 * <p>After a Redis outage (or a lapse of this node's lease) the rooms this node runs are verified before any placement
 * is answered ({@link OwnershipGuard#verifiedFirst()}), so a room taken over meanwhile is closed here before a new
 * participant could join this node's stale copy.
 *
 * <p>Called on Vert.x event loops; never blocks; the stage never fails.
 */
final class ClusterRouting implements SessionRouting {
    static final String UNAVAILABLE = "cluster_unavailable";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRouting.class);

    private final NodeRegistry registry;
    private final RoomPlacement placement;
    private final HeldRooms held;
    private final OwnershipGuard guard;
    private final ClusterMetrics metrics;
    private final MonoClock clock;
    private final RepeatingLog failureLog;

    ClusterRouting(NodeRegistry registry, RoomPlacement placement, HeldRooms held, OwnershipGuard guard,
                   ClusterMetrics metrics, MonoClock clock) {
        this.registry = registry;
        this.placement = placement;
        this.held = held;
        this.guard = guard;
        this.metrics = metrics;
        this.clock = clock;
        this.failureLog = new RepeatingLog(clock, 10_000);
    }

    @Override
    public CompletionStage<Route> route(String roomId) {
        Future<Route> answer;
        try {
            answer = guard.verifiedFirst().compose(v -> placement.place(roomId)).compose(this::toRoute);
        } catch (IllegalArgumentException badRoom) { // an empty or oversized room id: refused like an outage
            answer = Future.failedFuture(new ClusterUnavailable(ClusterUnavailable.Reason.CONTENDED,
                    "bad room id"));
        }
        return answer.recover(failure -> {
            if (failure instanceof ClusterUnavailable unavailable) {
                metrics.failed(unavailable.reason());
            } else {
                metrics.failed(ClusterUnavailable.Reason.REDIS_UNREACHABLE);
            }
            logFailure(roomId, failure);
            return Future.succeededFuture(new Route.Unavailable(UNAVAILABLE));
        }).toCompletionStage();
    }

    private Future<Route> toRoute(RoomOwner owner) {
        if (owner.nodeId().equals(registry.nodeId())) {
            if (held.get(owner.roomId()) == null && owner.epoch() > 1) {
                metrics.tookOver(); // a claim beyond the first: the previous owner's lease had expired
            }
            held.hold(owner.roomId(), owner.epoch(), clock.nanos());
            metrics.placed(ClusterMetrics.Placement.LOCAL);
            return Future.succeededFuture(Route.LOCAL);
        }
        String link = linkOf(owner.nodeId());
        if (link != null) {
            metrics.placed(ClusterMetrics.Placement.REMOTE);
            return Future.succeededFuture(new Route.Remote(owner.nodeId(), link));
        }
        // A node that registered after this node's last view refresh: read the view again once.
        return registry.refresh().compose(view -> {
            String again = linkOf(owner.nodeId());
            if (again == null) {
                metrics.failedNoLink();
                return Future.succeededFuture(new Route.Unavailable(UNAVAILABLE));
            }
            metrics.placed(ClusterMetrics.Placement.REMOTE);
            return Future.succeededFuture(new Route.Remote(owner.nodeId(), again));
        });
    }

    private String linkOf(String nodeId) {
        for (NodeView node : registry.liveNodes()) {
            if (node.id().equals(nodeId)) {
                return node.descriptor().linkUrl();
            }
        }
        return null;
    }

    private void logFailure(String roomId, Throwable failure) {
        long suppressed;
        synchronized (failureLog) {
            suppressed = failureLog.admit();
        }
        if (suppressed >= 0) {
            LOG.warn("cluster: placing room {} failed: {} ({} similar failures not logged)", ClientText.forLog(roomId),
                    failure.getMessage(), suppressed);
        }
    }
}
