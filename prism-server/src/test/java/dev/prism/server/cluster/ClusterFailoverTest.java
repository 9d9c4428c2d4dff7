package dev.prism.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.cluster.testkit.Deadline;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #12 item 5: the owner of a room is killed with SIGKILL; once its lease expired the room is placed again on
 * the first rejoin at a live node (the old record replaced at a higher epoch) and every participant is back in one
 * room on one node. Prints the time from the kill to the lease's expiry and to the last participant's welcome.
 */
class ClusterFailoverTest {
    @RegisterExtension
    static final ClusterBenchExtension BENCH = new ClusterBenchExtension(ClusterModeBench.builder(3));

    @Test
    void roomsOfAKilledOwnerArePlacedAgainOnTheFirstRejoin() {
        ClusterBench bench = BENCH.bench();
        ClusterModeBench.awaitLiveNodes(bench, 3);
        String room = "failover";
        List<ClusterBench.Participant> before = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            before.add(bench.joinAt(bench.node(1), room, "p" + i));
        }
        Deadline.await(Duration.ofSeconds(5), "a record", () -> ClusterModeBench.record(bench, room).isPresent());
        JsonObject first = ClusterModeBench.record(bench, room).orElseThrow();
        PrismNode owner = ClusterModeBench.nodeOfId(bench, first.getString("node"));
        assertThat(bench.distribution(room)).containsExactly(Map.entry(owner.name(), 3));

        long killed = System.nanoTime();
        owner.kill9();
        before.forEach(p -> p.ws().awaitClose(5));
        PrismNode live = bench.liveNodes().get(0);
        Deadline.await(Duration.ofSeconds(10), "the killed owner out of the registry view",
                () -> ClusterModeBench.clusterView(live).getJsonArray("nodes").stream()
                        .noneMatch(n -> ((JsonObject) n).getString("id").equals(first.getString("node"))));
        long leaseGone = System.nanoTime();
        List<ClusterBench.Participant> after = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                after.add(bench.joinAt(live, room, "p" + i));
            }
            long rejoined = System.nanoTime();
            JsonObject second = ClusterModeBench.record(bench, room).orElseThrow();
            assertThat(second.getString("node")).isNotEqualTo(first.getString("node"));
            assertThat(second.getBoolean("ownerAlive")).isTrue();
            assertThat(second.getLong("epoch")).isGreaterThan(first.getLong("epoch"));
            PrismNode newOwner = ClusterModeBench.nodeOfId(bench, second.getString("node"));
            assertThat(bench.distribution(room)).containsExactly(Map.entry(newOwner.name(), 3));
            System.out.printf("[cluster] kill -9 of the owner: out of the view after %.2f s, 3 participants back "
                            + "in the room on %s after %.2f s (epoch %d -> %d)%n", (leaseGone - killed) / 1e9,
                    newOwner.name(), (rejoined - killed) / 1e9, first.getLong("epoch"), second.getLong("epoch"));
        } finally {
            after.forEach(ClusterModeBench::leave);
        }
    }
}
