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
 * Issue #12 item 6 in cluster mode: {@code POST /admin/api/node/drain} on a node with rooms turns {@code /readyz} 503,
 * marks it DRAINING in the registry and hands its rooms over one at a time: each participant is told {@code migrate}
 * (close 4011) and, joining again at a serving node (where the balancer sends it once {@code /readyz} is 503), lands
 * in its room on another node. Nobody is lost. Prints the time from {@code migrate} to the welcome per participant.
 */
class ClusterDrainTest {
    @RegisterExtension
    static final ClusterBenchExtension BENCH = new ClusterBenchExtension(ClusterModeBench.builder(3));

    @Test
    void aDrainedNodeHandsEveryRoomOverAndNobodyIsLost() throws Exception {
        ClusterBench bench = BENCH.bench();
        ClusterModeBench.awaitLiveNodes(bench, 3);
        PrismNode drained = bench.node(1);
        // Rooms the drained node owns: a join there is placed by load (and proxied when another node owns the room),
        // so a probe finds the owner; rooms placed elsewhere end with their probe and are not used.
        List<String> rooms = new ArrayList<>();
        List<ClusterBench.Participant> before = new ArrayList<>();
        for (int i = 0; rooms.size() < 3 && i < 40; i++) {
            String room = "drain-" + i;
            ClusterBench.Participant probe = bench.joinAt(drained, room, "probe");
            Deadline.await(Duration.ofSeconds(5), "a record", () -> ClusterModeBench.record(bench, room).isPresent());
            JsonObject record = ClusterModeBench.record(bench, room).orElseThrow();
            if (ClusterModeBench.nodeOfId(bench, record.getString("node")) == drained) {
                rooms.add(room);
                before.add(bench.joinAt(drained, room, "p1"));
                before.add(bench.joinAt(drained, room, "p2"));
            }
            probe.close();
        }
        assertThat(rooms).as("rooms placed on the node to drain").hasSize(3);
        List<ClusterBench.Participant> onDrained = before.stream()
                .filter(p -> bench.nodeOf(p.room(), p.id()).orElseThrow() == drained).toList();
        assertThat(onDrained).as("participants on the drained node").isNotEmpty();

        long t0 = System.nanoTime();
        assertThat(ClusterModeBench.adminPost(bench, drained, "/admin/api/node/drain")).isEqualTo(200);
        Deadline.await(Duration.ofSeconds(5), "/readyz 503",
                () -> drained.get("/readyz", Duration.ofSeconds(2)).statusCode() == 503);
        PrismNode serving = bench.nodes().stream().filter(n -> n != drained).findFirst().orElseThrow();
        List<ClusterBench.Participant> after = new ArrayList<>();
        List<Double> backMillis = new ArrayList<>();
        try {
            for (ClusterBench.Participant p : onDrained) {
                JsonObject migrate = p.ws().next("migrate", 20);
                long told = System.nanoTime();
                assertThat(migrate.getString("type")).isEqualTo("migrate");
                assertThat(p.ws().awaitClose(5)).isEqualTo(4011);
                after.add(bench.joinAt(serving, p.room(), p.id()));
                backMillis.add((System.nanoTime() - told) / 1e6);
            }
            long done = System.nanoTime();
            for (String room : rooms) {
                Map<String, PrismNode> where = bench.locate(room);
                assertThat(where).as("room %s: everyone back", room).hasSize(2);
                assertThat(where.values()).as("room %s moved off the drained node", room).doesNotContain(drained);
                JsonObject record = ClusterModeBench.record(bench, room).orElseThrow();
                assertThat(ClusterModeBench.nodeOfId(bench, record.getString("node"))).isNotSameAs(drained);
            }
            JsonObject self = ClusterModeBench.clusterView(drained).getJsonArray("nodes").stream()
                    .map(JsonObject.class::cast).filter(n -> n.getBoolean("self")).findFirst().orElseThrow();
            assertThat(self.getString("state")).isEqualTo("DRAINING");
            assertThat(drained.nodeView().getInteger("rooms")).isZero();
            System.out.printf("[cluster] drain: %d participants in %d rooms moved in %.2f s; migrate -> welcome per "
                    + "participant (ms): %s%n", onDrained.size(), rooms.size(), (done - t0) / 1e9, backMillis);
        } finally {
            after.forEach(ClusterModeBench::leave);
        }
    }
}
