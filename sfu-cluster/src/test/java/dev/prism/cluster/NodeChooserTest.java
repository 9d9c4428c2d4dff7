package dev.prism.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NodeChooserTest {
    private static final LoadModel MODEL = new LoadModel(50.0, 0, 0, 0.02);

    private static NodeView node(String id, NodeState state, double score, int rooms, long seq) {
        return new NodeView(id, new NodeDescriptor("wss://" + id, "127.0.0.1", List.of(40000), "test"), state,
                new NodeLoad(score, 0, 0, rooms, 0, 0), score, seq, 0);
    }

    @Test
    void spreads300PlacementsOverThreeEqualNodesWithReportsEvery10() {
        NodeChooser chooser = new NodeChooser(MODEL, 0.8, new Random(12345));
        Map<String, Integer> rooms = new HashMap<>(Map.of("a", 0, "b", 0, "c", 0));
        long seq = 1;
        List<NodeView> view = view(rooms, seq);
        for (int i = 1; i <= 300; i++) {
            NodeView chosen = chooser.reserve(view);
            rooms.merge(chosen.id(), 1, Integer::sum);
            if (i % 10 == 0) { // each node reports: 0.002 per room measured
                view = view(rooms, ++seq);
            }
        }
        System.out.println("300 placements over 3 equal nodes: " + rooms);
        assertThat(rooms.values()).allSatisfy(n -> assertThat(n).isBetween(85, 115));
    }

    @Test
    void aBurstBetweenTwoReportsDoesNotHerdOntoTheLeastLoadedNode() {
        // rooms 0: no measured room cost yet, so the increment is the model's minimum (0 = no correction at all)
        List<NodeView> view = List.of(node("a", NodeState.SERVING, 0.10, 0, 7), node("b", NodeState.SERVING, 0.11, 0, 7),
                node("c", NodeState.SERVING, 0.12, 0, 7));
        Map<String, Integer> corrected = burst(new NodeChooser(MODEL, 0.8, new Random(7)), view, 30);
        Map<String, Integer> uncorrected = burst(new NodeChooser(new LoadModel(50.0, 0, 0, 0), 0.8, new Random(7)),
                view, 30);
        System.out.println("burst of 30 between reports: corrected " + corrected + ", uncorrected " + uncorrected);
        assertThat(uncorrected.getOrDefault("c", 0)).as("without correction the most loaded node gets nothing")
                .isZero();
        assertThat(corrected.values()).allSatisfy(n -> assertThat(n).isBetween(7, 13));
    }

    @Test
    void onlyServingNodesUnderTheMaximumLoadAreEligible() {
        NodeChooser chooser = new NodeChooser(MODEL, 0.8, new Random(1));
        List<NodeView> view = List.of(node("draining", NodeState.DRAINING, 0.0, 0, 1),
                node("full", NodeState.SERVING, 0.8, 10, 1), node("ok", NodeState.SERVING, 0.5, 10, 1));
        // 0.5 + 0.05 (its measured cost of a room) per room placed: after 6 the node reaches 0.8 and is full too
        for (int i = 0; i < 6; i++) {
            assertThat(chooser.reserve(view).id()).isEqualTo("ok");
        }
        assertThat(chooser.corrected(view.get(2))).isGreaterThanOrEqualTo(0.8);
        assertThat(chooser.reserve(view)).as("nobody eligible").isNull();
        assertThat(chooser.reserve(List.of())).isNull();
    }

    @Test
    void aNodeThePlacersOwnTestRefusesIsNeverChosen() {
        NodeChooser chooser = new NodeChooser(MODEL, 0.8, new Random(3), node -> !node.id().equals("unreachable"));
        List<NodeView> view = List.of(node("unreachable", NodeState.SERVING, 0.0, 0, 1),
                node("a", NodeState.SERVING, 0.3, 30, 1), node("b", NodeState.SERVING, 0.3, 30, 1));
        for (int i = 0; i < 20; i++) { // the unreachable node is the least loaded: it would win every pair it is in
            assertThat(chooser.reserve(view).id()).isNotEqualTo("unreachable");
        }
        assertThat(new NodeChooser(MODEL, 0.8, new Random(3), node -> false).reserve(view)).as("nobody eligible")
                .isNull();
    }

    @Test
    void aReleasedReservationNoLongerCountsAndANewReportResetsTheCorrection() {
        NodeChooser chooser = new NodeChooser(MODEL, 0.8, new Random(1));
        NodeView a = node("a", NodeState.SERVING, 0.2, 4, 1);
        chooser.reserve(List.of(a));
        chooser.reserve(List.of(a));
        assertThat(chooser.corrected(a)).isEqualTo(0.2 + 2 * 0.05);
        chooser.release(a);
        assertThat(chooser.corrected(a)).isEqualTo(0.2 + 0.05);
        NodeView reported = node("a", NodeState.SERVING, 0.25, 5, 2);
        assertThat(chooser.corrected(reported)).as("the next report measured the room").isEqualTo(0.25);
    }

    private static List<NodeView> view(Map<String, Integer> rooms, long seq) {
        List<NodeView> view = new ArrayList<>();
        for (String id : List.of("a", "b", "c")) {
            int n = rooms.get(id);
            view.add(node(id, NodeState.SERVING, n * 0.002, n, seq));
        }
        return view;
    }

    private static Map<String, Integer> burst(NodeChooser chooser, List<NodeView> view, int placements) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < placements; i++) {
            counts.merge(chooser.reserve(view).id(), 1, Integer::sum);
        }
        return counts;
    }
}
