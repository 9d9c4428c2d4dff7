package dev.prism.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Chooses the node for a new room by the power of two choices on the corrected load: two distinct eligible nodes drawn
 * at random, the less loaded one wins. Random pairs keep many placers from agreeing on the same "least loaded" node;
 * the correction ({@link LoadModel#corrected}) makes each placement count against its node until that node reports
 * again.
 *
 * <p>Eligible: state SERVING, corrected score below the maximum load (the caller passes only live nodes), and
 * accepted by the placer's own eligibility test (cluster mode: nodes this node can authenticate with over the
 * node-to-node link; a room placed where the placer cannot reach would be unreachable from it).
 *
 * <p>Each placer corrects only for its own placements (as Jicofo does); placers on other nodes see them in the next
 * report. The random pairs keep concurrent placers from all picking the same node meanwhile.
 *
 * <p>Thread-safe: {@link #reserve} and {@link #release} are synchronized so that concurrent placements on one node
 * see each other's reservations.
 */
public final class NodeChooser {
    private final LoadModel model;
    private final double maxLoad;
    private final RandomGenerator random;
    private final Predicate<NodeView> eligible;
    /** Per node: the report sequence seen at placement time and the rooms placed against it since. */
    private final Map<String, long[]> placedSinceReport = new HashMap<>();

    public NodeChooser(LoadModel model, double maxLoad, RandomGenerator random) {
        this(model, maxLoad, random, node -> true);
    }

    /**
     * @param eligible the placer's own test on top of state and load; called under this chooser's lock, so it must
     *                 be cheap and never block (a read of a concurrent map)
     */
    public NodeChooser(LoadModel model, double maxLoad, RandomGenerator random, Predicate<NodeView> eligible) {
        this.model = model;
        this.maxLoad = maxLoad;
        this.random = random;
        this.eligible = eligible;
    }

    /**
     * Picks a node among {@code live} and counts one room against it (until its next report). Returns null when no
     * node is eligible. A caller whose placement did not happen (another placer won the room) calls {@link #release}.
     */
    public synchronized NodeView reserve(List<NodeView> live) {
        if (placedSinceReport.size() > live.size()) {
            retain(live); // nodes came and went: keep memory bounded by the live cluster
        }
        List<NodeView> eligible = new ArrayList<>(live.size());
        for (NodeView node : live) {
            if (node.state() == NodeState.SERVING && correctedLocked(node) < maxLoad && this.eligible.test(node)) {
                eligible.add(node);
            }
        }
        if (eligible.isEmpty()) {
            return null;
        }
        NodeView chosen;
        if (eligible.size() == 1) {
            chosen = eligible.get(0);
        } else {
            int i = random.nextInt(eligible.size());
            int j = random.nextInt(eligible.size() - 1);
            if (j >= i) {
                j++;
            }
            NodeView a = eligible.get(i);
            NodeView b = eligible.get(j);
            chosen = correctedLocked(b) < correctedLocked(a) ? b : a;
        }
        long[] entry = entryLocked(chosen);
        entry[1]++;
        return chosen;
    }

    /** Takes back a reservation of {@link #reserve} whose placement did not happen. */
    public synchronized void release(NodeView node) {
        long[] entry = placedSinceReport.get(node.id());
        if (entry != null && entry[0] == node.reportSeq() && entry[1] > 0) {
            entry[1]--;
        }
    }

    /** The node's reported score plus the rooms placed on it since that report. */
    public synchronized double corrected(NodeView node) {
        return correctedLocked(node);
    }

    /** Forgets nodes that are no longer live (bounded memory as nodes come and go). */
    public synchronized void retain(List<NodeView> live) {
        Map<String, Boolean> ids = new HashMap<>();
        for (NodeView node : live) {
            ids.put(node.id(), Boolean.TRUE);
        }
        placedSinceReport.keySet().retainAll(ids.keySet());
    }

    private double correctedLocked(NodeView node) {
        long[] entry = placedSinceReport.get(node.id());
        int placed = entry != null && entry[0] == node.reportSeq() ? (int) Math.min(Integer.MAX_VALUE, entry[1]) : 0;
        return model.corrected(node.score(), node.load().rooms(), placed);
    }

    private long[] entryLocked(NodeView node) {
        long[] entry = placedSinceReport.computeIfAbsent(node.id(), id -> new long[] {node.reportSeq(), 0});
        if (entry[0] != node.reportSeq()) {
            entry[0] = node.reportSeq(); // a newer report measured what was placed before it
            entry[1] = 0;
        }
        return entry;
    }
}
