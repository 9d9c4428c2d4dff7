package dev.prism.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.cluster.NodeDescriptor;
import dev.prism.cluster.NodeLoad;
import dev.prism.cluster.NodeState;
import dev.prism.cluster.NodeView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which nodes may not have seen this node DRAINING yet, from their report numbers. */
class DrainAnnouncementTest {

    private static NodeView node(String id, long seq) {
        return new NodeView(id, new NodeDescriptor("prism://" + id, "127.0.0.1", List.of(40000), "test"),
                NodeState.SERVING, NodeLoad.IDLE, 0, seq, 0);
    }

    @Test
    void theBaselineIsEveryOtherLiveNodesReportNumber() {
        assertThat(DrainAnnouncement.baseline(List.of(node("self", 9), node("b", 4), node("c", 7)), "self"))
                .isEqualTo(Map.of("b", 4L, "c", 7L));
    }

    @Test
    void aNodeHasSeenItOnceItReportedAgainOrLeftTheView() {
        Map<String, Long> baseline = Map.of("b", 4L, "c", 7L, "d", 2L);
        // b reported (5), c did not (7), d's lease expired: only c may still place rooms here
        assertThat(DrainAnnouncement.notYetSeen(baseline, List.of(node("self", 10), node("b", 5), node("c", 7))))
                .containsExactly("c");
        assertThat(DrainAnnouncement.notYetSeen(baseline, List.of(node("b", 4), node("c", 6), node("d", 2))))
                .containsExactly("b", "c", "d");
        assertThat(DrainAnnouncement.notYetSeen(baseline, List.of(node("b", 6), node("c", 8), node("d", 3))))
                .isEmpty();
        // a node that joined after the announcement read this node DRAINING at once: not waited for
        assertThat(DrainAnnouncement.notYetSeen(baseline, List.of(node("b", 5), node("c", 8), node("e", 1))))
                .isEmpty();
        assertThat(DrainAnnouncement.notYetSeen(Map.of(), List.of(node("self", 1)))).isEmpty();
    }
}
