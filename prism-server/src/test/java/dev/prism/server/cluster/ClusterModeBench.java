package dev.prism.server.cluster;

import dev.prism.cluster.testkit.Deadline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Cluster-mode helpers over {@link ClusterBench}: nodes started with {@code --redis}, the admin cluster view. */
final class ClusterModeBench {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ClusterModeBench() {
    }

    /** A bench of {@code nodes} nodes in cluster mode: shared Redis, a shared cluster secret, links on free ports. */
    static ClusterBench.Builder builder(int nodes) {
        String secret = "bench-cluster-" + randomHex();
        return ClusterBench.builder().nodes(nodes).nodeArgs((n, redis) -> List.of("--redis", redis.url(),
                "--node-id", "node-" + n, "--cluster-port", "0", "--cluster-secret", secret));
    }

    static String randomHex() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** {@code GET /admin/api/cluster} on {@code node}. */
    static JsonObject clusterView(PrismNode node) {
        HttpResponse<String> r = node.adminGet("/admin/api/cluster");
        if (r.statusCode() != 200) {
            throw new AssertionError(node + ": GET /admin/api/cluster answered " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body());
    }

    /** The room's record ({@code room, node, epoch, ownerAlive}) as the first live node reads it, if any. */
    static Optional<JsonObject> record(ClusterBench bench, String room) {
        JsonArray rooms = clusterView(bench.liveNodes().get(0)).getJsonArray("rooms");
        for (int i = 0; i < rooms.size(); i++) {
            if (rooms.getJsonObject(i).getString("room").equals(room)) {
                return Optional.of(rooms.getJsonObject(i));
            }
        }
        return Optional.empty();
    }

    /** The bench node a registry id ({@code node-2-1a2b3c4d}) belongs to. */
    static PrismNode nodeOfId(ClusterBench bench, String nodeId) {
        for (PrismNode n : bench.nodes()) {
            if (nodeId.startsWith(n.name() + "-")) {
                return n;
            }
        }
        throw new AssertionError("no bench node for id " + nodeId);
    }

    /** Waits until every live node sees {@code count} live nodes in the registry. */
    static void awaitLiveNodes(ClusterBench bench, int count) {
        Deadline.await(Duration.ofSeconds(15), count + " live nodes in every view", () -> bench.liveNodes().stream()
                .allMatch(n -> clusterView(n).getJsonArray("nodes").size() == count));
    }

    /** {@code POST <path>} with the admin secret; the status code. */
    static int adminPost(ClusterBench bench, PrismNode node, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
                .header("Authorization", "Bearer " + bench.adminSecret())
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** Leaves the room at once ({@code leave}, no resume window) and closes the socket. */
    static void leave(ClusterBench.Participant p) {
        if (!p.ws().ended()) {
            p.ws().send(new JsonObject().put("type", "leave"));
        }
        p.close();
    }

    /** Sends {@code ping} and waits for its {@code pong}. */
    static void ping(ClusterBench.Participant p, int seconds) {
        String id = "ping-" + System.nanoTime();
        p.ws().send(new JsonObject().put("type", "ping").put("requestId", id));
        JsonObject pong = p.ws().next("pong", seconds);
        if (!id.equals(pong.getString("requestId"))) {
            throw new AssertionError("pong for " + pong.getString("requestId") + ", expected " + id);
        }
    }
}
