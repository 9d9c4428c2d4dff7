package dev.prism.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.cluster.testkit.Deadline;
import dev.prism.server.WsTestClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #12's "a wrong cluster secret is refused", on three real nodes: node-3 runs with another
 * {@code --cluster-secret}. It still registers in Redis (Redis has its own credentials), but it cannot take part:
 * <ul>
 *   <li>its links to the others are refused (their {@code prism_cluster_link_auth_refused_total} rises), and theirs to
 *       it;</li>
 *   <li>the good nodes place no room on it (a placer does not choose a node whose link refuses it), and node-3, refused
 *       by most live nodes, is isolated: it places no room on itself either (a fresh room there gets
 *       {@code cluster_unavailable}, 4014);</li>
 *   <li>a join through node-3 to a room a good node owns fails cleanly with {@code cluster_unavailable}, 4014.</li>
 * </ul>
 */
class ClusterSecretTest {
    private static final String SECRET = "bench-cluster-" + ClusterModeBench.randomHex();
    private static final String WRONG = "bench-wrong-" + ClusterModeBench.randomHex();

    @RegisterExtension
    static final ClusterBenchExtension BENCH = new ClusterBenchExtension(ClusterBench.builder().nodes(3)
            .nodeArgs((n, redis) -> List.of("--redis", redis.url(), "--node-id", "node-" + n, "--cluster-port", "0",
                    "--cluster-secret", n == 3 ? WRONG : SECRET)));

    @Test
    void aNodeWithAWrongClusterSecretIsRefusedAndOwnsNoRoom() {
        ClusterBench bench = BENCH.bench();
        ClusterModeBench.awaitLiveNodes(bench, 3);
        PrismNode bad = bench.node(3);
        String badId = ClusterModeBench.registryId(bad);
        Deadline.await(Duration.ofSeconds(10), "node-3 isolated (its log says it cannot take part)",
                () -> bad.logText().contains("it cannot take part"));
        for (PrismNode good : List.of(bench.node(1), bench.node(2))) {
            Deadline.await(Duration.ofSeconds(10), good.name() + " refused node-3's link",
                    () -> ClusterModeBench.metric(good, "prism_cluster_link_auth_refused_total") > 0);
            Deadline.await(Duration.ofSeconds(10), good.name() + " places nothing on node-3",
                    () -> good.logText().contains("node " + badId + " refuses this node's link handshake"));
        }

        List<ClusterBench.Participant> joined = new ArrayList<>();
        Map<String, String> ownerOf = new LinkedHashMap<>();
        try {
            for (int i = 0; i < 12; i++) {
                PrismNode at = bench.node(1 + i % 2);
                String room = "secret-" + i;
                joined.add(bench.joinAt(at, room, "p"));
                ownerOf.put(room, ClusterModeBench.ownerOf(bench, room).name());
            }
            assertThat(ownerOf.values()).as("no room placed on node-3").doesNotContain("node-3");

            long failedBefore = (long) ClusterModeBench.metric(bad,
                    "prism_proxy_sessions_failed_total{reason=\"owner_unreachable\"}");
            try (WsTestClient viaBad = WsTestClient.connect(bad.httpPort(), bench.token("secret-0", "intruder"))) {
                JsonObject error = viaBad.next("error", 10);
                assertThat(error.getString("code")).isEqualTo("cluster_unavailable");
                assertThat(viaBad.awaitClose(5)).isEqualTo(4014);
            }
            assertThat((long) ClusterModeBench.metric(bad,
                    "prism_proxy_sessions_failed_total{reason=\"owner_unreachable\"}")).isEqualTo(failedBefore + 1);
            try (WsTestClient fresh = WsTestClient.connect(bad.httpPort(), bench.token("secret-fresh", "x"))) {
                assertThat(fresh.next("error", 10).getString("code")).isEqualTo("cluster_unavailable");
                assertThat(fresh.awaitClose(5)).isEqualTo(4014);
            }
            assertThat(bad.nodeView().getInteger("rooms")).as("node-3 runs no room").isZero();
            assertThat(ClusterModeBench.record(bench, "secret-fresh")).as("no record for the refused room").isEmpty();
            assertThat(bench.distribution("secret-0")).doesNotContainKey("node-3").hasSize(1);
            System.out.printf("[cluster] wrong cluster secret on node-3: refused by node-1 (%.0f link handshakes) and "
                            + "node-2 (%.0f); 12 rooms placed on %s; a join through node-3 to a good node's room and "
                            + "a fresh room at node-3: cluster_unavailable / 4014%n",
                    ClusterModeBench.metric(bench.node(1), "prism_cluster_link_auth_refused_total"),
                    ClusterModeBench.metric(bench.node(2), "prism_cluster_link_auth_refused_total"),
                    new java.util.TreeSet<>(ownerOf.values()));
        } finally {
            joined.forEach(ClusterModeBench::leave);
        }
    }
}
