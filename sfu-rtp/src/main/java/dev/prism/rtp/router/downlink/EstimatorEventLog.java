package dev.prism.rtp.router.downlink;

import dev.prism.rtp.bwe.LinkDropDetector;
import dev.prism.rtp.bwe.Prober;
import dev.prism.rtp.bwe.SendSideEstimator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's view of one subscriber's estimator at the moments that decide a layer switch: each link drop the
 * {@link LinkDropDetector} found or ignored, with the figures it judged, and each sharp cut by the other rules (INFO:
 * rare); at DEBUG also each standing
 * queue it did not count as a drop, and each probe's start, stop and outcome (every few seconds per limited
 * subscriber: too many lines for a busy node at INFO; enable with
 * {@code -Dorg.slf4j.simpleLogger.log.dev.prism.rtp.router.downlink.EstimatorEventLog=debug}). Issue #14 item 2: a browser run once switched down 2.5 s after a drop the rule
 * did not catch, and without these figures nobody could say why.
 *
 * <p>Called after each transport-cc feedback ({@link #afterFeedback}, 10-20 times a second) and each probe start; it
 * logs at most once per {@link #QUEUE_LOG_INTERVAL_NANOS} for queues that were not drops, always for drops and probe
 * outcomes (a few per second at most). Allocates only when it logs. Threading: the subscriber's media event loop.
 */
final class EstimatorEventLog {
    private static final Logger log = LoggerFactory.getLogger(EstimatorEventLog.class);
    /** A standing queue the rule did not count as a drop is logged at most this often. */
    static final long QUEUE_LOG_INTERVAL_NANOS = 1_000_000_000L;
    /** Queues shorter than this (mean, per judged interval) are not worth a line. */
    static final long QUEUE_LOG_MICROS = 25_000;

    private String name = "-";
    private long lastQueueLogNanos = Long.MIN_VALUE;
    private long seenDrops;
    private long seenIgnored;
    private long seenSharpCuts;
    private long seenSucceeded;
    private long seenFailed;
    private long seenAborted;

    /** The subscriber's transport id, for the log lines. */
    void setName(String name) {
        this.name = name;
    }

    /** After each feedback: what the link drop rule judged and how the latest probe ended, when it matters. */
    void afterFeedback(SendSideEstimator estimator, Prober prober, long nowNanos) {
        if (!log.isInfoEnabled()) {
            return;
        }
        boolean debug = log.isDebugEnabled();
        LinkDropDetector d = estimator.linkDropDetector();
        if (estimator.linkDrops() != seenDrops) {
            seenDrops = estimator.linkDrops();
            log.info("transport={} link drop {}: {}; estimate now {} kbit/s", name, seenDrops, d.describeLast(),
                    estimator.estimateBps() / 1000);
        } else if (estimator.linkDropsBelowEstimate() != seenIgnored) {
            seenIgnored = estimator.linkDropsBelowEstimate();
            log.info("transport={} link drop ignored (the estimate {} kbit/s already respects it): {}", name,
                    estimator.estimateBps() / 1000, d.describeLast());
        } else if (estimator.sharpCuts() != seenSharpCuts) {
            seenSharpCuts = estimator.sharpCuts();
            log.info("transport={} sharp cut {} by the delay or loss rules (not a link drop: {}); estimate now {} kbit/s,"
                    + " the prober retries above {} kbit/s", name, seenSharpCuts, d.describeLast(),
                    estimator.estimateBps() / 1000, prober.measuredCapacityBps() / 1000);
        } else if (debug && d.lastVerdict() != LinkDropDetector.Verdict.DROP
                && (d.lastQueueMeanMicros() >= QUEUE_LOG_MICROS || d.lastLost() > 0)
                && (lastQueueLogNanos == Long.MIN_VALUE || nowNanos - lastQueueLogNanos >= QUEUE_LOG_INTERVAL_NANOS)) {
            lastQueueLogNanos = nowNanos;
            log.debug("transport={} queue, no link drop: {}; estimate {} kbit/s", name, d.describeLast(),
                    estimator.estimateBps() / 1000);
        }
        if (prober.aborted() != seenAborted) {
            seenAborted = prober.aborted();
            log.debug("transport={} probe stopped: its packets queued up; estimate {} kbit/s", name,
                    estimator.estimateBps() / 1000);
        }
        if (prober.succeeded() != seenSucceeded || prober.failed() != seenFailed) {
            boolean ok = prober.succeeded() != seenSucceeded;
            seenSucceeded = prober.succeeded();
            seenFailed = prober.failed();
            log.debug("transport={} probe {}; measured capacity {} kbit/s, next in {} ms, estimate {} kbit/s", name,
                    ok ? "succeeded" : "failed", prober.measuredCapacityBps() / 1000, prober.backoffMillis(),
                    estimator.estimateBps() / 1000);
        }
    }

    /** A probe started. */
    void probeStarted(long targetBps, long durationMillis, long estimateBps) {
        log.debug("transport={} probe to {} kbit/s for {} ms, estimate {} kbit/s", name, targetBps / 1000,
                durationMillis, estimateBps / 1000);
    }
}
