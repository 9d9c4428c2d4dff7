package dev.prism.server.cluster;

import dev.prism.cluster.NodeView;
import dev.prism.core.text.ClientText;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which live nodes this node can take part with: those whose node-to-node link authenticates. A node registers in Redis
 * with Redis's own credentials, so a node with a wrong {@code --cluster-secret} is in everyone's view although no link
 * to or from it works. Placement must not give it rooms (every socket landing elsewhere would be refused), and it must
 * not own rooms itself.
 *
 * <ul>
 *   <li><b>Eligibility</b> ({@link #eligible}, the placement chooser's test): another node is eligible unless its link
 *       refused this node's handshake ({@code auth_failed} or {@code version_unsupported}, seen by a probe or a proxied
 *       open); this node is eligible unless it is {@link #isolated()}. A node never probed counts as reachable (a fresh
 *       node is not held back); a probe that cannot connect changes nothing (the lease decides whether a node is
 *       alive).</li>
 *   <li><b>Isolation</b>: this node is isolated when the live nodes it can reach, itself included, are fewer than half
 *       of the live nodes: with three nodes, the one whose secret differs reaches only itself, the other two reach
 *       each other. It then takes no rooms and hands over those it has ({@code onIsolated}). Two nodes that refuse each
 *       other cannot tell which one is wrong: neither is isolated, each places rooms only on itself, and the refusals
 *       show in both nodes' logs and {@code prism_cluster_link_auth_refused_total}.</li>
 * </ul>
 *
 * <p>Threading: {@link #probe} from a Vert.x timer; {@link #eligible} from placements (any thread, lock-free reads);
 * {@link #refused} from link callbacks.
 */
final class PeerReachability {
    static final long PROBE_MILLIS = 2000;
    private static final Logger LOG = LoggerFactory.getLogger(PeerReachability.class);

    /** What a probe of one node's link found. */
    enum Outcome { REACHABLE, REFUSED, UNKNOWN }

    /** Probes a node's link address. Never fails: a failure is {@link Outcome#UNKNOWN}. */
    @FunctionalInterface
    interface Prober {
        Future<Outcome> probe(String linkUrl);
    }

    private final String selfId;
    private final Set<String> refusedIds = ConcurrentHashMap.newKeySet();
    private volatile Supplier<List<NodeView>> live = List::of;
    private volatile Prober prober = url -> Future.succeededFuture(Outcome.UNKNOWN);
    private volatile Runnable onIsolated = () -> { };
    private volatile boolean isolated;
    private boolean probing;

    PeerReachability(String selfId) {
        this.selfId = selfId;
    }

    /** Wires the live view, the prober and what to do on becoming isolated (before the first {@link #probe}). */
    void use(Supplier<List<NodeView>> liveNodes, Prober p, Runnable isolatedHandler) {
        this.live = liveNodes;
        this.prober = p;
        this.onIsolated = isolatedHandler;
    }

    /** The placement chooser's test. Cheap and lock-free. */
    boolean eligible(NodeView node) {
        return node.id().equals(selfId) ? !isolated : !refusedIds.contains(node.id());
    }

    /** Whether this node reaches fewer than half of the live nodes (itself included) over the link. */
    boolean isolated() {
        return isolated;
    }

    /** Nodes whose link refused this node's handshake (for the admin view and tests). */
    Set<String> refused() {
        return Set.copyOf(refusedIds);
    }

    /** A proxied open to {@code nodeId} failed its handshake: not eligible until a probe succeeds. Any thread. */
    void refused(String nodeId) {
        if (refusedIds.add(nodeId)) {
            LOG.warn("cluster: node {} refused this node's link (wrong --cluster-secret on one side?): no rooms are "
                    + "placed there from here", ClientText.forLog(nodeId));
            evaluate(live.get());
        }
    }

    /** Probes every other live node's link, then re-evaluates isolation. One probe round at a time. */
    Future<Void> probe() {
        synchronized (this) {
            if (probing) {
                return Future.succeededFuture();
            }
            probing = true;
        }
        List<NodeView> nodes = live.get();
        List<Future<Outcome>> outcomes = new ArrayList<>();
        List<NodeView> probed = new ArrayList<>();
        for (NodeView node : nodes) {
            if (!node.id().equals(selfId)) {
                probed.add(node);
                outcomes.add(prober.probe(node.descriptor().linkUrl()));
            }
        }
        return Future.join(outcomes).transform(ar -> {
            for (int i = 0; i < probed.size(); i++) {
                Outcome o = outcomes.get(i).succeeded() ? outcomes.get(i).result() : Outcome.UNKNOWN;
                String id = probed.get(i).id();
                if (o == Outcome.REFUSED && refusedIds.add(id)) {
                    LOG.warn("cluster: node {} refuses this node's link handshake (wrong --cluster-secret on one "
                            + "side?): no rooms are placed there from here", ClientText.forLog(id));
                } else if (o == Outcome.REACHABLE && refusedIds.remove(id)) {
                    LOG.info("cluster: node {} accepts this node's link again", ClientText.forLog(id));
                }
            }
            refusedIds.retainAll(nodes.stream().map(NodeView::id).toList()); // nodes that left: forgotten
            evaluate(nodes);
            synchronized (this) {
                probing = false;
            }
            return Future.succeededFuture();
        });
    }

    private void evaluate(List<NodeView> nodes) {
        int reachable = 1; // this node
        int others = 0;
        for (NodeView node : nodes) {
            if (!node.id().equals(selfId)) {
                others++;
                if (!refusedIds.contains(node.id())) {
                    reachable++;
                }
            }
        }
        boolean now = reachable * 2 < others + 1;
        boolean was = isolated;
        isolated = now;
        if (now && !was) {
            LOG.error("cluster: this node's link is refused by {} of the {} other live nodes: it cannot take part "
                    + "(check --cluster-secret); it takes no rooms and hands over those it has", others - reachable + 1,
                    others);
            onIsolated.run();
        } else if (!now && was) {
            LOG.info("cluster: this node reaches most live nodes again: it takes rooms again");
        }
    }
}
