package dev.prism.cluster;

import dev.prism.core.clock.MonoClock;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** One simulated node for tests: its own Redis client, registry and placer, as a Prism process would have. */
final class ClusterTestNode implements AutoCloseable {
    /** The defaults with a 2 s command timeout: the shared 2-core test machine can be slow to open a connection. */
    static final ClusterSettings SETTINGS = ClusterSettings.DEFAULTS.withCommandTimeoutMillis(2000);

    final ClusterRedis redis;
    final NodeRegistry registry;
    final RoomPlacement placement;
    final NodeChooser chooser;
    final AtomicReference<NodeLoad> load = new AtomicReference<>(NodeLoad.IDLE);

    ClusterTestNode(Vertx vertx, String url, String name, PeriodicScheduler scheduler, MonoClock clock, long seed) {
        redis = ClusterRedis.create(vertx, url, SETTINGS);
        registry = new NodeRegistry(redis, NodeRegistry.newNodeId(name),
                new NodeDescriptor("wss://127.0.0.1:7443/cluster", "127.0.0.1", List.of(40000, 40001), "test"),
                SETTINGS, LoadModel.DEFAULTS, load::get, scheduler, clock);
        chooser = new NodeChooser(LoadModel.DEFAULTS, SETTINGS.maxLoad(), new Random(seed));
        placement = new RoomPlacement(redis, registry, chooser, clock);
    }

    String id() {
        return registry.nodeId();
    }

    ClusterTestNode started() throws Exception {
        registry.start().await(5, TimeUnit.SECONDS);
        return this;
    }

    @Override
    public void close() throws Exception {
        try {
            registry.stop().await(5, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            registry.halt(); // Redis gone: nothing to deregister from
        } finally {
            redis.close().await(5, TimeUnit.SECONDS);
        }
    }
}
