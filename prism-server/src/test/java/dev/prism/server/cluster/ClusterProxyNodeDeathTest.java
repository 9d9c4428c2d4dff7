package dev.prism.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.cluster.testkit.Deadline;
import dev.prism.server.WsTestClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #12 item 5, second half: "a node that was only proxying dies: its clients resume at the owner and nobody else
 * notices". Three participants of a room reach its owner through another node (the edge, which owns nothing of the
 * room); a fourth is connected to the owner directly. The edge is killed with SIGKILL: the owner's link to it breaks,
 * so the three sessions detach there (kept for the resume window); the three clients resume through round-robin nginx
 * (which skips the dead node) and are welcomed back as the same participants. The direct participant sees no leave and
 * no join. Prints kill to detached and each client's resume time.
 */
class ClusterProxyNodeDeathTest {
    @RegisterExtension
    static final ClusterBenchExtension BENCH = new ClusterBenchExtension(ClusterModeBench.builder(3));

    @Test
    void theClientsOfADeadProxyingNodeResumeAtTheOwnerAndNobodyElseNotices() {
        ClusterBench bench = BENCH.bench();
        ClusterModeBench.awaitLiveNodes(bench, 3);
        String room = "edge-death";
        ClusterBench.Participant seed = bench.joinAt(bench.node(1), room, "seed");
        PrismNode owner = ClusterModeBench.ownerOf(bench, room);
        ClusterBench.Participant direct = bench.joinAt(owner, room, "direct");
        ClusterModeBench.leave(seed);
        PrismNode edge = bench.nodes().stream().filter(n -> n != owner).findFirst().orElseThrow();
        List<ClusterBench.Participant> proxied = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            proxied.add(bench.joinAt(edge, room, "v" + i));
            direct.ws().next("participantJoined", 5);
        }
        assertThat(edge.roomView(room)).as("the edge holds no copy of the room").isNull();
        assertThat(bench.distribution(room)).containsExactly(Map.entry(owner.name(), 4));
        double acceptedBefore = ClusterModeBench.metric(owner, "prism_proxy_sessions_accepted_total");
        direct.ws().quietFor(200);
        int seenBefore = direct.ws().seen().size();

        long killed = System.nanoTime();
        edge.kill9();
        Deadline.await(Duration.ofSeconds(10), "the three sessions detached at the owner",
                () -> ClusterModeBench.metric(owner, "prism_signaling_sessions_detached") == 3);
        double detachedAfter = (System.nanoTime() - killed) / 1e9;
        Deadline.await(Duration.ofSeconds(5), "the clients' sockets ended",
                () -> proxied.stream().allMatch(p -> p.ws().ended()));

        List<WsTestClient> resumed = new ArrayList<>();
        List<Double> millis = new ArrayList<>();
        try {
            for (ClusterBench.Participant p : proxied) {
                long t0 = System.nanoTime();
                WsTestClient again = WsTestClient.connectQuery(bench.nginx().port(),
                        "resume=" + p.welcome().getString("resumeToken"));
                resumed.add(again);
                JsonObject welcome = again.next("welcome", 10);
                millis.add((System.nanoTime() - t0) / 1e6);
                assertThat(welcome.getBoolean("resumed")).as(p.id()).isTrue();
                assertThat(welcome.getJsonObject("participant").getString("id")).isEqualTo(p.id());
                ClusterModeBench.ping(new ClusterBench.Participant(room, p.id(), again, welcome), 5);
            }
            double allBack = (System.nanoTime() - killed) / 1e9;
            assertThat(ClusterModeBench.metric(owner, "prism_signaling_sessions_detached")).isZero();
            assertThat(ClusterModeBench.metric(owner, "prism_proxy_sessions_accepted_total") - acceptedBefore)
                    .as("resumes proxied by the surviving edge, if nginx sent them there").isLessThanOrEqualTo(3);
            assertThat(bench.distribution(room)).containsExactly(Map.entry(owner.name(), 4));
            direct.ws().quietFor(500);
            List<JsonObject> noticed = direct.ws().seen().subList(seenBefore, direct.ws().seen().size()).stream()
                    .filter(m -> List.of("participantLeft", "participantJoined").contains(m.getString("type")))
                    .toList();
            assertThat(noticed).as("the direct participant noticed nothing").isEmpty();
            ClusterModeBench.ping(direct, 5);
            System.out.printf("[cluster] kill -9 of proxying node %s (owner %s): 3 sessions detached at the owner "
                    + "%.2f s after the kill; resumes through nginx (ms): %s; all back %.2f s after the kill; the "
                    + "direct participant saw nothing%n", edge.name(), owner.name(), detachedAfter, millis, allBack);
        } finally {
            resumed.forEach(w -> ClusterModeBench.leave(new ClusterBench.Participant(room, "-", w, null)));
            ClusterModeBench.leave(direct);
        }
    }
}
