package dev.prism.cluster;

/**
 * What a node measured on itself, as plain numbers (the launcher fills it from Prism's {@code EventLoopProbe}s and
 * metrics). A room is pinned to one media loop, so the busiest loop is the bottleneck, not the machine's load average.
 *
 * @param busiestLoopBusyRatio   CPU share 0..1 of the busiest media loop over the last interval (0 when unknown)
 * @param busiestLoopLagMillis   queue wait of a probe task on that loop, milliseconds (0 when unknown)
 * @param participants           participants on this node
 * @param rooms                  rooms this node hosts
 * @param ingressBitsPerSecond   media received, bits per second
 * @param egressBitsPerSecond    media sent, bits per second
 */
public record NodeLoad(double busiestLoopBusyRatio, double busiestLoopLagMillis, int participants, int rooms,
                       long ingressBitsPerSecond, long egressBitsPerSecond) {

    /** An idle node. */
    public static final NodeLoad IDLE = new NodeLoad(0, 0, 0, 0, 0, 0);

    public NodeLoad {
        busiestLoopBusyRatio = finiteOrZero(busiestLoopBusyRatio);
        busiestLoopLagMillis = finiteOrZero(busiestLoopLagMillis);
        participants = Math.max(0, participants);
        rooms = Math.max(0, rooms);
        ingressBitsPerSecond = Math.max(0, ingressBitsPerSecond);
        egressBitsPerSecond = Math.max(0, egressBitsPerSecond);
    }

    private static double finiteOrZero(double v) {
        return Double.isFinite(v) && v > 0 ? v : 0;
    }
}
