package dev.prism.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.server.WsTestClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #12's "30 drop-and-resume cycles through round-robin all resume, no participant on two nodes": a participant
 * of a room with two others drops its socket without a close frame (the TCP connection aborted, as a network drop
 * looks to the SDK) and resumes at once with its resume token through round-robin nginx, landing on whichever node
 * nginx picks (the owner, or an edge that proxies the resume by the token's room). Every cycle resumes the same
 * participant; the others see no leave and no join; afterwards every node's admin view agrees on one room on one node.
 * Prints the resume time (new socket to {@code welcome}) p50/p95 and where the resumes landed.
 */
class ClusterResumeTest {
    private static final int CYCLES = 30;

    @RegisterExtension
    static final ClusterBenchExtension BENCH = new ClusterBenchExtension(ClusterModeBench.builder(3));

    @Test
    void thirtyAbruptDropsThroughRoundRobinAllResumeAndNobodyIsOnTwoNodes() {
        ClusterBench bench = BENCH.bench();
        ClusterModeBench.awaitLiveNodes(bench, 3);
        String room = "resume-room";
        ClusterBench.Participant o1 = bench.joinThroughNginx(room, "o1");
        ClusterBench.Participant o2 = bench.joinThroughNginx(room, "o2");
        ClusterBench.Participant dropper = bench.joinThroughNginx(room, "r");
        o1.ws().next("participantJoined", 5);
        o1.ws().next("participantJoined", 5);
        o2.ws().next("participantJoined", 5);
        PrismNode owner = ClusterModeBench.ownerOf(bench, room);
        Map<String, Double> acceptedBefore = accepted(bench);
        o1.ws().quietFor(200);
        o2.ws().quietFor(200);
        int seenBefore1 = o1.ws().seen().size();
        int seenBefore2 = o2.ws().seen().size();

        WsTestClient ws = dropper.ws();
        String resumeToken = dropper.welcome().getString("resumeToken");
        List<Double> millis = new ArrayList<>();
        try {
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                ws.abort(); // no close frame: the owner detaches the session and keeps it for the resume window
                long t0 = System.nanoTime();
                WsTestClient again = WsTestClient.connectQuery(bench.nginx().port(), "resume=" + resumeToken);
                JsonObject welcome = again.next("welcome", 10);
                millis.add((System.nanoTime() - t0) / 1e6);
                assertThat(welcome.getBoolean("resumed")).as("cycle %d resumed", cycle).isTrue();
                assertThat(welcome.getJsonObject("participant").getString("id")).as("cycle %d", cycle)
                        .isEqualTo("r");
                assertThat(welcome.getJsonObject("room").getJsonArray("participants")).as("cycle %d", cycle)
                        .hasSize(3);
                resumeToken = welcome.getString("resumeToken");
                ws = again;
            }
            ClusterModeBench.ping(new ClusterBench.Participant(room, "r", ws, null), 5);
            ClusterModeBench.ping(o1, 5);
            ClusterModeBench.ping(o2, 5);

            for (ClusterBench.Participant other : List.of(o1, o2)) {
                other.ws().quietFor(500);
                List<JsonObject> seen = other.ws().seen();
                assertThat(seen.subList(other == o1 ? seenBefore1 : seenBefore2, seen.size()))
                        .as("%s saw no leave and no join during the cycles", other.id())
                        .noneMatch(m -> List.of("participantLeft", "participantJoined").contains(m.getString("type")));
            }
            assertThat(bench.distribution(room)).as("one room on one node").containsExactly(Map.entry(owner.name(), 3));
            for (PrismNode node : bench.nodes()) {
                JsonObject view = node.roomView(room);
                if (node == owner) {
                    assertThat(view.getJsonArray("participants")).as(node.name()).hasSize(3);
                } else {
                    assertThat(view).as("%s has no copy of the room", node.name()).isNull();
                }
                assertThat(ClusterModeBench.nodeOfId(bench, ClusterModeBench.clusterView(node).getJsonArray("rooms")
                        .stream().map(JsonObject.class::cast).filter(r -> r.getString("room").equals(room))
                        .findFirst().orElseThrow().getString("node"))).as("%s names the owner", node.name())
                        .isSameAs(owner);
            }
            assertThat(ClusterModeBench.metric(owner, "prism_signaling_sessions_detached")).isZero();
            Map<String, Double> acceptedAfter = accepted(bench);
            double proxied = acceptedAfter.get(owner.name()) - acceptedBefore.get(owner.name());
            System.out.printf("[cluster] %d drop-and-resume cycles through round-robin nginx (owner %s): all resumed; "
                            + "%.0f through another node (proxied), %.0f straight to the owner; resume time p50 %.1f ms, "
                            + "p95 %.1f ms, max %.1f ms%n", CYCLES, owner.name(), proxied, CYCLES - proxied,
                    ClusterModeBench.percentile(millis, 50), ClusterModeBench.percentile(millis, 95),
                    ClusterModeBench.percentile(millis, 100));
        } finally {
            ClusterModeBench.leave(new ClusterBench.Participant(room, "r", ws, null));
            ClusterModeBench.leave(o1);
            ClusterModeBench.leave(o2);
        }
    }

    /** Proxied sessions each node accepted as the owner. */
    private static Map<String, Double> accepted(ClusterBench bench) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (PrismNode n : bench.nodes()) {
            m.put(n.name(), ClusterModeBench.metric(n, "prism_proxy_sessions_accepted_total"));
        }
        return m;
    }
}
