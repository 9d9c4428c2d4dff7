package dev.prism.cluster;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.text.ClientText;
import dev.prism.core.text.RepeatingLog;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's entry in the cluster registry, and its view of the other live nodes.
 *
 * <ul>
 *   <li>Liveness lease: {@code SET prism:node:<id>:alive <id> PX lease} every heartbeat (0.5 s / 1.5 s by default). A node
 *       that stops renewing (crash, {@code SIGSTOP}, partition) is dead to the others once the lease expires.</li>
 *   <li>Record: every report period (1 s), {@code SADD prism:nodes <id>}, {@code HSET prism:node:<id>} (link URL, media
 *       address and ports, version, state, load figures and score, report sequence) and {@code PEXPIRE} on it. Writing
 *       it whole every time also re-registers the node after Redis lost its data (a restart without persistence).</li>
 *   <li>View: after each report, the records and leases of all registered nodes; a node counts as live while its
 *       lease holds. Ids whose record and lease are both gone are removed from the set (by whichever node sees them).
 *       A change of the live ids is logged ({@code cluster: node <id> sees <n> live nodes: <ids>}).</li>
 * </ul>
 *
 * <p>Threading: timers and Redis answers run on Vert.x event loops; nothing here blocks. {@link #liveNodes()} and
 * {@link #state()} may be read from any thread (volatile snapshots).
 */
public final class NodeRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRegistry.class);
    private static final Pattern BASE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ClusterRedis redis;
    private final String nodeId;
    private final NodeDescriptor descriptor;
    private final ClusterSettings settings;
    private final LoadModel model;
    private final Supplier<NodeLoad> loadSource;
    private final PeriodicScheduler scheduler;
    private final MonoClock clock;
    private final AtomicBoolean heartbeatInFlight = new AtomicBoolean();
    private final AtomicBoolean reportInFlight = new AtomicBoolean();
    private final RepeatingLog failureLog;

    private volatile NodeState state = NodeState.SERVING;
    private volatile List<NodeView> live = List.of();
    private volatile Runnable leaseLapseHandler = () -> { };
    private volatile Future<?> lastHeartbeat = Future.succeededFuture();
    private volatile Future<?> lastReport = Future.succeededFuture();
    private volatile long lastRenewalNanos;
    private volatile boolean renewalFailed;
    private long reportSeq;
    /** The live ids last logged; guarded by this. */
    private List<String> loggedLiveIds = List.of();
    private PeriodicScheduler.Cancellable heartbeatTimer;
    private PeriodicScheduler.Cancellable reportTimer;

    /**
     * @param nodeId     this process's id, from {@link #newNodeId}
     * @param loadSource called on an event loop once per report; must be cheap and must not block
     */
    public NodeRegistry(ClusterRedis redis, String nodeId, NodeDescriptor descriptor, ClusterSettings settings,
                        LoadModel model, Supplier<NodeLoad> loadSource, PeriodicScheduler scheduler, MonoClock clock) {
        this.redis = redis;
        this.nodeId = nodeId;
        this.descriptor = descriptor;
        this.settings = settings;
        this.model = model;
        this.loadSource = loadSource;
        this.scheduler = scheduler;
        this.clock = clock;
        this.failureLog = new RepeatingLog(clock, 10_000);
    }

    /**
     * A fresh id for this process: the configured node id, a dash and 8 random hex digits, so a restarted node never
     * inherits the rooms (or the lease) of its previous life.
     */
    public static String newNodeId(String configuredId) {
        if (configuredId == null || !BASE_ID.matcher(configuredId).matches()) {
            throw new IllegalArgumentException("node id must be 1-64 characters of A-Z a-z 0-9 . _ -, got "
                    + ClientText.forLog(String.valueOf(configuredId)));
        }
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return configuredId + "-" + HexFormat.of().formatHex(random);
    }

    public String nodeId() {
        return nodeId;
    }

    public NodeState state() {
        return state;
    }

    /** The live nodes (this one included) as of the last refresh; immutable. */
    public List<NodeView> liveNodes() {
        return live;
    }

    public ClusterSettings settings() {
        return settings;
    }

    /**
     * Called (on an event loop) when a renewal succeeds after this node's lease may have expired: the previous
     * successful renewal is older than the lease, or renewals had failed (Redis outage). Other nodes may have taken
     * this node's rooms meanwhile, so the owner of rooms re-checks them at once ({@link RoomPlacement#verifyOwnership}).
     */
    public void onLeaseLapse(Runnable handler) {
        this.leaseLapseHandler = handler == null ? () -> { } : handler;
    }

    /**
     * Starts the heartbeat and report timers and registers this node at once (lease, record, then the view). When
     * Redis does not answer the future fails with {@link ClusterUnavailable} but the timers keep trying: the node
     * registers as soon as Redis answers. {@link #stop()} gives up.
     */
    public synchronized Future<Void> start() {
        if (heartbeatTimer != null) {
            return Future.failedFuture(new IllegalStateException("already started"));
        }
        heartbeatTimer = scheduler.every(settings.heartbeatMillis(), this::heartbeat);
        reportTimer = scheduler.every(settings.reportMillis(), this::report);
        return renew().compose(v -> reportAndRefresh());
    }

    /** Announces a new state (DRAINING to stop receiving rooms) at once, and in every report after. */
    public Future<Void> setState(NodeState newState) {
        this.state = newState;
        return reportAndRefresh();
    }

    /** One heartbeat: renews the lease unless the previous renewal is still in flight (then answers that one). */
    Future<?> heartbeat() {
        if (heartbeatInFlight.compareAndSet(false, true)) {
            lastHeartbeat = renew().andThen(ar -> heartbeatInFlight.set(false));
        }
        return lastHeartbeat;
    }

    /** One report: writes the record and refreshes the view unless the previous report is still in flight. */
    Future<?> report() {
        if (reportInFlight.compareAndSet(false, true)) {
            lastReport = reportAndRefresh().andThen(ar -> reportInFlight.set(false));
        }
        return lastReport;
    }

    private Future<Void> renew() {
        Request set = Request.cmd(Command.SET).arg(ClusterKeys.alive(nodeId)).arg(nodeId)
                .arg("PX").arg(settings.leaseMillis());
        long sentNanos = clock.nanos();
        return redis.send(set).<Void>map(r -> null).andThen(ar -> {
            if (ar.succeeded()) {
                long previous = lastRenewalNanos;
                boolean lapsed = renewalFailed
                        || (previous != 0 && sentNanos - previous > settings.leaseMillis() * 1_000_000L);
                lastRenewalNanos = sentNanos;
                renewalFailed = false;
                if (lapsed) {
                    LOG.warn("cluster: node {} renewed its lease after a gap or a Redis failure; its rooms are re-checked",
                            nodeId);
                    leaseLapseHandler.run();
                }
            } else {
                renewalFailed = true;
                logFailure("lease renewal", ar.cause());
            }
        });
    }

    /** Writes the record, then refreshes the view. */
    public Future<Void> reportAndRefresh() {
        return writeRecord().compose(v -> refresh()).<Void>map(v -> null)
                .andThen(ar -> {
                    if (ar.failed()) {
                        logFailure("report", ar.cause());
                    }
                });
    }

    private Future<Void> writeRecord() {
        NodeLoad load = loadSource.get();
        long seq;
        synchronized (this) {
            seq = ++reportSeq;
        }
        List<String> fields = NodeRecord.fields(descriptor, state, load, model.score(load), seq, clock.wallMillis());
        Request hset = Request.cmd(Command.HSET).arg(ClusterKeys.node(nodeId));
        fields.forEach(hset::arg);
        return redis.batch(List.of(
                Request.cmd(Command.SADD).arg(ClusterKeys.NODES).arg(nodeId),
                hset,
                Request.cmd(Command.PEXPIRE).arg(ClusterKeys.node(nodeId)).arg(settings.recordTtlMillis())))
                .map(r -> null);
    }

    /** Reads every registered node's record and lease; keeps those whose lease holds; prunes vanished ids. */
    public Future<List<NodeView>> refresh() {
        return redis.send(Request.cmd(Command.SMEMBERS).arg(ClusterKeys.NODES)).compose(members -> {
            List<String> ids = new ArrayList<>(members.size());
            for (Response member : members) {
                ids.add(member.toString());
            }
            if (ids.isEmpty()) {
                live = List.of();
                return Future.succeededFuture(live);
            }
            List<Request> reads = new ArrayList<>(ids.size() * 2);
            for (String id : ids) {
                reads.add(Request.cmd(Command.HGETALL).arg(ClusterKeys.node(id)));
                reads.add(Request.cmd(Command.EXISTS).arg(ClusterKeys.alive(id)));
            }
            return redis.batch(reads).compose(answers -> {
                List<NodeView> nodes = new ArrayList<>(ids.size());
                List<String> vanished = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    Map<String, String> record = NodeRecord.toMap(answers.get(2 * i));
                    boolean alive = answers.get(2 * i + 1).toLong() > 0;
                    if (record.isEmpty()) {
                        if (!alive) {
                            vanished.add(ids.get(i));
                        }
                        continue;
                    }
                    if (!alive) {
                        continue;
                    }
                    try {
                        nodes.add(NodeRecord.parse(ids.get(i), record));
                    } catch (IllegalArgumentException e) {
                        logFailure("reading the record of node " + ClientText.forLog(ids.get(i)), e);
                    }
                }
                live = List.copyOf(nodes);
                logMembership(live);
                if (vanished.isEmpty()) {
                    return Future.succeededFuture(live);
                }
                Request srem = Request.cmd(Command.SREM).arg(ClusterKeys.NODES);
                vanished.forEach(srem::arg);
                return redis.send(srem).map(r -> live);
            });
        });
    }

    /** Logs the live nodes when they are not the ones of the previous refresh: a node came, left or expired. */
    private void logMembership(List<NodeView> nodes) {
        List<String> ids = nodes.stream().map(NodeView::id).sorted().toList();
        synchronized (this) {
            if (ids.equals(loggedLiveIds)) {
                return;
            }
            loggedLiveIds = ids;
        }
        LOG.info("cluster: node {} sees {} live nodes: {}", nodeId, ids.size(),
                ClientText.forLog(String.join(" ", ids)));
    }

    /**
     * Deregisters on a clean stop: stops the timers, lets a report or renewal in flight finish (so it cannot re-create
     * the keys), then deletes the lease and the record and leaves the set.
     */
    public Future<Void> stop() {
        halt();
        Future<?> heartbeat = lastHeartbeat;
        Future<?> report = lastReport;
        return Future.join(heartbeat, report).transform(ignored -> redis.batch(List.of(
                Request.cmd(Command.DEL).arg(ClusterKeys.alive(nodeId)),
                Request.cmd(Command.DEL).arg(ClusterKeys.node(nodeId)),
                Request.cmd(Command.SREM).arg(ClusterKeys.NODES).arg(nodeId))).<Void>map(r -> null));
    }

    /** Stops the timers without deregistering: what a crashed or stopped node looks like to the others. */
    synchronized void halt() {
        if (heartbeatTimer != null) {
            heartbeatTimer.cancel();
            reportTimer.cancel();
        }
    }

    private void logFailure(String what, Throwable cause) {
        long suppressed;
        synchronized (failureLog) {
            suppressed = failureLog.admit();
        }
        if (suppressed >= 0) {
            LOG.warn("cluster: {} failed on node {}: {} ({} similar failures not logged)", what, nodeId,
                    cause.getMessage(), suppressed);
        }
    }
}
