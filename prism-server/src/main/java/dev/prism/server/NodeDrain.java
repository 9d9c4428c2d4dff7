package dev.prism.server;

import dev.prism.conference.Conference;
import dev.prism.core.inspect.ActionOutcome;
import dev.prism.core.inspect.NodeControl;
import dev.prism.core.room.Room;
import dev.prism.signaling.session.SfuContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node takes new participants, and how it lets them go: an operator's drain (rooms moved one at a time,
 * rate-limited, each participant told {@code migrate}) and the graceful stop of SIGTERM (new sessions refused, rooms
 * given up to a grace period to end, then everyone left told {@code shutdown}).
 *
 * <pre>
 *  SERVING --drain()--> DRAINING --stop()--> STOPPING
 *     \-----------------stop()-----------------/
 * </pre>
 * Ready ({@code /readyz} 200) only while SERVING. DRAINING still admits joins: in single-node mode the migrated
 * clients come back here (nowhere else to go); in a cluster the balancer, seeing 503, sends them elsewhere. STOPPING
 * refuses new sessions ({@code node_draining}, close 4012); resumes still work, and participants in their resume
 * window count as present.
 *
 * <p>Thread-safe: state changes are synchronized; the waiting and the paced moves run on one daemon thread of this
 * object's own, never on an event loop.
 */
final class NodeDrain implements NodeControl, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeDrain.class);
    /** How often a stop checks whether the rooms have emptied. */
    private static final long POLL_MILLIS = 50;
    /** How long the last step of a stop waits for the rooms' loops to tell everyone {@code shutdown}. */
    private static final long END_ROOMS_TIMEOUT_SECONDS = 5;

    enum State { SERVING, DRAINING, STOPPING }

    /**
     * Cluster mode's part of a drain ({@code dev.prism.server.cluster.ClusterMode}): announce DRAINING so placement
     * skips this node, and hand each room's record over before its participants are told {@code migrate}. Drain thread.
     */
    interface RoomHandOver {
        /** DRAINING in the registry; returns once the other nodes can have seen it. */
        void startDraining();

        /** Releases the room's record, then migrates its participants; completes when they were told. */
        CompletableFuture<Void> handOver(String roomId);
    }

    private final SfuContext sfu;
    private final Conference conference;
    private final long migrateIntervalMillis;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "prism-drain");
        t.setDaemon(true);
        return t;
    });
    private State state = State.SERVING;
    private CompletableFuture<Integer> stopped;
    private CompletableFuture<Void> forced;
    /** Whether the last step of a stop has begun. Drain thread only. */
    private boolean ending;
    /** Cluster mode's hand-over, or null on a single node. */
    private final RoomHandOver handOver;

    /** @param migrateInterval the pause between two rooms' moves in a drain (spreads the rejoins out) */
    NodeDrain(SfuContext sfu, Duration migrateInterval) {
        this(sfu, migrateInterval, null);
    }

    /**
     * @param handOver cluster mode's hand-over: a drain then moves rooms until none is left (rejoins go to other
     *                 nodes) and a stop drains first; null on a single node
     */
    NodeDrain(SfuContext sfu, Duration migrateInterval, RoomHandOver handOver) {
        this.sfu = sfu;
        this.conference = sfu.conference();
        this.migrateIntervalMillis = migrateInterval.toMillis();
        this.handOver = handOver;
    }

    synchronized State state() {
        return state;
    }

    /** Whether the node should get new participants ({@code /readyz}). Any thread. */
    synchronized boolean ready() {
        return state == State.SERVING;
    }

    @Override
    public CompletableFuture<ActionOutcome> migrateRoom(String roomId) {
        return conference.migrateRoom(roomId);
    }

    @Override
    public CompletableFuture<ActionOutcome> drain() {
        Deque<String> queue = new ArrayDeque<>();
        synchronized (this) {
            if (state != State.SERVING) {
                return CompletableFuture.completedFuture(ActionOutcome.done("the node is already "
                        + state.name().toLowerCase(java.util.Locale.ROOT)));
            }
            state = State.DRAINING;
        }
        if (handOver != null) {
            sfu.stopTakingSockets(); // other nodes take them: upgrades here are answered 503, the balancer retries
            int rooms = conference.rooms().rooms().size();
            log.info("prism: draining (cluster): not ready, DRAINING in the registry; handing {} rooms over, one every "
                    + "{} ms", rooms, migrateIntervalMillis);
            timer.execute(() -> {
                handOver.startDraining();
                handOverNext();
            });
            return CompletableFuture.completedFuture(ActionOutcome.done("draining: " + rooms
                    + " rooms to hand over to other nodes, one every " + migrateIntervalMillis + " ms"));
        }
        conference.rooms().rooms().stream().map(Room::id).sorted(Comparator.naturalOrder()).forEach(queue::add);
        int rooms = queue.size(); // before the drain thread starts taking rooms off the queue
        log.info("prism: draining: not ready any more; moving {} rooms, one every {} ms", rooms,
                migrateIntervalMillis);
        timer.execute(() -> migrateNext(queue));
        return CompletableFuture.completedFuture(ActionOutcome.done("draining: " + rooms
                + " rooms to move, one every " + migrateIntervalMillis + " ms"));
    }

    /** Drain thread: moves one room, then the next after the interval (the moves of a stop end the drain). */
    private void migrateNext(Deque<String> queue) {
        String roomId = queue.poll();
        if (roomId == null || state() == State.STOPPING) {
            log.info("prism: drain: {}", roomId == null ? "every room was told to move" : "stopped by a shutdown");
            return;
        }
        conference.migrateRoom(roomId).whenComplete((o, e) -> {
            if (e != null) {
                log.warn("prism: drain: moving a room failed", e);
            }
            timer.schedule(() -> migrateNext(queue), migrateIntervalMillis, TimeUnit.MILLISECONDS);
        });
    }

    /**
     * Drain thread, cluster mode: hands the first room left over, then the next after the interval, until none is
     * left (a room re-created here meanwhile is handed over too) or the stop's last step began.
     */
    private void handOverNext() {
        if (ending) {
            return;
        }
        String roomId = conference.rooms().rooms().stream().map(Room::id).min(Comparator.naturalOrder()).orElse(null);
        if (roomId == null) {
            log.info("prism: drain: every room was handed over");
            timer.schedule(this::handOverNext, 500, TimeUnit.MILLISECONDS); // keep watching until the node stops
            return;
        }
        handOver.handOver(roomId).orTimeout(END_ROOMS_TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((v, e) -> {
            if (e != null) {
                log.warn("prism: drain: handing a room over failed: {}", e.toString());
            }
            timer.schedule(this::handOverNext, migrateIntervalMillis, TimeUnit.MILLISECONDS);
        });
    }

    /**
     * The graceful stop (SIGTERM): not ready, new sessions refused; waits for the node's participants (those detached
     * within their resume window included) to leave, at most {@code grace} or until {@link #force}; then tells each
     * one left {@code shutdown} and closes it (4010). Idempotent: a second call returns the first one's future.
     *
     * @return completes on this object's thread with the number of participants told {@code shutdown}
     */
    CompletableFuture<Integer> stop(Duration grace) {
        if (handOver != null) {
            drain(); // cluster mode: move the rooms to other nodes, then wait for this node to be empty
        }
        synchronized (this) {
            if (stopped != null) {
                return stopped;
            }
            if (handOver == null) {
                state = State.STOPPING;
            }
            stopped = new CompletableFuture<>();
            forced = new CompletableFuture<>();
        }
        if (handOver == null) {
            sfu.stopAdmittingNewSessions();
        }
        log.info("prism: stopping: new sessions refused; waiting up to {} s for {} participants to leave",
                grace.toSeconds(), conference.participantCount());
        long deadline = System.nanoTime() + grace.toNanos();
        timer.execute(() -> waitForEmpty(deadline));
        return stopped;
    }

    /** A second stop signal: stop waiting, tell everyone left {@code shutdown} now. Any thread. */
    void force() {
        CompletableFuture<Void> f;
        synchronized (this) {
            f = forced;
        }
        if (f != null && f.complete(null)) {
            log.info("prism: second stop signal: not waiting any longer");
            timer.execute(this::endEveryone);
        }
    }

    private void waitForEmpty(long deadlineNanos) {
        if (forced.isDone()) {
            return; // force() ends the rooms itself
        }
        if (conference.participantCount() == 0 || System.nanoTime() - deadlineNanos >= 0) {
            endEveryone();
            return;
        }
        timer.schedule(() -> waitForEmpty(deadlineNanos), POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void endEveryone() {
        if (ending) {
            return;
        }
        ending = true;
        int left = conference.participantCount();
        if (left == 0) {
            log.info("prism: stopping: every room has ended");
            stopped.complete(0);
            return;
        }
        log.info("prism: stopping: telling {} participants the server shuts down (close 4010)", left);
        conference.endAllRooms().orTimeout(END_ROOMS_TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((n, e) -> {
            if (e != null) {
                log.warn("prism: stopping: some rooms did not end in time: {}", e.toString());
            }
            stopped.complete(n == null ? left : n);
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
