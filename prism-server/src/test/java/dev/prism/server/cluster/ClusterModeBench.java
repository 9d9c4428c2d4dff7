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

    /**
     * The value of a metric on {@code node}'s {@code /metrics} (the first series of that name, labels as given, e.g.
     * {@code prism_proxy_sessions_closed_total{reason="owner_lost"}}); 0 when absent.
     */
    static double metric(PrismNode node, String series) {
        String body = node.get("/metrics", Duration.ofSeconds(5)).body();
        int brace = series.indexOf('{');
        String name = brace < 0 ? series : series.substring(0, brace);
        String label = brace < 0 ? "" : series.substring(brace + 1, series.length() - 1);
        for (String line : body.split("\n")) {
            boolean match = line.startsWith(name + " ") || (line.startsWith(name + "{")
                    && line.substring(name.length(), line.lastIndexOf('}') + 1).contains(label));
            if (match) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    /** The node's registry id ({@code node-2-1a2b3c4d}), from its own cluster view. */
    static String registryId(PrismNode node) {
        return clusterView(node).getJsonArray("nodes").stream().map(JsonObject.class::cast)
                .filter(n -> n.getBoolean("self", false)).findFirst().orElseThrow().getString("id");
    }

    /** The room's owner as the first live node reads its record (waits up to 5 s for a record). */
    static PrismNode ownerOf(ClusterBench bench, String room) {
        Deadline.await(Duration.ofSeconds(5), "a record for " + room, () -> record(bench, room).isPresent());
        return nodeOfId(bench, record(bench, room).orElseThrow().getString("node"));
    }

    /** p-th percentile (nearest rank) of {@code values}, which it sorts. */
    static double percentile(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
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
