package dev.prism.rtp.bwe;

import dev.prism.core.clock.MonoClock;

/**
 * Decides when to probe a subscriber's downlink, and how much padding keeps a probe at its rate. An SFU forwards whole
 * layers, so it usually sends less than its estimate, and a delay-based estimator cannot rise far above what is sent
 * ({@link AimdRateControl}). When the allocator wants more than the estimate allows, a short burst above the estimate
 * tells whether the path can carry the next layer.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Probe only when the allocation is limited by the estimate (desired &gt; estimate, or less than desired
 *       allocated while the estimate is below {@code desired x goalHeadroom}: the allocator's upgrade headroom), the
 *       path is not congested, no probe is running or awaiting its result, and the back-off since the last probe has
 *       passed.</li>
 *   <li>Target: {@code min(estimate x maxStepFactor, desired x goalHeadroom)}: enough for the allocator's upgrade
 *       headroom, never a jump that could hurt a path that turns out narrow.</li>
 *   <li>During the cluster, {@link #paddingBytesDue()} says how much padding (RTX of recent packets, or padding-only
 *       packets) to add on top of the media so the total reaches the target; every packet sent in the cluster goes
 *       through {@link #onSent} and carries {@link #activeClusterId()} into the estimator.</li>
 *   <li>Result ({@link #onProbeResult}, from the estimator): success when the path delivered at least 90% of the
 *       target; then the next probe may follow after {@link Config#minIntervalMillis}, stepping the estimate up
 *       towards the desired rate. Anything less means the path's capacity was found (the estimator already took the
 *       measured rate): the back-off doubles, up to {@link Config#maxBackoffMillis}, and later probes aim only
 *       {@link Config#retryStepFactor} above that capacity until one succeeds, so a narrow path is not hammered with
 *       bursts that only build its queue, yet a path that widens again is noticed. No result within
 *       {@link Config#resultTimeoutMillis} is a failure.</li>
 *   <li>A cluster whose packets queue up at the bottleneck stops at once ({@link #onProbeQueueing}) and fails: the
 *       path cannot carry its rate, and more of it would run the queue over and lose media.</li>
 * </ul>
 *
 * <p>One instance per subscriber transport, on its event loop; not thread-safe. {@link #paddingBytesDue},
 * {@link #onSent} and {@link #activeClusterId} allocate nothing.
 */
public final class Prober implements ProbeObserver {
    /**
     * @param clusterMillis       length of one probe
     * @param maxStepFactor       largest probe target relative to the estimate
     * @param goalHeadroom        probe target relative to the desired rate (covers the allocator's upgrade headroom)
     * @param minIntervalMillis   wait after a successful probe
     * @param maxBackoffMillis    longest wait after repeated failures
     * @param resultTimeoutMillis a probe without a result after this long failed
     * @param retryStepFactor     after a failure that measured the path's capacity, the next probes aim at most this
     *                            far above it (and the estimate), until one succeeds: enough to notice the path
     *                            widening, little enough not to flood a narrow path; {@code maxStepFactor} for no
     *                            such limit
     * @param retryClusterMillis  length of those probes: longer than a first probe, because a short burst only a
     *                            little above a narrow path's rate is swallowed by its buffers (a token bucket's burst,
     *                            a queue) and would look like success
     */
    public record Config(long clusterMillis, double maxStepFactor, double goalHeadroom, long minIntervalMillis,
                         long maxBackoffMillis, long resultTimeoutMillis, double retryStepFactor,
                         long retryClusterMillis) {
        public static final Config DEFAULT = new Config(100, 2.0, 1.2, 1_000, 60_000, 2_000);

        public Config {
            if (clusterMillis <= 0 || maxStepFactor <= 1 || goalHeadroom < 1 || minIntervalMillis < 0
                    || maxBackoffMillis < minIntervalMillis || resultTimeoutMillis <= 0 || retryStepFactor <= 1
                    || retryClusterMillis <= 0) {
                throw new IllegalArgumentException(toString());
            }
        }

        /** Without a retry step limit. */
        public Config(long clusterMillis, double maxStepFactor, double goalHeadroom, long minIntervalMillis,
                      long maxBackoffMillis, long resultTimeoutMillis) {
            this(clusterMillis, maxStepFactor, goalHeadroom, minIntervalMillis, maxBackoffMillis, resultTimeoutMillis,
                    maxStepFactor, clusterMillis);
        }

        /** Retries as long as first probes. */
        public Config(long clusterMillis, double maxStepFactor, double goalHeadroom, long minIntervalMillis,
                      long maxBackoffMillis, long resultTimeoutMillis, double retryStepFactor) {
            this(clusterMillis, maxStepFactor, goalHeadroom, minIntervalMillis, maxBackoffMillis, resultTimeoutMillis,
                    retryStepFactor, clusterMillis);
        }
    }

    /**
     * How long after a link drop every probe lasts {@link Config#retryClusterMillis}, successful ones too: the first
     * retry that fits the narrow link succeeds, and a short probe after it would pass through the link's token bucket
     * burst as success again (measured: 150 -> 728 kbit/s on a 300 kbit/s link, one false upgrade).
     */
    static final long LINK_DROP_MEMORY_NANOS = 20_000_000_000L;
    /** Pacing granularity: padding is released this far ahead of the exact schedule. */
    private static final long LOOKAHEAD_NANOS = 5_000_000;
    /** A probe succeeded when the path delivered this share of its target: the goal is reachable. */
    private static final double SUCCESS_SHARE = 0.9;

    private final MonoClock clock;
    private final Config config;
    private int nextId;
    private ProbeCluster cluster;
    private long clusterStartNanos;
    private long clusterSentBytes;
    private boolean running;
    private boolean awaitingResult;
    private long endedNanos;
    private long nextAllowedNanos;
    private long backoffMillis;
    private boolean everStarted;
    /** The capacity the latest failed probe measured, 0 after a success or before any failure. */
    private long measuredCapacityBps;
    /** When the latest link drop was reported ({@link #onLinkDrop}); valid while {@link #linkDropped}. */
    private long linkDropNanos;
    private boolean linkDropped;

    private long started;
    private long succeeded;
    private long failed;
    private long stoppedQueueing;

    public Prober(MonoClock clock, Config config) {
        this.clock = clock;
        this.config = config;
        this.backoffMillis = config.minIntervalMillis();
    }

    /**
     * Called on each allocation round. Starts a probe when the rules allow.
     *
     * @param estimateBps  the downlink estimate now
     * @param allocatedBps what the committed allocation sends (media the probe rides on)
     * @param desiredBps   what the allocation would send with an unlimited estimate
     * @param congested    {@link SendSideEstimator#isCongested()}
     * @return the probe started, or null
     */
    public ProbeCluster maybeStart(long estimateBps, long allocatedBps, long desiredBps, boolean congested) {
        long now = clock.nanos();
        expire(now);
        if (running || awaitingResult || congested || !limitedByEstimate(estimateBps, allocatedBps, desiredBps)) {
            return null;
        }
        if (everStarted && now - nextAllowedNanos < 0) {
            return null;
        }
        long target = (long) Math.min(estimateBps * config.maxStepFactor(), desiredBps * config.goalHeadroom());
        boolean retry = measuredCapacityBps > 0;
        boolean afterDrop = linkDropped && now - linkDropNanos < LINK_DROP_MEMORY_NANOS;
        if (retry && afterDrop) {
            // Aim above the capacity the drop measured even when the estimate sits below it: a probe at 2 x a low
            // estimate (446 kbit/s on a 300 kbit/s link) fits in the link's burst allowance and passes.
            target = (long) Math.min(desiredBps * config.goalHeadroom(),
                    Math.max(estimateBps, measuredCapacityBps) * config.retryStepFactor());
        } else if (retry) {
            target = Math.min(target, (long) (Math.max(estimateBps, measuredCapacityBps) * config.retryStepFactor()));
        }
        if (target <= Math.max(estimateBps, allocatedBps)) {
            return null;
        }
        cluster = new ProbeCluster(nextId++, target,
                retry || afterDrop ? config.retryClusterMillis() : config.clusterMillis(), estimateBps);
        nextId &= Integer.MAX_VALUE;
        clusterStartNanos = now;
        clusterSentBytes = 0;
        running = true;
        everStarted = true;
        started++;
        return cluster;
    }

    /**
     * Whether the estimate keeps the allocation below what it desires: the estimate is below the desired rate, or the
     * allocation sends less than desired while the estimate is short of {@code desired x goalHeadroom}. The second
     * case is the allocator's upgrade headroom: an estimate just above the desired rate (a probe that measured a
     * little more than it, or fell a little short of its target) does not pay for the top layer's headroom, and an
     * application-limited sender cannot raise it without probing. Probing only below the desired rate left such a
     * subscriber on a lower layer for good (a fake-clock run: estimate 2.57 Mbit/s for a 2.5 Mbit/s top layer that
     * needs 2.875, no probe in 25 s).
     */
    private boolean limitedByEstimate(long estimateBps, long allocatedBps, long desiredBps) {
        return desiredBps > estimateBps
                || allocatedBps < desiredBps && desiredBps * config.goalHeadroom() > estimateBps;
    }

    /** The running cluster's id for packets sent now, or -1; ends the cluster when its time is up. */
    public int activeClusterId() {
        expire(clock.nanos());
        return running ? cluster.id() : -1;
    }

    /** Padding bytes to send now so that media plus padding meet the cluster's target; 0 outside a cluster. */
    public int paddingBytesDue() {
        long now = clock.nanos();
        expire(now);
        if (!running) {
            return 0;
        }
        long end = clusterStartNanos + cluster.durationMillis() * 1_000_000L;
        long until = Math.min(now + LOOKAHEAD_NANOS, end);
        long owed = cluster.targetBps() * (until - clusterStartNanos) / 8 / 1_000_000_000L;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, owed - clusterSentBytes));
    }

    /** Any packet (media or padding) sent to this subscriber; counts toward the running cluster. */
    public void onSent(int bytes) {
        if (running) {
            clusterSentBytes += bytes;
        }
    }

    @Override
    public void onProbeResult(int clusterId, long resultBps) {
        if (cluster == null || clusterId != cluster.id() || running && clock.nanos() < endNanos()) {
            return; // not the latest probe, or early evaluation of a cluster still sending
        }
        if (!awaitingResult && !running) {
            return; // already concluded (timed out)
        }
        running = false;
        awaitingResult = false;
        boolean success = resultBps >= cluster.targetBps() * SUCCESS_SHARE;
        if (!success && resultBps > 0) {
            measuredCapacityBps = resultBps; // what the path delivered: the capacity, as far as it was found
        }
        conclude(success, clock.nanos());
    }

    /**
     * The link dropped to {@code capacityBps} ({@link LinkDropDetector}): counts as a failed probe that measured that
     * capacity (a running cluster ends). The back-off grows, and the next probes are retries, at most
     * {@link Config#retryStepFactor} above it and {@link Config#retryClusterMillis} long: after a drop the path is a
     * narrow one until a probe proves otherwise, and a short burst into a narrow link's token bucket passes unharmed
     * and would look like the link had widened again.
     */
    @Override
    public void onLinkDrop(long capacityBps) {
        if (capacityBps <= 0) {
            return;
        }
        measuredCapacityBps = capacityBps;
        linkDropped = true;
        linkDropNanos = clock.nanos();
        running = false;
        awaitingResult = false;
        conclude(false, clock.nanos());
    }

    /**
     * The running cluster's packets queue up at the bottleneck ({@link ProbeMeasurements}): it stops sending now, and
     * its result (a failure: what the bottleneck delivered once the queue stood, or 0) concludes it. A retry on a narrow link would
     * otherwise run its queue over and lose media with the padding every few seconds.
     */
    @Override
    public void onProbeQueueing(int clusterId) {
        if (!running || cluster == null || clusterId != cluster.id()) {
            return;
        }
        long now = clock.nanos();
        running = false;
        awaitingResult = true;
        endedNanos = now;
        stoppedQueueing++;
    }

    /** The latest cluster's target; no measurement of it counts above that. */
    @Override
    public long probeTargetBps(int clusterId) {
        return cluster != null && clusterId == cluster.id() ? cluster.targetBps() : Long.MAX_VALUE;
    }

    private void expire(long now) {
        if (running && now - endNanos() >= 0) {
            running = false;
            awaitingResult = true;
            endedNanos = endNanos();
        }
        if (awaitingResult && now - endedNanos >= config.resultTimeoutMillis() * 1_000_000L) {
            awaitingResult = false;
            conclude(false, now);
        }
    }

    private long endNanos() {
        return clusterStartNanos + cluster.durationMillis() * 1_000_000L;
    }

    private void conclude(boolean success, long now) {
        if (success) {
            succeeded++;
            measuredCapacityBps = 0;
            backoffMillis = config.minIntervalMillis();
        } else {
            failed++;
            backoffMillis = Math.min(config.maxBackoffMillis(), Math.max(1, backoffMillis) * 2);
        }
        nextAllowedNanos = now + backoffMillis * 1_000_000L;
    }

    /** True while a cluster is sending. */
    public boolean isProbing() {
        return activeClusterId() >= 0;
    }

    /** The capacity the latest failed probe measured; 0 after a success or before any failure. */
    public long measuredCapacityBps() {
        return measuredCapacityBps;
    }

    /** The wait imposed after the latest result. */
    public long backoffMillis() {
        return backoffMillis;
    }

    public long started() {
        return started;
    }

    public long succeeded() {
        return succeeded;
    }

    public long failed() {
        return failed;
    }

    /** Clusters stopped early because their packets queued up ({@link #onProbeQueueing}). */
    public long aborted() {
        return stoppedQueueing;
    }
}
