package dev.prism.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.cluster.testkit.Deadline;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #12's placement race on the real bench: 20 rounds of 30 concurrent first joins of a fresh room, through
 * round-robin nginx over three nodes in cluster mode. Each round ends with exactly one owner (one record, at epoch 1:
 * one claim won, the others lost and routed to the winner) and all 30 participants in one room on that node. The
 * placement's own compare-and-set is tested against Redis alone in sfu-cluster's {@code RoomPlacementTest}; this is
 * the same race through sockets, the proxy and three processes.
 */
class ClusterConcurrentJoinTest {
    @RegisterExtension
    static final ClusterBenchExtension BENCH = new ClusterBenchExtension(ClusterModeBench.builder(3));
    private static final int ROUNDS = 20;
    private static final int JOINS = 30;

    @Test
    void thirtyConcurrentFirstJoinsOfAFreshRoomEndWithOneOwnerEveryRound() throws Exception {
        ClusterBench bench = BENCH.bench();
        ClusterModeBench.awaitLiveNodes(bench, 3);
        ExecutorService pool = Executors.newFixedThreadPool(JOINS);
        List<Double> roundMillis = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String room = "race-" + round;
                long t0 = System.nanoTime();
                List<Future<ClusterBench.Participant>> joins = new ArrayList<>();
                for (int i = 0; i < JOINS; i++) {
                    String identity = "p" + i;
                    joins.add(pool.submit(() -> bench.joinThroughNginx(room, identity)));
                }
                List<ClusterBench.Participant> joined = new ArrayList<>();
                try {
                    for (Future<ClusterBench.Participant> f : joins) {
                        joined.add(f.get(30, TimeUnit.SECONDS));
                    }
                    roundMillis.add((System.nanoTime() - t0) / 1e6);
                    Map<String, Integer> where = bench.distribution(room);
                    assertThat(where).as("round %d: every participant in one room on one node", round).hasSize(1);
                    assertThat(where.values()).containsExactly(JOINS);
                    Deadline.await(Duration.ofSeconds(5), "a record for " + room,
                            () -> ClusterModeBench.record(bench, room).isPresent());
                    JsonObject record = ClusterModeBench.record(bench, room).orElseThrow();
                    assertThat(record.getLong("epoch")).as("round %d: one claim won", round).isEqualTo(1L);
                    String owner = ClusterModeBench.nodeOfId(bench, record.getString("node")).name();
                    assertThat(where).containsOnlyKeys(owner);
                    owners.add(owner);
                } finally {
                    joined.forEach(ClusterModeBench::leave);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("[cluster] %d rounds of %d concurrent first joins through nginx: one owner each (%s); "
                + "round p50 %.0f ms, max %.0f ms%n", ROUNDS, JOINS, owners,
                ClusterModeBench.percentile(roundMillis, 50), roundMillis.stream().mapToDouble(d -> d).max().orElse(0));
    }
}
