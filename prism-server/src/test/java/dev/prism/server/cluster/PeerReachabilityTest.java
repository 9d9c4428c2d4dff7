package dev.prism.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.cluster.NodeDescriptor;
import dev.prism.cluster.NodeLoad;
import dev.prism.cluster.NodeState;
import dev.prism.cluster.NodeView;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which nodes a placer may choose and when a node is isolated, from its probes' outcomes (no network). */
class PeerReachabilityTest {
    private static NodeView node(String id) {
        return new NodeView(id, new NodeDescriptor("link://" + id + ":7000", "127.0.0.1", List.of(4000), "t"),
                NodeState.SERVING, NodeLoad.IDLE, 0, 0, 0);
    }

    private static PeerReachability probed(String self, List<NodeView> live,
                                           Map<String, PeerReachability.Outcome> outcomes, AtomicInteger isolations) {
        PeerReachability r = new PeerReachability(self);
        r.use(() -> live, url -> Future.succeededFuture(outcomes.get(url.substring(7, url.indexOf(':', 7)))),
                isolations::incrementAndGet);
        r.probe();
        return r;
    }

    @Test
    void theOddNodeOutOfThreeIsIsolatedAndTheOthersSkipIt() {
        List<NodeView> live = List.of(node("a"), node("b"), node("bad"));
        AtomicInteger isolations = new AtomicInteger();
        PeerReachability bad = probed("bad", live, Map.of("a", PeerReachability.Outcome.REFUSED,
                "b", PeerReachability.Outcome.REFUSED), isolations);
        assertThat(bad.isolated()).isTrue();
        assertThat(isolations).hasValue(1);
        assertThat(live).noneMatch(bad::eligible); // not even itself

        PeerReachability good = probed("a", live, Map.of("b", PeerReachability.Outcome.REACHABLE,
                "bad", PeerReachability.Outcome.REFUSED), isolations);
        assertThat(good.isolated()).isFalse();
        assertThat(live).filteredOn(good::eligible).extracting(NodeView::id).containsExactly("a", "b");
        assertThat(isolations).hasValue(1);
    }

    @Test
    void twoNodesThatRefuseEachOtherAreNeitherIsolatedEachKeepsItsOwnRooms() {
        List<NodeView> live = List.of(node("a"), node("b"));
        AtomicInteger isolations = new AtomicInteger();
        PeerReachability a = probed("a", live, Map.of("b", PeerReachability.Outcome.REFUSED), isolations);
        assertThat(a.isolated()).isFalse();
        assertThat(live).filteredOn(a::eligible).extracting(NodeView::id).containsExactly("a");
        assertThat(isolations).hasValue(0);
    }

    @Test
    void anUnknownOutcomeChangesNothingAndAReachableOneClearsARefusal() {
        List<NodeView> live = List.of(node("a"), node("b"), node("c"));
        AtomicInteger isolations = new AtomicInteger();
        PeerReachability a = probed("a", live, Map.of("b", PeerReachability.Outcome.UNKNOWN,
                "c", PeerReachability.Outcome.UNKNOWN), isolations);
        assertThat(live).allMatch(a::eligible); // never probed successfully: still eligible
        a.refused("c"); // a proxied open to c failed its handshake
        assertThat(a.eligible(live.get(2))).isFalse();
        a.use(() -> live, url -> Future.succeededFuture(PeerReachability.Outcome.REACHABLE), isolations::incrementAndGet);
        a.probe();
        assertThat(live).allMatch(a::eligible);
        assertThat(isolations).hasValue(0);
    }
}
