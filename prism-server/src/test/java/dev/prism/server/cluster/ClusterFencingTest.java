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
 * Issue #12 item 3 (fencing): the owner of a room is frozen with SIGSTOP for 10 s; its lease expires and another node
 * takes the room over on a rejoin; after SIGCONT the stale node finds a higher epoch in the room's record, closes its
 * copy and tells its participants {@code migrate}. No participant is on two nodes afterwards.
 */
class ClusterFencingTest {
    @RegisterExtension
    static final ClusterBenchExtension BENCH = new ClusterBenchExtension(ClusterModeBench.builder(3));

    @Test
    void aFrozenOwnerComesBackFencedAndClosesItsCopy() {
        ClusterBench bench = BENCH.bench();
        ClusterModeBench.awaitLiveNodes(bench, 3);
        String room = "fenced";
        // The first join places the room (by load: maybe on another node, the socket then proxied there); the two
        // participants whose copy goes stale are on the owner itself, as clients are after the balancer's hash.
        ClusterBench.Participant probe = bench.joinAt(bench.node(1), room, "probe");
        Deadline.await(Duration.ofSeconds(5), "a record", () -> ClusterModeBench.record(bench, room).isPresent());
        JsonObject first = ClusterModeBench.record(bench, room).orElseThrow();
        PrismNode owner = ClusterModeBench.nodeOfId(bench, first.getString("node"));
        List<ClusterBench.Participant> stale = new ArrayList<>();
        stale.add(bench.joinAt(owner, room, "p1"));
        stale.add(bench.joinAt(owner, room, "p2"));
        probe.close();

        long paused = System.nanoTime();
        owner.pause();
        PrismNode other = bench.nodes().stream().filter(n -> n != owner).findFirst().orElseThrow();
        Deadline.await(Duration.ofSeconds(10), "the frozen owner out of the view",
                () -> ClusterModeBench.clusterView(other).getJsonArray("nodes").stream()
                        .noneMatch(n -> ((JsonObject) n).getString("id").equals(first.getString("node"))));
        List<ClusterBench.Participant> fresh = new ArrayList<>();
        try {
            // the clients of the frozen node give up on it and join again elsewhere (the SDK does after a timeout)
            fresh.add(bench.joinAt(other, room, "p1"));
            fresh.add(bench.joinAt(other, room, "p2"));
            JsonObject second = ClusterModeBench.record(bench, room).orElseThrow();
            assertThat(second.getLong("epoch")).isGreaterThan(first.getLong("epoch"));
            assertThat(second.getString("node")).isNotEqualTo(first.getString("node"));
            Deadline.await(Duration.ofSeconds(12), "10 s of SIGSTOP", () -> System.nanoTime() - paused >= 10e9);
            long resumed = System.nanoTime();
            owner.resume();
            for (ClusterBench.Participant p : stale) {
                p.ws().next("migrate", 10); // the stale copy closes: its participants are told to join again
                assertThat(p.ws().awaitClose(5)).isEqualTo(4011);
            }
            long fenced = System.nanoTime();
            Deadline.await(Duration.ofSeconds(5), "the stale copy gone", () -> owner.roomView(room) == null);
            PrismNode newOwner = ClusterModeBench.nodeOfId(bench, second.getString("node"));
            assertThat(bench.distribution(room)).as("nobody on two nodes")
                    .containsExactly(Map.entry(newOwner.name(), 2));
            assertThat(owner.get("/metrics", Duration.ofSeconds(5)).body())
                    .containsPattern("(?m)^prism_cluster_fenced_rooms_total 1\\.0$"); // this room's copy, once
            System.out.printf("[cluster] SIGSTOP 10 s: the stale node closed its copy %.2f s after SIGCONT (epoch %d "
                    + "-> %d)%n", (fenced - resumed) / 1e9, first.getLong("epoch"), second.getLong("epoch"));
        } finally {
            if (owner.isPaused()) {
                owner.resume();
            }
            fresh.forEach(ClusterModeBench::leave);
            stale.forEach(ClusterBench.Participant::close);
        }
    }
}
