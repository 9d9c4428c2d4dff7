package dev.prism.server;

import dev.prism.admin.AdminRoutes;
import dev.prism.core.clock.MonoClock;
import dev.prism.core.config.AdvertiseAddress;
import dev.prism.core.config.ApiKeys;
import dev.prism.core.config.PrismConfig;
import dev.prism.core.inspect.NodeControl;
import dev.prism.core.room.InMemoryRoomRegistry;
import dev.prism.core.room.RoomRegistry;
import dev.prism.server.cluster.ClusterMetrics;
import dev.prism.server.cluster.ClusterMode;
import dev.prism.ops.inspect.ChangeNotifier;
import dev.prism.ops.inspect.EventLoopProbe;
import dev.prism.ops.inspect.SfuInspector;
import dev.prism.ops.inspect.StatsSampler;
import dev.prism.ops.metrics.OpsRoutes;
import dev.prism.ops.metrics.PrismMetrics;
import dev.prism.rtp.transport.IceTcpConfig;
import dev.prism.rtp.transport.MediaEngineConfig;
import dev.prism.rtp.transport.MediaPlane;
import dev.prism.signaling.SignalingMeters;
import dev.prism.signaling.SignalingVerticle;
import dev.prism.signaling.api.ServerApiRoutes;
import dev.prism.signaling.auth.DevSecrets;
import dev.prism.signaling.auth.TokenService;
import dev.prism.signaling.auth.TurnCredentials;
import dev.prism.signaling.http.HttpGuardCounters;
import dev.prism.signaling.http.HttpGuards;
import dev.prism.signaling.http.HttpLimits;
import dev.prism.signaling.http.OriginPolicy;
import dev.prism.signaling.session.IceServers;
import dev.prism.signaling.session.SfuContext;
import dev.prism.srtp.SrtpImplementation;
import dev.prism.webhooks.Webhooks;
import io.netty.channel.EventLoop;
import io.vertx.core.Vertx;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Prism node, wired: media engine, room registry, signaling verticle and demo page, the admin UI under
 * {@code /admin}, metrics at {@code /metrics} and readiness at {@code /readyz}. {@link #start} blocks until both the
 * HTTP server and the UDP media socket are listening; {@link #close} stops everything.
 */
public final class PrismServer implements AutoCloseable {

    /** ICE-TCP settings of the media plane from {@code --ice-tcp} / {@code --tcp-port}. */
    private static IceTcpConfig iceTcp(PrismConfig config) {
        if (!config.iceTcp()) {
            return IceTcpConfig.OFF;
        }
        return config.tcpPort() == PrismConfig.TCP_PORT_SAME_AS_UDP ? IceTcpConfig.SAME_PORT
                : IceTcpConfig.onPort(config.tcpPort());
    }
    private static final Logger log = LoggerFactory.getLogger(PrismServer.class);
    /** Points of history per participant for the admin plots: five minutes at one sample per second. */
    private static final int HISTORY_POINTS = 300;
    /** A drain moves one room every this often: their participants' rejoins are spread out. */
    static final Duration DRAIN_INTERVAL = Duration.ofMillis(200);

    private final PrismConfig config;
    private final MediaPlane media;
    private final SfuContext sfu;
    private final Vertx vertx;
    private final SignalingVerticle signaling;
    private final TokenService tokens;
    private final ServerApiRoutes serverApi;
    private final String apiSecret;
    private final String adminSecret;
    private final String advertiseAddress;
    private final PrismMetrics metrics;
    private final StatsSampler sampler;
    private final SfuInspector inspector;
    private final NodeDrain drain;
    /** Cluster mode ({@code --redis}), or null on a single node. */
    private final ClusterMode cluster;
    /** Room events for backends: the replay ring and, with --webhook-url, signed deliveries. */
    private final Webhooks webhooks;
    private volatile boolean accepting;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private PrismServer(PrismConfig config, HttpLimits httpLimits) throws Exception {
        if (config.clusterModeProblem() != null) {
            throw new IllegalArgumentException(config.clusterModeProblem());
        }
        this.config = config;
        DevSecrets dev = DevSecrets.generate();
        this.apiSecret = dev.apiSecretFor(config);
        this.adminSecret = dev.adminSecretFor(config);
        // Receiver URLs are checked (a private one refused) before anything starts.
        this.webhooks = Webhooks.create(config.webhooks().urls(), config.webhooks().allowPrivate(),
                config.webhooks().retryWindowSeconds(), Webhooks.DEFAULT_KEY_ID, apiSecret, MonoClock.SYSTEM);
        this.advertiseAddress = AdvertiseAddress.resolve(config.advertiseAddress()).getHostAddress();
        this.media = MediaPlane.start(new MediaEngineConfig(config.bindAddress(), config.udpPort(), advertiseAddress,
                Duration.ofSeconds(config.consentTimeoutSeconds()), MonoClock.SYSTEM,
                SrtpImplementation.fromConfigName(config.srtpImplementation()), iceTcp(config))
                        .withIpv6(config.advertiseAddress6()).withPacer(config.pacer()),
                config.effectiveMediaThreads());
        this.metrics = new PrismMetrics();
        ChangeNotifier changes = new ChangeNotifier();
        RoomRegistry rooms = new InMemoryRoomRegistry(roomId -> media.placeRoom().eventLoop(),
                List.of(changes, metrics.roomEvents()));
        if (config.clusterMode()) {
            rooms = ClusterMode.observe(rooms); // cluster mode hears rooms come and go (claims, releases)
        }
        // The conference's registry: every room's events are numbered, kept for replay and posted. Cluster mode keeps
        // the registry it observes (it looks for its own type).
        this.sfu = new SfuContext(media, webhooks.wrap(rooms), Duration.ofSeconds(config.resumeWindowSeconds()))
                .maxParticipantsPerRoom(config.maxParticipantsPerRoom()).audioTopN(config.audioTopN())
                .messagesPerSecond(config.signalingMessagesPerSecond());
        sfu.conference().videoCodecs(VideoCodecs.defaultOf(config.videoCodecs()), VideoCodecs.allowed(config.videoCodecs()));
        sfu.conference().maxPublishersPerRoom(config.maxPublishersPerRoom());
        if (!config.turnUrls().isEmpty()) { // each participant gets its own short-lived TURN credentials
            sfu.useIceServers(IceServers.turn(config.turnUrls(), new TurnCredentials(config.turnSecret(),
                    config.turnTtlSeconds(), TokenService.SYSTEM_EPOCH_SECONDS)));
        }
        List<EventLoopProbe> loops = new ArrayList<>();
        for (EventLoop loop : media.eventLoops()) {
            loops.add(new EventLoopProbe(loop, "prism-media-" + loops.size()));
        }
        this.sampler = new StatsSampler(sfu.conference(), MonoClock.SYSTEM, Duration.ofSeconds(1), HISTORY_POINTS, loops);
        HttpGuardCounters httpCounters = new HttpGuardCounters();
        metrics.bindNode(sfu.conference(), sampler, List.copyOf(media.eventLoops()));
        SignalingMeters signalingMeters = new SignalingMeters(sfu, httpCounters);
        metrics.bind(signalingMeters);
        metrics.beforeScrape(signalingMeters::refresh);
        this.inspector = new SfuInspector(sfu.conference(), sfu::signalingStats, sampler, changes, MonoClock.SYSTEM);
        this.tokens = TokenService.withExtraKeys(apiSecret, ApiKeys.parse(config.apiKeys()),
                TokenService.SYSTEM_EPOCH_SECONDS, config.maxTokenLifetimeSeconds());
        this.serverApi = ServerApi.create(sfu, tokens); // /api/v1; other features add routes with serverApi.route(..)
        // a room's recent webhook events (docs/WEBHOOKS.md "Replay"), behind the server API's roomAdmin tokens
        serverApi.route(io.vertx.core.http.HttpMethod.GET, "/rooms/:room/events", "rooms.events",
                webhooks.replayHandler()::handle);
        this.vertx = Vertx.vertx();
        metrics.bind(webhooks.meters());
        webhooks.start(vertx);
        ClusterMetrics clusterMetrics = new ClusterMetrics();
        metrics.bind(clusterMetrics);
        this.cluster = config.clusterMode() ? ClusterMode.start(vertx, config, sfu, rooms,
                ClusterMode.loadSource(loops, sfu.conference(), sampler), advertiseAddress, media.localPorts(),
                version(), clusterMetrics) : null;
        ServerApi.forwardInCluster(serverApi, cluster, metrics); // /api/v1 works on any node (docs/API.md "Cluster")
        this.drain = new NodeDrain(sfu, DRAIN_INTERVAL, cluster == null ? null : new NodeDrain.RoomHandOver() {
            @Override
            public void startDraining() {
                cluster.startDraining();
            }

            @Override
            public CompletableFuture<Void> handOver(String roomId) {
                return cluster.handOver(roomId);
            }
        });
        AdminRoutes admin = AdminRoutes.create(cluster == null ? inspector : cluster.inspector(inspector), adminSecret)
                .withNodeControl(drain);
        OpsRoutes ops = new OpsRoutes(metrics, () -> accepting && drain.ready(), loops);
        this.signaling = new SignalingVerticle(sfu, tokens, config.developmentMode(), config.tokenTtlSeconds(),
                config.httpHost(), config.httpPort(),
                new OriginPolicy(config.allowedOrigins(), config.developmentMode()),
                new HttpGuards(httpLimits, httpCounters, MonoClock.SYSTEM), router -> {
                    ops.accept(router);
                    admin.accept(router);
                    serverApi.accept(router);
                    // The web client (client-js/, copied into this module's jar): the demo page at /, the SDK at /sdk/.
                    router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
                });
        try {
            vertx.deployVerticle(signaling).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            closeQuietly();
            throw e;
        }
        sampler.start();
        ServerApi.started(serverApi, vertx, metrics);
        accepting = true;
    }

    /** Starts a node; blocks until it listens. */
    public static PrismServer start(PrismConfig config) {
        return start(config, HttpLimits.defaults());
    }

    /** Starts a node with other HTTP limits (tests shorten the timeouts); blocks until it listens. */
    public static PrismServer start(PrismConfig config, HttpLimits httpLimits) {
        try {
            return new PrismServer(config, httpLimits);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Prism failed to start: " + e.getMessage(), e);
        }
    }

    public int httpPort() {
        return signaling.actualPort();
    }

    /** The first media engine's UDP port (with one media thread: the only one). */
    public int mediaPort() {
        return media.engines().get(0).localPort();
    }

    /** Every media engine's UDP port: a room's candidates name one of them. */
    public List<Integer> mediaPorts() {
        return media.localPorts();
    }

    public String advertiseAddress() {
        return advertiseAddress;
    }

    public boolean developmentMode() {
        return config.developmentMode();
    }

    public PrismConfig config() {
        return config;
    }

    public MediaPlane media() {
        return media;
    }

    public SfuContext sfu() {
        return sfu;
    }

    public TokenService tokens() {
        return tokens;
    }

    /** The server API ({@code /api/v1}). */
    public ServerApiRoutes serverApi() {
        return serverApi;
    }

    /** The admin credential in force (configured, or generated for this run in development mode). */
    public String adminSecret() {
        return adminSecret;
    }

    /** The node's read model and operator actions (what the admin API serves). */
    public SfuInspector inspector() {
        return inspector;
    }

    public PrismMetrics metrics() {
        return metrics;
    }

    /** Moves rooms away and drains the node (what the admin API's drain and migrate call). */
    public NodeControl nodeControl() {
        return drain;
    }

    /**
     * The graceful stop (SIGTERM): {@code /readyz} 503 and new sessions refused at once, then up to the configured
     * {@code shutdownGraceSeconds} for the rooms to end, then everyone left is told {@code shutdown} (close 4010).
     * Does not close the node: {@link #close} does, after this completes. Idempotent.
     *
     * @return completes with the number of participants told {@code shutdown}
     */
    public CompletableFuture<Integer> stop() {
        return stop(Duration.ofSeconds(config.shutdownGraceSeconds()));
    }

    /** {@link #stop()} with another grace period (tests). */
    public CompletableFuture<Integer> stop(Duration grace) {
        return drain.stop(grace);
    }

    /** A second stop signal: a stop under way stops waiting and tells everyone {@code shutdown} now. */
    public void forceStop() {
        drain.force();
    }

    /** Stops at once: whoever is still here is told {@code shutdown} (close 4010) first, then everything closes. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            drain.stop(Duration.ZERO).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("prism: participants were not all told about the shutdown: {}", e.toString());
        }
        closeQuietly();
        log.info("prism: stopped");
    }

    /** Room events for backends (the replay ring, webhook deliveries and their meters). */
    public Webhooks webhooks() {
        return webhooks;
    }

    /** Cluster mode, or null on a single node. */
    public ClusterMode cluster() {
        return cluster;
    }

    private static String version() {
        String v = PrismServer.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private void closeQuietly() {
        accepting = false;
        if (drain != null) {
            drain.close();
        }
        if (cluster != null) {
            cluster.close(); // leaves the registry before the event loops stop
        }
        sampler.close();
        if (webhooks != null) {
            webhooks.close();
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("prism: vert.x did not stop cleanly: {}", e.toString());
        }
        media.close();
        metrics.close();
    }
}
