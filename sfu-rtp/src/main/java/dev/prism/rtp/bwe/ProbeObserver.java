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
}
