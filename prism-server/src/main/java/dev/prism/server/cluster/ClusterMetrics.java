package dev.prism.server.cluster;

import dev.prism.cluster.ClusterUnavailable;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Cluster mode's counters, one set per node, bound on every node (all zero on a single node, so dashboards see the
 * same families everywhere). Label values are bounded: placement results and {@link ClusterUnavailable.Reason}s.
 * Thread-safe (LongAdders); counted from event loops and the drain thread.
 */
public final class ClusterMetrics implements MeterBinder {
    /** A placement's outcome as seen by this node's routing. */
    enum Placement { LOCAL, REMOTE, FAILED }

    private final Map<Placement, LongAdder> placements = new EnumMap<>(Placement.class);
    private final Map<ClusterUnavailable.Reason, LongAdder> failures = new EnumMap<>(ClusterUnavailable.Reason.class);
    private final LongAdder noLink = new LongAdder();
    private final LongAdder fenced = new LongAdder();
    private final LongAdder takeovers = new LongAdder();
    private final LongAdder migrations = new LongAdder();
    private final LongAdder released = new LongAdder();
    private volatile LongSupplier registryCommands = () -> 0;
    private volatile LongSupplier claimsWon = () -> 0;
    private volatile LongSupplier claimsLost = () -> 0;
    private volatile LongSupplier liveNodes = () -> 0;
    private volatile LongSupplier ownedRooms = () -> 0;
    private volatile LongSupplier linkAuthRefused = () -> 0;

    public ClusterMetrics() {
        for (Placement p : Placement.values()) {
            placements.put(p, new LongAdder());
        }
        for (ClusterUnavailable.Reason r : ClusterUnavailable.Reason.values()) {
            failures.put(r, new LongAdder());
        }
    }

    void placed(Placement result) {
        placements.get(result).increment();
    }

    void failed(ClusterUnavailable.Reason reason) {
        placements.get(Placement.FAILED).increment();
        failures.get(reason).increment();
    }

    /** The owner's link address was not in this node's view. */
    void failedNoLink() {
        placements.get(Placement.FAILED).increment();
        noLink.increment();
    }

    void fenced() {
        fenced.increment();
    }

    void tookOver() {
        takeovers.increment();
    }

    void migrated() {
        migrations.increment();
    }

    void released() {
        released.increment();
    }

    long fencedRooms() {
        return fenced.sum();
    }

    long takeovers() {
        return takeovers.sum();
    }

    long migrations() {
        return migrations.sum();
    }

    void sources(LongSupplier commands, LongSupplier won, LongSupplier lost, LongSupplier nodes, LongSupplier owned,
                 LongSupplier authRefused) {
        registryCommands = commands;
        claimsWon = won;
        claimsLost = lost;
        liveNodes = nodes;
        ownedRooms = owned;
        linkAuthRefused = authRefused;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Placement p : Placement.values()) {
            LongAdder a = placements.get(p);
            FunctionCounter.builder("prism_cluster_placements", a, LongAdder::sum)
                    .description("Rooms routed by this node: local (this node owns it), remote (another does), failed")
                    .tag("result", p.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
        }
        for (ClusterUnavailable.Reason r : ClusterUnavailable.Reason.values()) {
            FunctionCounter.builder("prism_cluster_placement_failures", failures.get(r), LongAdder::sum)
                    .description("Failed placements by reason (the client was told cluster_unavailable)")
                    .tag("reason", r.label()).register(registry);
        }
        FunctionCounter.builder("prism_cluster_placement_failures", noLink, LongAdder::sum)
                .description("Failed placements by reason (the client was told cluster_unavailable)")
                .tag("reason", "owner_not_in_view").register(registry);
        FunctionCounter.builder("prism_cluster_claims", this, m -> m.claimsWon.getAsLong())
                .description("Room claims (compare-and-set on a room's record) this node ran").tag("outcome", "won")
                .register(registry);
        FunctionCounter.builder("prism_cluster_claims", this, m -> m.claimsLost.getAsLong())
                .description("Room claims (compare-and-set on a room's record) this node ran").tag("outcome", "lost")
                .register(registry);
        FunctionCounter.builder("prism_cluster_fenced_rooms", fenced, LongAdder::sum)
                .description("Rooms closed here (participants told migrate) because another node owns them now")
                .register(registry);
        FunctionCounter.builder("prism_cluster_failovers", takeovers, LongAdder::sum)
                .description("Rooms this node took over from an owner whose lease had expired").register(registry);
        FunctionCounter.builder("prism_cluster_migrations", migrations, LongAdder::sum)
                .description("Rooms this node handed over while draining (participants told migrate)")
                .register(registry);
        FunctionCounter.builder("prism_cluster_rooms_released", released, LongAdder::sum)
                .description("Room records this node deleted when its room ended").register(registry);
        FunctionCounter.builder("prism_cluster_registry_commands", this, m -> m.registryCommands.getAsLong())
                .description("Redis commands this node sent (lease, record, view, placement, fencing)")
                .register(registry);
        FunctionCounter.builder("prism_cluster_link_auth_refused", this, m -> m.linkAuthRefused.getAsLong())
                .description("Node-to-node link handshakes refused (wrong cluster secret)").register(registry);
        Gauge.builder("prism_cluster_nodes_live", this, m -> m.liveNodes.getAsLong())
                .description("Live nodes in this node's view of the registry (0 on a single node)").register(registry);
        Gauge.builder("prism_cluster_rooms_owned", this, m -> m.ownedRooms.getAsLong())
                .description("Rooms whose record names this node, as this node knows").register(registry);
    }

}
