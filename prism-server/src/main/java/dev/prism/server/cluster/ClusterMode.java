package dev.prism.server.cluster;

import dev.prism.cluster.ClusterRedis;
import dev.prism.cluster.ClusterSettings;
import dev.prism.cluster.LoadModel;
import dev.prism.cluster.NodeChooser;
import dev.prism.cluster.NodeDescriptor;
import dev.prism.cluster.NodeLoad;
import dev.prism.cluster.NodeRegistry;
import dev.prism.cluster.NodeState;
import dev.prism.cluster.NodeView;
import dev.prism.cluster.PeriodicScheduler;
import dev.prism.cluster.RoomPlacement;
import dev.prism.cluster.link.LinkMetrics;
import dev.prism.core.clock.MonoClock;
import dev.prism.core.config.PrismConfig;
import dev.prism.core.room.RoomRegistry;
import dev.prism.server.link.ClusterLinks;
import dev.prism.signaling.session.SfuContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode of one node ({@code --redis}): registry entry with lease and load, room placement, the node-to-node
 * links, the {@link ClusterRouting} given to signaling, fencing ({@link OwnershipGuard}) and the drain's hand-over of
 * rooms. Built by {@code PrismServer} before the signaling verticle is deployed; closed after it stops.
 *
 * <p>Threading: everything runs on Vert.x event loops (timers, Redis answers) except {@link #handOver} and
 * {@link #startDraining}, which the drain thread calls and which only wait on futures (never on an event loop).
 */
public final class ClusterMode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMode.class);
    private static final long START_WAIT_SECONDS = 5;

    private final ClusterRedis redis;
    private final NodeRegistry registry;
    private final RoomPlacement placement;
    private final ClusterLinks links;
    private final HeldRooms held;
    private final OwnershipGuard guard;
    private final ClusterRouting routing;
    private final ClusterMetrics metrics;
    private final SfuContext sfu;
    private final long checkTimer;
    private final long probeTimer;
    private final Vertx vertx;
    private final PeerReachability reach;

    private ClusterMode(Vertx vertx, ClusterRedis redis, NodeRegistry registry, RoomPlacement placement,
                        ClusterLinks links, HeldRooms held, OwnershipGuard guard, ClusterMetrics metrics,
                        SfuContext sfu, PeerReachability reach) {
        this.vertx = vertx;
        this.redis = redis;
        this.registry = registry;
        this.placement = placement;
        this.links = links;
        this.held = held;
        this.guard = guard;
        this.metrics = metrics;
        this.sfu = sfu;
        this.routing = new ClusterRouting(registry, placement, held, guard, metrics, MonoClock.SYSTEM);
        this.checkTimer = vertx.setPeriodic(OwnershipGuard.CHECK_MILLIS, id -> guard.check());
        this.reach = reach;
        reach.use(registry::liveNodes, url -> links.probe(url).map(ok -> ok ? PeerReachability.Outcome.REACHABLE
                : PeerReachability.Outcome.REFUSED).otherwise(PeerReachability.Outcome.UNKNOWN), this::giveUpRooms);
        this.probeTimer = vertx.setPeriodic(PeerReachability.PROBE_MILLIS, id -> probePeers());
    }

    /**
     * Probes the other nodes' links (a node whose link refuses this one is not given rooms from here; a node refused by
     * most is isolated) and closes the connections to nodes gone from the view. Event loop.
     */
    private void probePeers() {
        reach.probe();
        Set<String> live = new HashSet<>();
        for (NodeView node : registry.liveNodes()) {
            live.add(node.descriptor().linkUrl());
        }
        links.retainConnections(live);
    }

    /**
     * This node became isolated (most live nodes refuse its link): it hands its rooms over as a drain does (record
     * released, participants told {@code migrate}), so their rejoins are placed on nodes that can reach each other.
     */
    private void giveUpRooms() {
        for (dev.prism.core.room.Room room : sfu.conference().rooms().rooms()) {
            handOver(room.id()).whenComplete((v, e) -> {
                if (e != null) {
                    LOG.warn("cluster: handing a room over failed: {}", e.toString());
                }
            });
        }
    }

    /** Whether this node can take part: most live nodes accept its link. */
    public boolean isolated() {
        return reach.isolated();
    }

    /** Wraps the node's room registry so cluster mode hears rooms come and go; pass the result to the SfuContext. */
    public static RoomRegistry observe(RoomRegistry rooms) {
        return new ClusterRoomRegistry(rooms);
    }

    /**
     * Joins the cluster; blocks (at most a few seconds per step, never on an event loop) until the links listen and the
     * node registered. When Redis does not answer the node still starts: it registers as soon as Redis answers, and
     * placements fail with {@code cluster_unavailable} meanwhile.
     *
     * @param rooms      what {@link #observe} returned, given to {@code sfu}
     * @param mediaPorts the UDP port of each media thread
     */
    public static ClusterMode start(Vertx vertx, PrismConfig config, SfuContext sfu, RoomRegistry rooms,
                                    Supplier<NodeLoad> load, String advertiseAddress, List<Integer> mediaPorts,
                                    String version, ClusterMetrics metrics) throws Exception {
        String problem = config.clusterModeProblem();
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        ClusterSettings settings = ClusterSettings.DEFAULTS.withMaxLoad(config.maxLoad());
        String nodeId = NodeRegistry.newNodeId(config.nodeId() != null ? config.nodeId() : hostName());
        ClusterRedis redis = ClusterRedis.create(vertx, config.redisUrl(), settings);
        LinkMetrics linkMetrics = new LinkMetrics();
        // The link listens where HTTP does; a wildcard is not an address other nodes can dial, so the advertised
        // (media) address stands in for it then.
        String linkHost = config.httpHost().equals("0.0.0.0") || config.httpHost().equals("::")
                ? advertiseAddress : config.httpHost();
        ClusterLinks links = ClusterLinks.start(vertx, nodeId, config.clusterSecret(), linkHost,
                config.clusterPort(), sfu.proxiedSessionAcceptor(), linkMetrics)
                .toCompletionStage().toCompletableFuture().get(START_WAIT_SECONDS * 2, TimeUnit.SECONDS);
        NodeDescriptor descriptor = new NodeDescriptor(links.linkAddress(), advertiseAddress, mediaPorts, version,
                apiUrl(linkHost, config.httpPort()));
        NodeRegistry registry = new NodeRegistry(redis, nodeId, descriptor, settings, LoadModel.DEFAULTS, load,
                PeriodicScheduler.vertx(vertx), MonoClock.SYSTEM);
        PeerReachability reach = new PeerReachability(nodeId);
        links.onHandshakeRefused(reach::refused);
        NodeChooser chooser = new NodeChooser(LoadModel.DEFAULTS, settings.maxLoad(), new Random(), reach::eligible);
        RoomPlacement placement = new RoomPlacement(redis, registry, chooser, MonoClock.SYSTEM);
        HeldRooms held = new HeldRooms();
        OwnershipGuard guard = new OwnershipGuard(placement, rooms, sfu.conference(), held, metrics, MonoClock.SYSTEM);
        if (rooms instanceof ClusterRoomRegistry observed) {
            observed.lifecycle(new ClusterRoomRegistry.Lifecycle() {
                @Override
                public void created(String roomId) {
                    guard.created(roomId);
                }

                @Override
                public void ended(String roomId) {
                    guard.ended(roomId);
                }
            });
        }
        registry.onLeaseLapse(guard::check);
        metrics.sources(redis::commandsSent, placement::claimsWon, placement::claimsLost,
                () -> registry.liveNodes().size(), held::size, linkMetrics::authRefused);
        ClusterMode mode = new ClusterMode(vertx, redis, registry, placement, links, held, guard, metrics, sfu, reach);
        sfu.useRouting(mode.routing, links.remoteSessions());
        try {
            registry.start().toCompletionStage().toCompletableFuture().get(START_WAIT_SECONDS, TimeUnit.SECONDS);
            LOG.info("cluster: node {} registered at {} (link {}), {} live nodes", nodeId, config.redisUrl(),
                    links.linkAddress(), registry.liveNodes().size());
            mode.probePeers(); // at once: a node with a wrong cluster secret finds out before it takes rooms
        } catch (Exception e) {
            LOG.warn("cluster: node {} could not register yet ({}); it keeps trying, and new rooms get "
                    + "cluster_unavailable until it does", nodeId, e.getMessage());
        }
        return mode;
    }

    public String nodeId() {
        return registry.nodeId();
    }

    /**
     * The server API's cluster filter ({@code ServerApiRoutes.forwarding}): calls about other nodes' rooms are sent to
     * their owner, room lists cover every node. Event loops; closed with the node's Vert.x.
     */
    public ApiForwarding apiForwarding(ApiForwardCounters counters) {
        return new ApiForwarding(vertx, sfu, registry.nodeId(), registry::liveNodes, counters);
    }

    /**
     * A room placed here stays placed here while {@code remembered} says this node knows it (a room created through
     * the server API, empty, within its {@code emptyTimeout}): a later join or call finds its options here.
     */
    public void keepPlacedWhile(java.util.function.Predicate<String> remembered) {
        guard.keepWhile(remembered);
    }

    /**
     * Where other nodes send server API calls: the HTTP port on the link's host (the HTTP host, or the advertised
     * address when HTTP listens on a wildcard). Empty with an ephemeral port (0): not known before the server listens.
     */
    static String apiUrl(String host, int httpPort) {
        if (httpPort == 0) {
            return "";
        }
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + httpPort;
    }

    public String linkAddress() {
        return links.linkAddress();
    }

    NodeRegistry registry() {
        return registry;
    }

    RoomPlacement placement() {
        return placement;
    }

    ClusterRedis redis() {
        return redis;
    }

    /** The node's part of the cluster view for the admin API. */
    public ClusterView view() {
        return new ClusterView(this);
    }

    /** The admin read model with the cluster view added ({@code GET /admin/api/cluster}). */
    public dev.prism.core.inspect.NodeInspector inspector(dev.prism.core.inspect.NodeInspector node) {
        return new ClusterInspector(node, view());
    }

    /** The registry's load figures, from the media loops' probes and the sampler. */
    public static Supplier<NodeLoad> loadSource(List<dev.prism.ops.inspect.EventLoopProbe> loops,
                                                dev.prism.conference.Conference conference,
                                                dev.prism.ops.inspect.StatsSampler sampler) {
        return new NodeLoadSource(loops, conference, sampler);
    }

    /**
     * The drain's first step: DRAINING in the registry (placement skips this node), then a wait until every other
     * live node has reported since, so its view shows this node DRAINING before rooms move ({@link DrainAnnouncement}),
     * at most three report periods. Drain thread; waits on futures only.
     */
    public void startDraining() {
        Map<String, Long> baseline;
        try {
            registry.setState(NodeState.DRAINING).toCompletionStage().toCompletableFuture()
                    .get(START_WAIT_SECONDS, TimeUnit.SECONDS);
            // read after the DRAINING record was written (a periodic refresh may finish later with older numbers)
            baseline = DrainAnnouncement.baseline(registry.refresh().toCompletionStage().toCompletableFuture()
                    .get(START_WAIT_SECONDS, TimeUnit.SECONDS), registry.nodeId());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            // Redis did not take it: no node can see it (nor place rooms) until the next report does
            LOG.warn("cluster: announcing DRAINING failed ({}); the next report retries", e.getMessage());
            return;
        }
        long deadlineMillis = 3 * registry.settings().reportMillis();
        long start = System.nanoTime();
        try {
            List<String> unconfirmed = DrainAnnouncement.await(vertx, registry, baseline, deadlineMillis)
                    .get(deadlineMillis + START_WAIT_SECONDS * 1000, TimeUnit.MILLISECONDS);
            if (unconfirmed.isEmpty()) {
                LOG.info("cluster: every live node sees {} DRAINING ({} ms)", registry.nodeId(),
                        (System.nanoTime() - start) / 1_000_000);
            } else {
                LOG.warn("cluster: nodes {} did not report within {} ms of DRAINING; handing rooms over anyway",
                        unconfirmed, deadlineMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("cluster: waiting for the other nodes to see DRAINING failed ({}); handing rooms over anyway",
                    e.toString());
        }
    }

    /**
     * Hands one room over: its record is released (only if it still names this node at its epoch), so the first rejoin
     * places it afresh on a SERVING node by load; then its participants are told {@code migrate} (4011). Release first,
     * so a rejoin can never find this node still named. Drain thread; waits at most a few seconds.
     */
    public CompletableFuture<Void> handOver(String roomId) {
        HeldRooms.Held h = held.drop(roomId);
        Future<Boolean> released = h == null ? Future.succeededFuture(false) : placement.release(roomId, h.epoch());
        return released.recover(e -> {
            LOG.warn("cluster: releasing room during the drain failed ({}); moving it anyway", e.getMessage());
            return Future.succeededFuture(false);
        }).toCompletionStage().toCompletableFuture().thenCompose(r -> {
            metrics.migrated();
            return sfu.conference().migrateRoom(roomId).thenApply(o -> (Void) null);
        });
    }

    /** Leaves the registry (a clean stop) and closes the links and the Redis client. Blocks a few seconds at most. */
    @Override
    public void close() {
        vertx.cancelTimer(checkTimer);
        vertx.cancelTimer(probeTimer);
        try {
            registry.stop().toCompletionStage().toCompletableFuture().get(START_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("cluster: deregistering failed ({}); the lease expires by itself", e.getMessage());
        }
        links.close();
        redis.close();
    }

    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "-");
            return cleaned.isEmpty() ? "prism" : cleaned.substring(0, Math.min(64, cleaned.length()));
        } catch (Exception e) {
            return "prism";
        }
    }
}
