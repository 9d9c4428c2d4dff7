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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #12 item 6 with SIGTERM in cluster mode (a rolling upgrade's stop): the node that owns rooms turns
 * {@code /readyz} 503 at once, hands its rooms over one at a time (each participant told {@code migrate}, close 4011)
 * and exits as soon as it is empty, well before its {@code --shutdown-grace} (30 s here); its registry entry is gone
 * from the other nodes' view. Each participant joins again through round-robin nginx right after its {@code migrate}
 * (what the SDK does) and lands in its room on another node; one whose new socket happened to land on the stopping
 * node (proxied from there) is closed with 4013 when that node exits and resumes. Prints, per participant, the time
 * from {@code migrate} to the new welcome, and the node's time from SIGTERM to exit.
 */
class ClusterSigtermTest {
    private static final int GRACE_SECONDS = 30;

    @RegisterExtension
    static final ClusterBenchExtension BENCH = new ClusterBenchExtension(ClusterBench.builder().nodes(3)
            .nodeArgs(withGrace()));

    private static ClusterBench.NodeArgs withGrace() {
        String secret = "bench-cluster-" + ClusterModeBench.randomHex();
        return (n, redis) -> {
            List<String> args = new ArrayList<>(List.of("--redis", redis.url(), "--node-id", "node-" + n,
                    "--cluster-port", "0", "--cluster-secret", secret));
            args.addAll(List.of("--shutdown-grace", Integer.toString(GRACE_SECONDS))); // the last occurrence wins
            return args;
        };
    }

    /** Rejoins that nginx gave to the stopping node and that its exit cut (4013) before their welcome. */
    private static int cutBeforeWelcome;

    /**
     * A fresh join through nginx after {@code migrate}, as the SDK makes it. A socket nginx gives to the stopping node
     * is proxied from there; if the node exits before the welcome, the socket closes with 4013 and carries no resume
     * token: the SDK joins again, and so does this.
     */
    private static ClusterBench.Participant rejoin(ClusterBench bench, ClusterBench.Participant p) {
        for (int attempt = 1; ; attempt++) {
            WsTestClient ws = WsTestClient.connect(bench.nginx().port(), bench.token(p.room(), p.id()));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    JsonObject welcome = ws.next("welcome", 1);
                    return new ClusterBench.Participant(p.room(), p.id(), ws, welcome);
                } catch (AssertionError notYet) {
                    if (ws.ended()) {
                        break;
                    }
                }
            }
            assertThat(ws.closeCode()).as("a rejoin cut before its welcome").isEqualTo(4013);
            assertThat(attempt).as("rejoin attempts").isLessThan(3);
            cutBeforeWelcome++;
        }
    }

    @Test
    void sigtermHandsEveryRoomOverAndExitsOnceEmpty() throws Exception {
        ClusterBench bench = BENCH.bench();
        ClusterModeBench.awaitLiveNodes(bench, 3);
        PrismNode stopped = bench.node(1);
        String stoppedId = ClusterModeBench.registryId(stopped);
        List<ClusterBench.Participant> onStopped = new ArrayList<>();
        // Rooms are placed by load: open rooms at node-1 until it owns three (others are left at once).
        for (int i = 0; i < 30 && onStopped.size() < 6; i++) {
            String room = "term-" + i;
            ClusterBench.Participant first = bench.joinAt(stopped, room, "p1");
            if (ClusterModeBench.ownerOf(bench, room) != stopped) {
                ClusterModeBench.leave(first);
                continue;
            }
            onStopped.add(first);
            onStopped.add(bench.joinAt(stopped, room, "p2"));
        }
        assertThat(onStopped).as("node-1 owns three rooms").hasSize(6);

        long t0 = System.nanoTime();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> stopped.stop(Duration.ofSeconds(GRACE_SECONDS - 5)));
        Deadline.await(Duration.ofSeconds(5), "/readyz 503 after SIGTERM",
                () -> stopped.get("/readyz", Duration.ofSeconds(2)).statusCode() == 503);
        double notReady = (System.nanoTime() - t0) / 1e9;

        Map<String, Double> backMillis = new LinkedHashMap<>();
        List<ClusterBench.Participant> after = new ArrayList<>();
        try {
            for (ClusterBench.Participant p : onStopped) {
                JsonObject migrate = p.ws().next("migrate", 20);
                long told = System.nanoTime();
                assertThat(migrate.getString("reason")).isEqualTo("room_moving");
                assertThat(p.ws().awaitClose(5)).as(p.room() + "/" + p.id()).isEqualTo(4011);
                after.add(rejoin(bench, p));
                backMillis.put(p.room() + "/" + p.id(), (System.nanoTime() - told) / 1e6);
            }
            int exitCode = exit.get();
            double exited = (System.nanoTime() - t0) / 1e9;
            assertThat(exitCode).isZero();
            // Sockets that nginx gave to the stopping node were proxied from it: its exit closes them with 4013
            // (owner_lost) and the client resumes, as the SDK does.
            int resumedAfterExit = 0;
            for (int i = 0; i < after.size(); i++) {
                ClusterBench.Participant p = after.get(i);
                try {
                    ClusterModeBench.ping(p, 5);
                    continue; // its session's socket is not on the stopped node
                } catch (RuntimeException | AssertionError closed) {
                    Deadline.await(Duration.ofSeconds(5), "the socket ended", () -> p.ws().ended());
                }
                assertThat(p.ws().closeCode()).as("a socket proxied by the stopped node").isEqualTo(4013);
                WsTestClient again = WsTestClient.connectQuery(bench.nginx().port(),
                        "resume=" + p.welcome().getString("resumeToken"));
                JsonObject welcome = again.next("welcome", 10);
                assertThat(welcome.getBoolean("resumed")).isTrue();
                after.set(i, new ClusterBench.Participant(p.room(), p.id(), again, welcome));
                resumedAfterExit++;
            }
            Deadline.await(Duration.ofSeconds(5), "node-1's registry entry gone", () -> bench.liveNodes().stream()
                    .allMatch(n -> ClusterModeBench.clusterView(n).getJsonArray("nodes").stream()
                            .noneMatch(v -> ((JsonObject) v).getString("id").equals(stoppedId))));
            for (ClusterBench.Participant p : after) {
                Map<String, PrismNode> where = bench.locate(p.room());
                assertThat(where).as("room %s: both back", p.room()).hasSize(2);
                assertThat(where.values()).doesNotContain(stopped);
                ClusterModeBench.ping(p, 5);
            }
            System.out.printf("[cluster] SIGTERM of %s owning 3 rooms / 6 participants: /readyz 503 after %.2f s, "
                            + "exited (code 0) %.2f s after SIGTERM (grace %d s); migrate -> welcome per participant "
                            + "(ms): %s; %d proxied via the stopping node resumed after its exit; %d rejoins cut by "
                            + "its exit before their welcome, joined again%n", stopped.name(), notReady, exited,
                    GRACE_SECONDS, backMillis, resumedAfterExit, cutBeforeWelcome);
        } finally {
            after.forEach(ClusterModeBench::leave);
        }
    }
}
