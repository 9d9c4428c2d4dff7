package dev.prism.server.cluster;

import dev.prism.cluster.NodeView;
import dev.prism.core.inspect.ClusterSnapshot;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the cluster for the admin API: the registry's live nodes (refreshed) and the room records ({@code SCAN} over
 * {@code prism:room:*}, at most {@link ClusterSnapshot#MAX_ROOMS}). Only when an operator asks; asynchronous.
 */
public final class ClusterView {
    private static final String ROOM_PATTERN = "prism:room:{room:*}";
    private static final String ROOM_PREFIX = "prism:room:{room:";

    private final ClusterMode mode;

    ClusterView(ClusterMode mode) {
        this.mode = mode;
    }

    /** Completes on an event loop; fails when Redis does not answer. */
    public CompletableFuture<ClusterSnapshot> read() {
        long now = System.currentTimeMillis();
        return mode.registry().refresh().compose(live -> {
            List<ClusterSnapshot.Node> nodes = new ArrayList<>();
            Set<String> alive = new HashSet<>();
            for (NodeView n : live) {
                alive.add(n.id());
                nodes.add(new ClusterSnapshot.Node(n.id(), n.state().name(), n.score(),
                        Math.max(0, now - n.reportedAtMillis()), n.descriptor().linkUrl(), n.load().participants(),
                        n.load().rooms(), n.descriptor().version()));
            }
            nodes.sort(Comparator.comparing(ClusterSnapshot.Node::id));
            List<String> keys = new ArrayList<>();
            return scan("0", keys).compose(truncated -> readRooms(keys, alive)
                    .map(rooms -> new ClusterSnapshot(mode.nodeId(), nodes, rooms, truncated)));
        }).toCompletionStage().toCompletableFuture();
    }

    private Future<Boolean> scan(String cursor, List<String> keys) {
        return mode.redis().send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(ROOM_PATTERN)
                .arg("COUNT").arg(200)).compose(answer -> {
                    String next = answer.get(0).toString();
                    for (Response key : answer.get(1)) {
                        keys.add(key.toString());
                        if (keys.size() >= ClusterSnapshot.MAX_ROOMS) {
                            return Future.succeededFuture(true);
                        }
                    }
                    return "0".equals(next) ? Future.succeededFuture(false) : scan(next, keys);
                });
    }

    private Future<List<ClusterSnapshot.RoomOwnership>> readRooms(List<String> keys, Set<String> alive) {
        if (keys.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        List<Request> reads = new ArrayList<>(keys.size());
        for (String key : keys) {
            reads.add(Request.cmd(Command.HMGET).arg(key).arg("node").arg("epoch"));
        }
        return mode.redis().batch(reads).map(answers -> {
            List<ClusterSnapshot.RoomOwnership> rooms = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                Response a = answers.get(i);
                if (a == null || a.get(0) == null) {
                    continue; // released between the scan and the read
                }
                String key = keys.get(i);
                String room = key.substring(ROOM_PREFIX.length(), key.length() - 1);
                String node = a.get(0).toString();
                long epoch = a.get(1) == null ? 0 : a.get(1).toLong();
                rooms.add(new ClusterSnapshot.RoomOwnership(room, node, epoch, alive.contains(node)));
            }
            rooms.sort(Comparator.comparing(ClusterSnapshot.RoomOwnership::room));
            return rooms;
        });
    }
}
