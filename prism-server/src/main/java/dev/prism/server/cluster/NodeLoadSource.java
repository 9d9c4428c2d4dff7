package dev.prism.server.cluster;

import dev.prism.cluster.NodeLoad;
import dev.prism.conference.Conference;
import dev.prism.core.inspect.Traffic;
import dev.prism.ops.inspect.EventLoopProbe;
import dev.prism.ops.inspect.StatsSampler;
import java.util.List;
import java.util.function.Supplier;

/**
 * This node's load for the registry: the busiest media loop's busy ratio and probe lag (a room is pinned to one loop,
 * so that loop is the bottleneck), participants, rooms and media bitrates, all read from what the stats sampler
 * already measures once a second. Cheap and non-blocking: called on an event loop once per report.
 */
final class NodeLoadSource implements Supplier<NodeLoad> {
    private final List<EventLoopProbe> loops;
    private final Conference conference;
    private final StatsSampler sampler;

    NodeLoadSource(List<EventLoopProbe> loops, Conference conference, StatsSampler sampler) {
        this.loops = List.copyOf(loops);
        this.conference = conference;
        this.sampler = sampler;
    }

    @Override
    public NodeLoad get() {
        double busy = 0;
        double lag = 0;
        for (EventLoopProbe loop : loops) {
            Double b = loop.busyFraction();
            Double l = loop.lagMillis();
            if (b != null && b > busy) {
                busy = b;
            }
            if (l != null && l > lag) {
                lag = l;
            }
        }
        return new NodeLoad(busy, lag, conference.participantCount(), conference.rooms().rooms().size(),
                bits(sampler.mediaIn()), bits(sampler.mediaOut()));
    }

    private static long bits(Traffic t) {
        return t == null || t.bitsPerSecond() == null ? 0 : t.bitsPerSecond().longValue();
    }
}
