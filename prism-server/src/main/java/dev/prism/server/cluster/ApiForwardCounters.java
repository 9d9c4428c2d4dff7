package dev.prism.server.cluster;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Server API calls this node sent to other nodes ({@link ApiForwarding}), by outcome, and cluster-wide room lists by
 * whether every node answered. Fixed label sets. Thread-safe.
 */
public final class ApiForwardCounters implements MeterBinder {
    /** How a forwarded call (or one node's part of a room list) ended. */
    public enum Outcome {
        /** The owner answered (any status: its answer was passed on). */
        ANSWERED("answered"),
        /** The owner could not be reached (connection refused or reset): 503. */
        UNREACHABLE("owner_unreachable"),
        /** The owner did not answer in time: 504. */
        TIMEOUT("owner_timeout"),
        /** Too many forwarded calls in flight on this node: 503. */
        BUSY("forward_busy");

        final String label;

        Outcome(String label) {
            this.label = label;
        }
    }

    private final Map<Outcome, LongAdder> forwarded = new EnumMap<>(Outcome.class);
    private final LongAdder listsComplete = new LongAdder();
    private final LongAdder listsPartial = new LongAdder();

    public ApiForwardCounters() {
        for (Outcome o : Outcome.values()) {
            forwarded.put(o, new LongAdder());
        }
    }

    void count(Outcome outcome) {
        forwarded.get(outcome).increment();
    }

    void listed(boolean partial) {
        (partial ? listsPartial : listsComplete).increment();
    }

    public long forwarded(Outcome outcome) {
        return forwarded.get(outcome).sum();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Outcome o : Outcome.values()) {
            FunctionCounter.builder("prism_api_forwarded", forwarded.get(o), LongAdder::sum)
                    .description("server API calls sent on to the room's owner (and room-list requests to other "
                            + "nodes), by outcome")
                    .tags("outcome", o.label).register(registry);
        }
        FunctionCounter.builder("prism_api_cluster_room_lists", listsComplete, LongAdder::sum)
                .description("cluster-wide room lists, by whether every live node answered")
                .tags("result", "complete").register(registry);
        FunctionCounter.builder("prism_api_cluster_room_lists", listsPartial, LongAdder::sum)
                .description("cluster-wide room lists, by whether every live node answered")
                .tags("result", "partial").register(registry);
    }
}
