package dev.prism.rtp.bwe;

/**
 * One probe: for {@code durationMillis}, everything sent to the subscriber (media plus padding) runs at
 * {@code targetBps} and is stamped with {@code id}, so the estimator can measure what the path delivered.
 *
 * @param baselineBps the estimate when the probe started (for logs and debugging)
 */
public record ProbeCluster(int id, long targetBps, long durationMillis, long baselineBps) {
}
