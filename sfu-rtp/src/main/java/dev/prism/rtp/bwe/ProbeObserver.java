package dev.prism.rtp.bwe;

/** Told by {@link SendSideEstimator} what a probe cluster measured; {@link Prober#onProbeResult} is one. */
@FunctionalInterface
public interface ProbeObserver {
    /**
     * @param clusterId   the cluster the packets were sent for
     * @param resultBps   the rate the path delivered during the cluster, or 0 when the measurement was unusable
     */
    void onProbeResult(int clusterId, long resultBps);

    /**
     * The estimator found the link dropped below what is sent ({@link LinkDropDetector}) and cut the estimate to what
     * it measured: later probes should treat {@code capacityBps} as the path's known capacity. Nothing by default.
     */
    default void onLinkDrop(long capacityBps) {
    }

    /**
     * The running cluster's packets are queueing up at the path's bottleneck: it has failed (its result, a failure, follows
     * once feedback has gone past it), and sending more of it would only fill the queue until it drops media. Called
     * on the feedback that showed it, at most once per cluster. Nothing by default.
     */
    default void onProbeQueueing(int clusterId) {
    }

    /**
     * The rate cluster {@code clusterId} aimed at, or {@link Long#MAX_VALUE} when unknown: no result is taken above
     * it. A probe proves the path carries what it sent at its rate; a measurement above that is the spacing of a burst
     * (the pacer flushing queued padding, a token bucket releasing it), not the path (measured: a probe to 359 kbit/s
     * "measured" 1,174 kbit/s on a 300 kbit/s link).
     */
    default long probeTargetBps(int clusterId) {
        return Long.MAX_VALUE;
    }
}
