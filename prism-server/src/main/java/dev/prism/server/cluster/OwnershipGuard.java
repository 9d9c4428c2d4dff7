package dev.prism.server.cluster;

import dev.prism.cluster.RoomPlacement;
import dev.prism.conference.Conference;
import dev.prism.core.clock.MonoClock;
import dev.prism.core.room.Room;
import dev.prism.core.room.RoomRegistry;
import dev.prism.core.text.ClientText;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fencing: this node keeps only rooms whose record names it at the epoch it holds them at.
 *
 * <ul>
 *   <li>{@link #check()} (every 2 s and on a lease lapse): {@link RoomPlacement#verifyOwnership} of every room that
 *       exists here; a room whose record names another node or epoch was taken over while this node was silent: it is
 *       closed here with {@code migrate} (its clients rejoin through the balancer and reach the owner) and counted.</li>
 *   <li>A room that came to exist here without a placement answering this node (no held epoch) is claimed for this
 *       node ({@link RoomPlacement#claimHere}); if a live node owns it, this copy is closed the same way.</li>
 *   <li>A room that ended here has its record released ({@link RoomPlacement#release}, owner and epoch checked in
 *       Redis). A placement that answered this node but whose room never came to exist here within
 *       {@link #UNUSED_HOLD_NANOS} is released too. Neither is released while {@link #keepWhile} says the server API
 *       remembers the room (created with options, within its empty timeout): its options live here.</li>
 *   <li>A copy is closed and counted once: until it ends, checks pass it by (it is neither claimed again nor fenced
 *       again while its participants are still leaving).</li>
 *   <li>When a check fails (Redis down), nothing is closed: running rooms keep their media. Until a check succeeds
 *       again, {@link #verifiedFirst()} runs one before any placement is answered.</li>
 * </ul>
 *
 * <p>Threading: called from Vert.x timers, registry callbacks and room loops; starts only asynchronous work. One
 * check at a time (a tick during a check joins it).
 */
final class OwnershipGuard {
    static final long CHECK_MILLIS = 2000;
    static final long UNUSED_HOLD_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Logger LOG = LoggerFactory.getLogger(OwnershipGuard.class);

    private final RoomPlacement placement;
    private final RoomRegistry rooms;
    private final Conference conference;
    private final HeldRooms held;
    private final ClusterMetrics metrics;
    private final MonoClock clock;
    private Future<Void> running;
    /** The copies being closed by a fence, by room id, until they end. */
    private final Map<String, Room> closing = new ConcurrentHashMap<>();
    private volatile boolean verified = true;
    /** Rooms whose placement stays held here while empty (the server API remembers their options); any thread. */
    private volatile java.util.function.Predicate<String> remembered = id -> false;

    /** Placements of rooms {@code remembered} says are known here are not released while unused. */
    void keepWhile(java.util.function.Predicate<String> remembered) {
        this.remembered = remembered;
    }

    OwnershipGuard(RoomPlacement placement, RoomRegistry rooms, Conference conference, HeldRooms held,
                   ClusterMetrics metrics, MonoClock clock) {
        this.placement = placement;
        this.rooms = rooms;
        this.conference = conference;
        this.held = held;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Succeeds at once while the last check succeeded; otherwise runs a check first (fails if Redis is still out). */
    Future<Void> verifiedFirst() {
        return verified ? Future.succeededFuture() : check();
    }

    /** One fencing pass over the rooms that exist here (joins one already running). */
    synchronized Future<Void> check() {
        if (running != null) {
            return running;
        }
        Promise<Void> done = Promise.promise();
        running = done.future();
        runCheck().onComplete(ar -> {
            verified = ar.succeeded();
            synchronized (this) {
                running = null;
            }
            done.handle(ar);
        });
        return done.future();
    }

    private Future<Void> runCheck() {
        Map<String, Long> epochs = new HashMap<>();
        Map<String, HeldRooms.Held> snapshot = held.snapshot();
        long now = clock.nanos();
        closing.entrySet().removeIf(e -> rooms.get(e.getKey()) != e.getValue()); // ended before the fence noted it
        for (Room room : rooms.rooms()) {
            if (closing.get(room.id()) == room) {
                continue; // fenced already; its participants are leaving
            }
            HeldRooms.Held h = snapshot.remove(room.id());
            if (h == null) {
                claim(room.id());
            } else {
                epochs.put(room.id(), h.epoch());
            }
        }
        for (Map.Entry<String, HeldRooms.Held> unused : snapshot.entrySet()) {
            if (remembered.test(unused.getKey())) {
                continue; // created through the API and not yet forgotten: its options live here, so does the room
            }
            if (now - unused.getValue().sinceNanos() > UNUSED_HOLD_NANOS && held.drop(unused.getKey(), unused.getValue())) {
                release(unused.getKey(), unused.getValue().epoch());
            }
        }
        if (epochs.isEmpty()) {
            return placement.verifyOwnership(Map.of()).mapEmpty();
        }
        return placement.verifyOwnership(epochs).map(fenced -> {
            fence(fenced, "its record names another node or epoch");
            return null;
        });
    }

    /** A room came to exist here: claim it unless a placement already answered this node. Any thread. */
    void created(String roomId) {
        if (held.get(roomId) == null) {
            claim(roomId);
        }
    }

    /** A room ended here: release its record. Room loop; does not block. */
    void ended(String roomId) {
        if (closing.remove(roomId) == null && remembered.test(roomId)) {
            return; // emptied, but the API remembers it here: keep the placement (released once it is forgotten)
        }
        HeldRooms.Held h = held.drop(roomId);
        if (h != null) {
            release(roomId, h.epoch());
        }
    }

    private void claim(String roomId) {
        placement.claimHere(roomId).onSuccess(owner -> {
            if (owner.nodeId().equals(placement.nodeId())) {
                if (rooms.get(roomId) == null) {
                    // The room ended while the claim was in flight: its end found nothing (or an older epoch) to
                    // release, so holding the record now would keep it until the unused-hold expiry (10 s and more).
                    release(roomId, owner.epoch());
                    return;
                }
                if (owner.epoch() > 1 && held.get(roomId) == null) {
                    metrics.tookOver();
                }
                held.hold(roomId, owner.epoch(), clock.nanos());
            } else {
                fence(Set.of(roomId), "live node " + owner.nodeId() + " owns it");
            }
        }).onFailure(e -> LOG.debug("cluster: claiming room {} failed ({}); the next check retries",
                ClientText.forLog(roomId), e.getMessage()));
    }

    private void release(String roomId, long epoch) {
        placement.release(roomId, epoch).onSuccess(deleted -> {
            if (deleted) {
                metrics.released();
            }
        });
    }

    private void fence(Set<String> roomIds, String why) {
        for (String roomId : roomIds) {
            held.drop(roomId);
            Room copy = rooms.get(roomId);
            if (copy == null || closing.put(roomId, copy) == copy) {
                continue; // gone, or this copy was fenced already (a check and a claim can both find it)
            }
            metrics.fenced();
            LOG.warn("cluster: room {} is fenced here ({}): closing this copy, its participants rejoin at the owner",
                    ClientText.forLog(roomId), why);
            conference.migrateRoom(roomId);
        }
    }

    /** Whether the last check succeeded. */
    boolean verified() {
        return verified;
    }
}
