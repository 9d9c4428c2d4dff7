package dev.prism.server.cluster;

import dev.prism.cluster.NodeRegistry;
import dev.prism.cluster.NodeView;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The wait between announcing DRAINING and handing the first room over: until every other live node has written a
 * report after this node's DRAINING record was in Redis. Each node refreshes its view right after writing its report
 * (the same tick of {@link NodeRegistry}), so a node that reported since then is already reading this node as
 * DRAINING and its placement skips it. A node that left the view (stopped, or its lease expired) needs nothing.
 *
 * <p>Nothing in Redis tells a node when another one read its record, so the registry is read again every
 * {@link #REFRESH_MILLIS} until the condition holds or the deadline passes. Redis answers and the timer run on a Vert.x
 * event loop; the returned future completes there.
 */
final class DrainAnnouncement {
    /** How often the view is read again while waiting; a tenth of the default report period. */
    static final long REFRESH_MILLIS = 100;

    private DrainAnnouncement() {
    }

    /** The report number of each other live node in {@code live}, read after the DRAINING record was written. */
    static Map<String, Long> baseline(List<NodeView> live, String selfId) {
        Map<String, Long> seqs = new HashMap<>();
        for (NodeView n : live) {
            if (!n.id().equals(selfId)) {
                seqs.put(n.id(), n.reportSeq());
            }
        }
        return seqs;
    }

    /**
     * The nodes of {@code baseline} that may not have seen DRAINING yet: still live in {@code live} and not reported
     * since (same report number or older). Pure.
     */
    static List<String> notYetSeen(Map<String, Long> baseline, List<NodeView> live) {
        Map<String, Long> now = new HashMap<>();
        for (NodeView n : live) {
            now.put(n.id(), n.reportSeq());
        }
        return baseline.entrySet().stream()
                .filter(e -> now.containsKey(e.getKey()) && now.get(e.getKey()) <= e.getValue())
                .map(Map.Entry::getKey).sorted().toList();
    }

    /**
     * Completes (with an empty list) once every node of {@code baseline} has seen DRAINING, or after
     * {@code deadlineMillis} with the nodes not confirmed yet; never fails (a failed read is tried again).
     */
    static CompletableFuture<List<String>> await(Vertx vertx, NodeRegistry registry, Map<String, Long> baseline,
                                                 long deadlineMillis) {
        CompletableFuture<List<String>> done = new CompletableFuture<>();
        List<String> pending = notYetSeen(baseline, registry.liveNodes());
        if (pending.isEmpty()) {
            done.complete(pending);
            return done;
        }
        long deadlineNanos = System.nanoTime() + deadlineMillis * 1_000_000L;
        vertx.setTimer(REFRESH_MILLIS, id -> check(vertx, registry, baseline, deadlineNanos, done));
        return done;
    }

    private static void check(Vertx vertx, NodeRegistry registry, Map<String, Long> baseline, long deadlineNanos,
                              CompletableFuture<List<String>> done) {
        registry.refresh().onComplete(ar -> {
            List<String> pending = notYetSeen(baseline, registry.liveNodes());
            if (pending.isEmpty() || System.nanoTime() - deadlineNanos >= 0) {
                done.complete(pending);
                return;
            }
            vertx.setTimer(REFRESH_MILLIS, id -> check(vertx, registry, baseline, deadlineNanos, done));
        });
    }
}
