package dev.prism.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.cluster.testkit.Deadline;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #12 item 3 on three real nodes in cluster mode: fresh rooms joined directly at each node are spread over the
 * nodes, each room has exactly one owner in Redis (read through any node's {@code GET /admin/api/cluster}) and its
 * participants are all on that owner; a room that ends has its record released. Prints each node's Redis commands per
 * second.
 */
class ClusterPlacementTest {
    @RegisterExtension
    static final ClusterBenchExtension BENCH = new ClusterBenchExtension(ClusterModeBench.builder(3));
    private static final Pattern COMMANDS = Pattern.compile("(?m)^prism_cluster_registry_commands_total (\\S+)$");

    @Test
    void freshRoomsSpreadOverTheNodesWithOneOwnerEachAndAreReleasedWhenTheyEnd() {
        ClusterBench bench = BENCH.bench();
        ClusterModeBench.awaitLiveNodes(bench, 3);
        long t0 = System.nanoTime();
        Map<String, Double> commandsBefore = commands(bench);
        List<ClusterBench.Participant> joined = new ArrayList<>();
        Map<String, String> ownerOf = new LinkedHashMap<>();
        try {
            for (PrismNode node : bench.nodes()) {
                for (String suffix : List.of("a", "b")) {
                    String room = "placed-" + node.name() + "-" + suffix;
                    joined.add(bench.joinAt(node, room, "p1"));
                    joined.add(bench.joinAt(node, room, "p2"));
                }
            }
            for (ClusterBench.Participant p : joined) {
                String room = p.room();
                Deadline.await(Duration.ofSeconds(5), "a record for " + room,
                        () -> ClusterModeBench.record(bench, room).isPresent());
                JsonObject record = ClusterModeBench.record(bench, room).orElseThrow();
                assertThat(record.getBoolean("ownerAlive")).as(room).isTrue();
                PrismNode owner = ClusterModeBench.nodeOfId(bench, record.getString("node"));
                assertThat(bench.distribution(room)).as("room %s: every participant on its owner", room)
                        .containsExactly(Map.entry(owner.name(), 2));
                ownerOf.put(room, owner.name());
            }
            System.out.println("[cluster] room -> owner: " + ownerOf);
            assertThat(new HashSet<>(ownerOf.values())).as("rooms spread over the nodes").hasSizeGreaterThan(1);
            for (PrismNode node : bench.nodes()) {
                JsonObject view = ClusterModeBench.clusterView(node);
                Set<String> rooms = new HashSet<>();
                for (int i = 0; i < view.getJsonArray("rooms").size(); i++) {
                    rooms.add(view.getJsonArray("rooms").getJsonObject(i).getString("room"));
                }
                assertThat(rooms).as(node + " sees every room's owner").containsAll(ownerOf.keySet());
                assertThat(view.getJsonArray("nodes")).hasSize(3);
            }
        } finally {
            joined.forEach(ClusterModeBench::leave);
        }
        for (String room : ownerOf.keySet()) {
            Deadline.await(Duration.ofSeconds(10), "the record of " + room + " released",
                    () -> ClusterModeBench.record(bench, room).isEmpty());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> after = commands(bench);
        StringBuilder rates = new StringBuilder();
        after.forEach((node, n) -> rates.append(String.format(" %s %.1f/s", node,
                (n - commandsBefore.get(node)) / seconds)));
        System.out.printf("[cluster] Redis commands per node over %.1f s (registry, placement, fencing):%s%n",
                seconds, rates);
    }

    private static Map<String, Double> commands(ClusterBench bench) {
        Map<String, Double> counts = new LinkedHashMap<>();
        for (PrismNode node : bench.liveNodes()) {
            Matcher m = COMMANDS.matcher(node.get("/metrics", Duration.ofSeconds(5)).body());
            assertThat(m.find()).as(node + " exposes prism_cluster_registry_commands_total").isTrue();
            counts.put(node.name(), Double.parseDouble(m.group(1)));
        }
        return counts;
    }
}
