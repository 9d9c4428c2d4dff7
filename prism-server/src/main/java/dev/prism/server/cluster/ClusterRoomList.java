package dev.prism.server.cluster;

import dev.prism.cluster.NodeView;
import dev.prism.signaling.api.ApiReplies;
import dev.prism.signaling.api.ServerApiRoutes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/rooms} in a cluster: asks every live node (this one included, the same way) for its own rooms
 * ({@code GET /api/v1/rooms} with {@link OwnerClient#HOP_HEADER}, which each node answers from its own rooms) with
 * the caller's token, waits at most {@link #NODE_TIMEOUT_MILLIS} per node, and merges the answers by room name, each
 * room with the {@code node} that reported it. {@code partial: true} and {@code unanswered} (node ids) when a node did
 * not answer 200 in time: the list may then miss rooms.
 *
 * <p>Threading: the request's event loop; nothing blocks.
 */
final class ClusterRoomList {
    static final long NODE_TIMEOUT_MILLIS = 3_000;

    private final OwnerClient client;
    private final Supplier<List<NodeView>> liveNodes;
    private final ApiForwardCounters counters;

    ClusterRoomList(OwnerClient client, Supplier<List<NodeView>> liveNodes, ApiForwardCounters counters) {
        this.client = client;
        this.liveNodes = liveNodes;
        this.counters = counters;
    }

    /** Answers the request with the merged list. */
    void handle(RoutingContext ctx) {
        List<NodeView> nodes = liveNodes.get();
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        List<Future<JsonArray>> asked = new ArrayList<>();
        for (NodeView node : nodes) {
            asked.add(ask(node, authorization));
        }
        Future.join(asked).onComplete(done -> {
            Map<String, JsonObject> rooms = new TreeMap<>();
            JsonArray unanswered = new JsonArray();
            for (int i = 0; i < nodes.size(); i++) {
                Future<JsonArray> f = asked.get(i);
                if (f.failed()) {
                    unanswered.add(nodes.get(i).id());
                    continue;
                }
                for (Object o : f.result()) {
                    if (o instanceof JsonObject room && room.getValue("name") instanceof String name) {
                        room.put("node", nodes.get(i).id());
                        rooms.merge(name, room, ClusterRoomList::preferLive);
                    }
                }
            }
            boolean partial = !unanswered.isEmpty();
            counters.listed(partial);
            JsonObject body = new JsonObject().put("rooms", new JsonArray(new ArrayList<>(rooms.values())))
                    .put("partial", partial);
            if (partial) {
                body.put("unanswered", unanswered);
            }
            ApiReplies.json(ctx, 200, body);
        });
    }

    /** One node's own rooms; fails when it does not answer 200 with a room list in time. */
    private Future<JsonArray> ask(NodeView node, String authorization) {
        if (node.descriptor().apiUrl().isEmpty()) {
            return Future.failedFuture("node " + node.id() + " publishes no server API address");
        }
        return client.send(HttpMethod.GET, node.descriptor().apiUrl(), ServerApiRoutes.PREFIX + "/rooms",
                authorization, null, null, NODE_TIMEOUT_MILLIS).transform(ar -> {
                    if (ar.failed()) {
                        OwnerClient.NoAnswer no = ar.cause() instanceof OwnerClient.NoAnswer n ? n : null;
                        counters.count(no == null ? ApiForwardCounters.Outcome.UNREACHABLE : no.outcome);
                        return Future.failedFuture(ar.cause());
                    }
                    counters.count(ApiForwardCounters.Outcome.ANSWERED);
                    OwnerClient.Answer a = ar.result();
                    if (a.status() != 200) {
                        return Future.failedFuture("node " + node.id() + " answered " + a.status());
                    }
                    try {
                        JsonArray rooms = new JsonObject(a.body()).getJsonArray("rooms");
                        return rooms == null ? Future.failedFuture("no rooms in the answer") : Future.succeededFuture(rooms);
                    } catch (RuntimeException notJson) {
                        return Future.failedFuture(notJson);
                    }
                });
    }

    /** A room two nodes report (a move under way): the one where it is live. */
    private static JsonObject preferLive(JsonObject first, JsonObject second) {
        return !first.getBoolean("live", false) && second.getBoolean("live", false) ? second : first;
    }
}
