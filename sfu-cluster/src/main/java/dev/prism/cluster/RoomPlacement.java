package dev.prism.cluster;

import dev.prism.core.clock.MonoClock;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;

/**
 * Which node owns a room: atomic placement, lookup, fencing and release on the room's record
 * ({@code prism:room:{room:<id>}}: {@code node}, {@code epoch}, {@code since}).
 *
 * <p>Placement reads the record; a live owner is the answer. Otherwise a node is chosen among the live, SERVING nodes
 * under the maximum load ({@link NodeChooser}, power of two choices on the corrected load) and claimed for the room by
 * one compare-and-set script ({@code claim.lua}: "if the record still names what I read, name the chosen node and bump
 * the epoch"). Of any number of concurrent placements exactly one claim succeeds; the others read the winner from the
 * script's answer and return it. Every room script touches only the room's key (one hash slot).
 *
 * <p>Fencing: the node running a room calls {@link #verifyOwnership} every few seconds and right after a Redis outage
 * or a lapse of its lease; a room whose record names another node or another epoch is closed locally. Only the owner
 * at its epoch deletes the record ({@link #release}).
 *
 * <p>Every call fails with {@link ClusterUnavailable} when Redis does not answer within the command timeout. Thread-safe;
 * no call blocks; futures complete on a Vert.x event loop.
 */
public final class RoomPlacement {
    /** Claims lost in a row before a placement gives up with CONTENDED (each loss means another placer won). */
    static final int MAX_CLAIM_ATTEMPTS = 4;

    private static final LuaScript CLAIM = LuaScript.load("claim");
    private static final LuaScript VERIFY = LuaScript.load("verify");
    private static final LuaScript RELEASE = LuaScript.load("release");

    private final ClusterRedis redis;
    private final NodeRegistry registry;
    private final NodeChooser chooser;
    private final MonoClock clock;
    private final LongAdder claimsWon = new LongAdder();
    private final LongAdder claimsLost = new LongAdder();
    private final LongAdder recordsRestored = new LongAdder();

    public RoomPlacement(ClusterRedis redis, NodeRegistry registry, NodeChooser chooser, MonoClock clock) {
        this.redis = redis;
        this.registry = registry;
        this.chooser = chooser;
        this.clock = clock;
    }

    /**
     * The room's live owner, placing the room first when it has no record or its owner's lease expired (a takeover
     * bumps the epoch). The answer may name another node: the caller routes the participant there.
     *
     * @throws IllegalArgumentException (synchronously) for an empty or oversized room id
     */
    public Future<RoomOwner> place(String roomId) {
        String key = ClusterKeys.room(roomId);
        return readRecord(roomId, key).compose(record -> attempt(roomId, key, record, 1, false));
    }

    /**
     * Claims the room for this node unless a live node already owns it: for a room that came to exist here without a
     * placement (the launcher's safety net). Answers the owner: this node at the new (or its current) epoch, or the
     * live other owner, whose copy wins (the caller closes its own). Does not look at this node's state or load.
     */
    public Future<RoomOwner> claimHere(String roomId) {
        String key = ClusterKeys.room(roomId);
        return readRecord(roomId, key).compose(record -> attempt(roomId, key, record, 1, true));
    }

    /** The room's record as it is (its owner may be dead: see {@link RoomOwner#ownerAlive()}), or empty. */
    public Future<Optional<RoomOwner>> owner(String roomId) {
        String key = ClusterKeys.room(roomId);
        return readRecord(roomId, key).compose(record -> {
            if (record == null) {
                return Future.succeededFuture(Optional.empty());
            }
            return withLiveness(record).map(Optional::of);
        });
    }

    /**
     * Fencing check of the rooms this node runs, each with the epoch it holds it at. Answers the rooms to close here:
     * their record names another node or another epoch. A room without a record (Redis lost its data) gets its record
     * back, naming this node at its epoch, and is kept.
     */
    public Future<Set<String>> verifyOwnership(Map<String, Long> heldEpochs) {
        List<String> rooms = new ArrayList<>(heldEpochs.keySet());
        List<Future<Response>> checks = new ArrayList<>(rooms.size());
        String now = Long.toString(clock.wallMillis());
        for (String room : rooms) {
            checks.add(redis.eval(VERIFY, List.of(ClusterKeys.room(room)),
                    List.of(registry.nodeId(), Long.toString(heldEpochs.get(room)), now)));
        }
        return Future.all(checks).map(all -> {
            Set<String> fenced = new TreeSet<>();
            for (int i = 0; i < rooms.size(); i++) {
                long answer = checks.get(i).result().toLong();
                if (answer == 0) {
                    fenced.add(rooms.get(i));
                } else if (answer == 2) {
                    recordsRestored.increment();
                }
            }
            return fenced;
        }).recover(failure -> Future.failedFuture(firstUnavailable(checks, failure)));
    }

    /** Deletes the room's record if it still names this node at {@code epoch}; answers whether it did. */
    public Future<Boolean> release(String roomId, long epoch) {
        return redis.eval(RELEASE, List.of(ClusterKeys.room(roomId)),
                List.of(registry.nodeId(), Long.toString(epoch))).map(r -> r.toLong() == 1);
    }

    /** This node's id (the one claims and releases name). */
    public String nodeId() {
        return registry.nodeId();
    }

    /** Claims this placer won (rooms placed or taken over). */
    public long claimsWon() {
        return claimsWon.sum();
    }

    /** Claims this placer lost to a concurrent placer (it then answered the winner). */
    public long claimsLost() {
        return claimsLost.sum();
    }

    /** Room records written back by {@link #verifyOwnership} after Redis lost them. */
    public long recordsRestored() {
        return recordsRestored.sum();
    }

    private Future<RoomOwner> attempt(String roomId, String key, RoomOwner record, int attempt, boolean here) {
        Future<RoomOwner> current = record == null ? Future.succeededFuture(null) : withLiveness(record);
        return current.compose(read -> {
            if (read != null && (read.ownerAlive() || (here && read.nodeId().equals(registry.nodeId())))) {
                return Future.succeededFuture(read);
            }
            NodeView target = here ? self() : chooser.reserve(registry.liveNodes());
            if (target == null) {
                return Future.failedFuture(new ClusterUnavailable(ClusterUnavailable.Reason.NO_ELIGIBLE_NODE,
                        "no live, serving node under the maximum load"));
            }
            long now = clock.wallMillis();
            List<String> args = List.of(read == null ? "" : read.nodeId(), Long.toString(read == null ? 0 : read.epoch()),
                    target.id(), Long.toString(now));
            return redis.eval(CLAIM, List.of(key), args)
                    .andThen(ar -> {
                        if (!here && (ar.failed() || ar.result().get(0).toLong() != 1)) {
                            chooser.release(target);
                        }
                    })
                    .compose(answer -> {
                        String node = answer.get(1).toString();
                        long epoch = answer.get(2).toLong();
                        if (answer.get(0).toLong() == 1) {
                            claimsWon.increment();
                            return Future.succeededFuture(new RoomOwner(roomId, node, epoch, now, true));
                        }
                        claimsLost.increment();
                        if (attempt >= MAX_CLAIM_ATTEMPTS) {
                            return Future.failedFuture(new ClusterUnavailable(ClusterUnavailable.Reason.CONTENDED,
                                    "the room's record changed " + attempt + " times during placement"));
                        }
                        RoomOwner winner = node.isEmpty() ? null : new RoomOwner(roomId, node, epoch, 0, false);
                        return attempt(roomId, key, winner, attempt + 1, here);
                    });
        });
    }

    /** This node as a claim target (only its id is used). */
    private NodeView self() {
        return new NodeView(registry.nodeId(), new NodeDescriptor("", "", List.of(), ""), NodeState.SERVING,
                NodeLoad.IDLE, 0, 0, 0);
    }

    private Future<RoomOwner> readRecord(String roomId, String key) {
        return redis.send(Request.cmd(Command.HMGET).arg(key).arg("node").arg("epoch").arg("since")).map(r -> {
            Response node = r.get(0);
            if (node == null) {
                return null;
            }
            Response epoch = r.get(1);
            Response since = r.get(2);
            return new RoomOwner(roomId, node.toString(), epoch == null ? 0 : epoch.toLong(),
                    since == null ? 0 : since.toLong(), false);
        });
    }

    private Future<RoomOwner> withLiveness(RoomOwner record) {
        return redis.send(Request.cmd(Command.EXISTS).arg(ClusterKeys.alive(record.nodeId())))
                .map(r -> new RoomOwner(record.roomId(), record.nodeId(), record.epoch(), record.sinceMillis(),
                        r.toLong() > 0));
    }

    private static Throwable firstUnavailable(List<Future<Response>> checks, Throwable fallback) {
        for (Future<Response> check : checks) {
            if (check.failed() && check.cause() instanceof ClusterUnavailable) {
                return check.cause();
            }
        }
        return fallback;
    }
}
