package dev.prism.rtp.bwe;

import dev.prism.core.clock.MonoClock;
import dev.prism.rtp.rtcp.TransportCcFeedback;

/**
 * Estimates one subscriber's downlink from the transport-cc feedback it sends about the packets Prism sent it, the way
 * Google congestion control does (draft-ietf-rmcat-gcc-02 with the trendline filter browsers use):
 *
 * <ol>
 *   <li>{@link #onPacketSent}: the forwarder stamps every packet to this subscriber with the next transport-wide
 *       sequence number and tells the estimator its size and probe cluster; the send time is read from the clock.</li>
 *   <li>{@link #onFeedback}: each reported packet is matched to what was sent. Received ones feed the delay-gradient
 *       chain ({@link InterArrival} -> {@link TrendlineFilter} -> {@link OveruseDetector} -> {@link AimdRateControl}),
 *       the acknowledged rate and the probe measurements; reported losses feed the {@link LossBasedController}.</li>
 *   <li>A link that drops far below what is sent (a standing queue, arrivals well behind sending) is caught by the
 *       {@link LinkDropDetector} within one or two feedback messages: the estimate falls at once to
 *       {@link AimdRateControl#BETA} x the rate the link delivered, and the prober treats that as the path's measured
 *       capacity. A probe evaluated by the same feedback cannot lift the estimate above it; from then on the
 *       delay-based estimate does not grow by itself past what the path has proven to carry (that capacity, raised
 *       by each successful probe).</li>
 *   <li>A probe cluster whose packets queue up ({@link ProbeMeasurements#QUEUE_GROWTH_FAIL_MICROS}) has failed: the
 *       prober hears it at once ({@link ProbeObserver#onProbeQueueing}) and stops the cluster while the path's queue
 *       still has room; its result is what arrived once the queue stood (the capacity), never the rate a token
 *       bucket's burst let through before.</li>
 *   <li>The estimate is {@code min(delay-based, loss cap, recent REMB)} clamped to the configured range.</li>
 *   <li>{@link #onTick}: when packets went out but no feedback came for {@link Config#feedbackTimeoutMillis}, the
 *       estimate halves (once per timeout): either the feedback path or the link is down, and in both cases sending
 *       less is right. A lost feedback message alone costs nothing; its packets are simply never reported. Earlier,
 *       from {@link #FEEDBACK_OVERDUE_MILLIS} of silence, the estimate is held and no probe starts
 *       ({@link #isCongested()}).</li>
 * </ol>
 *
 * <p>Duplicate reports of a packet are ignored; a packet reported lost and later received counts as received for the
 * delay chain. Feedback is matched by the 16-bit transport-wide number against the newest sent, so wrap-around needs
 * nothing special; reports older than the sent history ({@link SentPacketHistory#CAPACITY} packets) are ignored.
 *
 * <p>Threads: one instance per subscriber transport, on its event loop; not thread-safe. {@link #onPacketSent}
 * allocates nothing; {@link #onFeedback} allocates nothing either (the feedback message itself was allocated by its
 * parser).
 */
public final class SendSideEstimator implements BandwidthEstimator {
    /**
     * @param startBps              estimate before any feedback
     * @param minBps                floor (enough for audio and the lowest video layer of one stream)
     * @param maxBps                ceiling
     * @param feedbackTimeoutMillis silence of the feedback path, while sending, that halves the estimate
     * @param rembTimeoutMillis     how long a received REMB keeps capping the estimate
     */
    public record Config(long startBps, long minBps, long maxBps, long feedbackTimeoutMillis, long rembTimeoutMillis) {
        public static final Config DEFAULT = new Config(1_000_000, 50_000, 30_000_000, 1_000, 3_000);

        public Config {
            if (minBps <= 0 || maxBps < minBps || startBps < minBps || startBps > maxBps) {
                throw new IllegalArgumentException("start " + startBps + " min " + minBps + " max " + maxBps);
            }
            if (feedbackTimeoutMillis <= 0 || rembTimeoutMillis <= 0) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
    }

    private static final byte UNREPORTED = 0;
    private static final byte REPORTED_LOST = 1;
    /** Most lost retransmissions one feedback message hands back for a second try ({@link #lostRepair}). */
    static final int MAX_LOST_REPAIRS = 64;
    /** Feedback silence, while sending, after which no probe starts ({@link #isFeedbackOverdue()}). */
    static final long FEEDBACK_OVERDUE_MILLIS = 300;
    /**
     * A feedback that cuts the estimate below this share of what it was is a sharp cut: the prober treats it as a
     * measured capacity ({@link ProbeObserver#onLinkDrop}) even when the link drop rule did not fire.
     */
    static final double SHARP_CUT_SHARE = 0.7;
    /**
     * How long after a probe's result the delay-based estimate stays at least {@link AimdRateControl#BETA} x what the
     * probe measured ({@link #probeFloorBps}): the time the queue the probe itself built takes to drain and to stop
     * showing as overuse.
     */
    static final long PROBE_FLOOR_MICROS = 1_000_000;

    private final MonoClock clock;
    private final Config config;
    private final SentPacketHistory history = new SentPacketHistory();
    private final byte[] lostReported = new byte[SentPacketHistory.CAPACITY];
    /** Per slot: the packet was a retransmission answering a NACK ({@link #markRepair}). */
    private final boolean[] repair = new boolean[SentPacketHistory.CAPACITY];
    private final int[] lostRepairs = new int[MAX_LOST_REPAIRS];
    private int lostRepairCount;
    private final LossClassifier classifier = new LossClassifier();
    private final LinkDropDetector linkDrop = new LinkDropDetector();
    private final InterArrival interArrival = new InterArrival();
    private final TrendlineFilter trendline = new TrendlineFilter();
    private final OveruseDetector detector = new OveruseDetector();
    private final AimdRateControl aimd;
    private final AckedBitrate acked = new AckedBitrate();
    private final LossBasedController loss = new LossBasedController();
    private final ProbeMeasurements probes = new ProbeMeasurements();
    private ProbeObserver probeObserver;

    private long estimate;
    /**
     * Since a link drop: the most the path has proven to carry (the capacity the drop measured, raised by each
     * successful probe). The delay-based estimate does not grow past it by itself, only probes raise it; 0 before any
     * drop.
     */
    private long linkCapBps;
    /**
     * {@link AimdRateControl#BETA} x the latest probe result, kept until {@link #probeFloorUntilMicros}: a probe that
     * failed (its packets queued up) made the delay rule see overuse, and the cut that follows is the probe's own
     * queue, not the media's. Measured on H264BrowserTest's limit (300 kbit/s, 50 ms of queue), with the subscriber's
     * video paused: each retry measured 243-285 kbit/s and the cut took the estimate to 0.85 x the rate acknowledged
     * meanwhile (mostly audio), 144-196 kbit/s, where the estimate, application-limited, stayed: the lowest layer never
     * came back while the link carried it.
     */
    private long probeFloorBps;
    private long probeFloorUntilMicros;
    private long rttMillis = 100;
    private long rembBps;
    private long rembAtNanos;
    private boolean hasRemb;
    private BandwidthUsage usage = BandwidthUsage.NORMAL;

    private boolean sentSinceFeedback;
    private long firstSentSinceFeedbackNanos;
    private long lastFeedbackNanos;
    private long lastTimeoutCutNanos;
    private int expectedFeedbackCount = -1;

    private long feedbacks;
    private long lostFeedbacks;
    private long unknownReports;
    private long timeoutCuts;
    private long linkDrops;
    private long linkDropsBelowEstimate;
    private long sharpCuts;
    private long packetsSent;

    public SendSideEstimator(MonoClock clock, Config config) {
        this.clock = clock;
        this.config = config;
        this.aimd = new AimdRateControl(config.startBps(), config.minBps(), config.maxBps());
        this.estimate = config.startBps();
    }

    /** Receives every probe cluster's result (usually {@link Prober#onProbeResult}). */
    public void setProbeObserver(ProbeObserver observer) {
        this.probeObserver = observer;
    }

    /**
     * A packet is being sent now with this transport-wide sequence number. Hot path: no allocation.
     *
     * @param sizeBytes      the whole RTP packet as sent (headers included, SRTP tag optional but consistent)
     * @param probeClusterId {@link Prober#activeClusterId()} at send time, -1 outside probing
     */
    public void onPacketSent(int transportSeq, int sizeBytes, int probeClusterId) {
        long nowNanos = clock.nanos();
        long nowMicros = nowNanos / 1000;
        int slot = history.add(transportSeq, sizeBytes, nowMicros, probeClusterId);
        lostReported[slot] = UNREPORTED;
        repair[slot] = false;
        probes.onSent(probeClusterId, sizeBytes, nowMicros);
        packetsSent++;
        if (!sentSinceFeedback) {
            sentSinceFeedback = true;
            firstSentSinceFeedbackNanos = nowNanos;
        }
    }

    /**
     * The packet just sent with {@code transportSeq} is a retransmission answering a NACK: its delivery tells the loss
     * classifier whether loss is being repaired, and its loss is handed back by {@link #lostRepair} for a second try.
     */
    public void markRepair(int transportSeq) {
        int slot = history.find(transportSeq);
        if (slot >= 0) {
            repair[slot] = true;
        }
    }

    /** Transport-cc feedback from the subscriber (RTPFB FMT 15). */
    public void onFeedback(TransportCcFeedback fb) {
        long nowNanos = clock.nanos();
        long nowMicros = nowNanos / 1000;
        feedbacks++;
        int count = fb.feedbackPacketCount();
        if (expectedFeedbackCount >= 0) {
            int gap = (count - expectedFeedbackCount) & 0xFF;
            if (gap < 128) {
                lostFeedbacks += gap; // a count ahead of the expected one: messages in between were lost
            }
        }
        expectedFeedbackCount = (count + 1) & 0xFF;
        lastFeedbackNanos = nowNanos;
        sentSinceFeedback = false;

        int received = 0;
        int lost = 0;
        lostRepairCount = 0;
        boolean overuse = false;
        long newestSend = Long.MIN_VALUE;
        int n = fb.packetStatusCount();
        for (int i = 0; i < n; i++) {
            int slot = history.find(fb.sequenceNumber(i));
            if (slot < 0) {
                unknownReports++;
                continue;
            }
            if (history.acked(slot)) {
                continue; // reported received before
            }
            long sendMicros = history.sendMicros(slot);
            newestSend = Math.max(newestSend, sendMicros);
            if (!fb.received(i)) {
                if (lostReported[slot] == UNREPORTED) {
                    lostReported[slot] = REPORTED_LOST;
                    lost++;
                    classifier.onLost(repair[slot]);
                    linkDrop.onLost(sendMicros, history.size(slot));
                    if (repair[slot] && lostRepairCount < MAX_LOST_REPAIRS) {
                        lostRepairs[lostRepairCount++] = fb.sequenceNumber(i);
                    }
                }
                continue;
            }
            history.ack(slot);
            received++;
            int size = history.size(slot);
            long arrival = fb.arrivalTimeMicros(i);
            classifier.onReceived(sendMicros, arrival, repair[slot]);
            linkDrop.onReceived(sendMicros, arrival, size, classifier.latestQueueDelayMicros());
            acked.add(arrival, size);
            probes.onReceived(history.cluster(slot), size, sendMicros, arrival, classifier.latestQueueDelayMicros());
            if (interArrival.add(sendMicros, arrival)) {
                double sendDeltaMs = interArrival.sendDeltaMicros() / 1000.0;
                double variation = interArrival.arrivalDeltaMicros() / 1000.0 - sendDeltaMs;
                double trend = trendline.update(variation, interArrival.lastGroupArrivalMicros() / 1000.0);
                BandwidthUsage u = detector.detect(trend, sendDeltaMs, trendline.samples(), nowMicros / 1000.0);
                overuse |= u == BandwidthUsage.OVERUSING;
            }
        }
        int queueingCluster = probes.onFeedbackEnd();
        if (queueingCluster >= 0) {
            long measured = probes.queuedCapacityBps(queueingCluster);
            if (measured > 0) {
                // The overuse its queue shows now (this very feedback) must not cut below what it measured.
                probeFloorBps = (long) (AimdRateControl.BETA * measured);
                probeFloorUntilMicros = nowMicros + PROBE_FLOOR_MICROS;
            }
            if (probeObserver != null) {
                probeObserver.onProbeQueueing(queueingCluster); // stop it before the queue it builds overflows
            }
        }
        usage = overuse ? BandwidthUsage.OVERUSING : detector.state();
        loss.onPackets(received, lost);
        LossClassifier.LossKind kind = classifier.onFeedback(usage == BandwidthUsage.OVERUSING, nowMicros);

        long before = estimate;
        long delayBased = aimd.update(usage, acked.rateBps(), nowMicros);
        long capacity = linkDrop.onFeedback(usage == BandwidthUsage.OVERUSING);
        if (capacity != LinkDropDetector.NO_DROP && AimdRateControl.BETA * capacity >= before) {
            // The link carries more than the estimate already allows: a probe or a key frame burst overran it for a
            // moment, which the delay and loss rules handle. Not a drop.
            capacity = LinkDropDetector.NO_DROP;
            linkDropsBelowEstimate++;
        }
        if (capacity != LinkDropDetector.NO_DROP) {
            // The link carries only `capacity` now: below it at once, so the queue drains and the allocation steps
            // down in one go (one switch, one key frame request) instead of one layer per loss cut.
            aimd.dropTo((long) (AimdRateControl.BETA * capacity), capacity, nowMicros);
            linkCapBps = capacity;
            linkDrops++;
            delayBased = aimd.estimate();
            if (probeObserver != null) {
                probeObserver.onLinkDrop(capacity);
            }
        }
        if (linkCapBps > 0 && delayBased > linkCapBps) {
            // Additive increase alone would reach the next layer's price on a link that has not changed since it
            // dropped (measured: 286 -> 409 kbit/s in 3.5 s on a 300 kbit/s link, an upgrade, a queue, a switch
            // back: two key frames). Only a probe proves it wider.
            aimd.setEstimate(linkCapBps);
            delayBased = aimd.estimate();
        }
        if (newestSend != Long.MIN_VALUE) {
            long probe = probes.evaluate(newestSend, probeObserver,
                    capacity != LinkDropDetector.NO_DROP ? capacity : Long.MAX_VALUE);
            if (probe > delayBased && usage != BandwidthUsage.OVERUSING && capacity == LinkDropDetector.NO_DROP) {
                if (linkCapBps > 0) {
                    linkCapBps = Math.max(linkCapBps, probe); // what the path has proven to carry since the drop
                }
                aimd.setEstimate(probe);
                delayBased = aimd.estimate();
                loss.onProbeResult(probe);
            }
            if (probe > 0 && capacity == LinkDropDetector.NO_DROP) {
                probeFloorBps = (long) (AimdRateControl.BETA * probe);
                probeFloorUntilMicros = nowMicros + PROBE_FLOOR_MICROS;
            }
        }
        if (capacity == LinkDropDetector.NO_DROP && nowMicros < probeFloorUntilMicros && delayBased < probeFloorBps) {
            // The probe's own queue cut the estimate below what the probe had just measured the path to carry.
            aimd.setEstimate(probeFloorBps);
            delayBased = aimd.estimate();
        }
        long lossCap = loss.update(before, nowMicros, rttMillis, acked.rateBps(), kind);
        estimate = combine(delayBased, lossCap, nowNanos);
        if (capacity == LinkDropDetector.NO_DROP && estimate < before * SHARP_CUT_SHARE && probeObserver != null
                && acked.rateBps() > 0) {
            // A sharp cut by the delay or loss rules, which the drop rule did not count (with the pacer on, the
            // narrow link's queue stood below 50 ms without losses, twice in one browser run): the path carries about
            // what was acknowledged, and the next probes must be the long retries that a token bucket cannot swallow
            // (100 ms probes passed through its burst: four false upgrades in 15 s on the 300 kbit/s link).
            probeObserver.onLinkDrop(Math.max(estimate, acked.rateBps()));
            sharpCuts++;
        }
    }

    /** A REMB from the subscriber: caps the estimate for {@link Config#rembTimeoutMillis}. */
    public void onRemb(long bitrateBps) {
        rembBps = bitrateBps;
        rembAtNanos = clock.nanos();
        hasRemb = true;
        estimate = combine(aimd.estimate(), loss.cap(), rembAtNanos);
    }

    /** Round-trip time to the subscriber (from its receiver reports), for the rate controller's pacing. */
    public void setRttMillis(long rtt) {
        rttMillis = Math.max(1, rtt);
        aimd.setRttMillis(rttMillis);
    }

    /** Periodic check (every ~100 ms from the owner's timer): feedback timeout and REMB expiry. */
    public void onTick() {
        long now = clock.nanos();
        long timeout = config.feedbackTimeoutMillis() * 1_000_000L;
        // Silence counts from the first packet sent since the latest feedback, and again from each cut.
        long silentSince = timeoutCuts > 0 ? Math.max(firstSentSinceFeedbackNanos, lastTimeoutCutNanos)
                : firstSentSinceFeedbackNanos;
        if (sentSinceFeedback && now - silentSince >= timeout) {
            timeoutCuts++;
            lastTimeoutCutNanos = now;
            aimd.setEstimate(estimate / 2);
        }
        estimate = combine(aimd.estimate(), loss.cap(), now);
    }

    private long combine(long delayBased, long lossCap, long nowNanos) {
        long e = Math.min(delayBased, lossCap);
        if (hasRemb && nowNanos - rembAtNanos < config.rembTimeoutMillis() * 1_000_000L) {
            e = Math.min(e, rembBps);
        }
        return Math.max(config.minBps(), Math.min(config.maxBps(), e));
    }

    @Override
    public long estimateBps() {
        return estimate;
    }

    /** The detector's latest verdict. */
    public BandwidthUsage usage() {
        return usage;
    }

    /** Loss fraction of the latest loss evaluation window (0..1). */
    public double lossFraction() {
        return loss.lossFraction();
    }

    /** The rate the subscriber acknowledged recently, 0 while unknown. */
    public long ackedBitrateBps() {
        return acked.rateBps();
    }

    /**
     * True while probing would be unwise: the path is overused, the rate was cut within the last second, or recent
     * loss is above the low threshold and not random loss that retransmission repairs ({@link LossClassifier}).
     */
    public boolean isCongested() {
        long now = clock.nanos();
        long nowMicros = now / 1000;
        return isFeedbackOverdue(now) || usage == BandwidthUsage.OVERUSING || nowMicros - aimd.lastDecreaseMicros() < 1_000_000
                || loss.lossFraction() >= LossBasedController.LOW_LOSS
                        && classifier.kind() != LossClassifier.LossKind.RANDOM;
    }

    /**
     * True while packets went out {@link #FEEDBACK_OVERDUE_MILLIS} ago or more and no feedback came since: the
     * subscriber normally reports every 50-100 ms, so a gap this long means its feedback or its link stalled. The
     * estimate is held (it moves only on feedback) and no probe starts into a path that may be down; the feedback
     * timeout ({@link Config#feedbackTimeoutMillis}) cuts it if the gap lasts.
     */
    public boolean isFeedbackOverdue() {
        return isFeedbackOverdue(clock.nanos());
    }

    private boolean isFeedbackOverdue(long now) {
        return sentSinceFeedback && feedbacks > 0
                && now - firstSentSinceFeedbackNanos >= FEEDBACK_OVERDUE_MILLIS * 1_000_000L;
    }

    /**
     * Times the link was found to have dropped below what was sent and below the estimate, which then fell
     * ({@link LinkDropDetector}).
     */
    public long linkDrops() {
        return linkDrops;
    }

    /** Drops the detector found that the estimate already respected (ignored: see {@link #linkDrops}). */
    public long linkDropsBelowEstimate() {
        return linkDropsBelowEstimate;
    }

    /** Sharp cuts by the delay or loss rules the prober was told of as a measured capacity ({@link #SHARP_CUT_SHARE}). */
    public long sharpCuts() {
        return sharpCuts;
    }

    /** The link drop rule (its latest judgement, for the operator's log). */
    public LinkDropDetector linkDropDetector() {
        return linkDrop;
    }

    /** What the latest loss was judged to be. */
    public LossClassifier.LossKind lossKind() {
        return classifier.kind();
    }

    /** The loss classifier (its latest window's figures, for operators and tests). */
    public LossClassifier lossClassifier() {
        return classifier;
    }

    /** Retransmissions the latest feedback reported lost for the first time (see {@link #lostRepair}). */
    public int lostRepairCount() {
        return lostRepairCount;
    }

    /** The transport-wide sequence number of the {@code i}-th retransmission the latest feedback reported lost. */
    public int lostRepair(int i) {
        return lostRepairs[i];
    }

    public long feedbacks() {
        return feedbacks;
    }

    /** Feedback messages missing from the subscriber's count sequence. */
    public long lostFeedbacks() {
        return lostFeedbacks;
    }

    /** Reported packets that were never sent or are older than the history. */
    public long unknownReports() {
        return unknownReports;
    }

    /** Times the estimate was halved for lack of feedback. */
    public long timeoutCuts() {
        return timeoutCuts;
    }

    public long packetsSent() {
        return packetsSent;
    }

    @Override
    public String toString() {
        return "SendSideEstimator[estimate=" + estimate + " delay=" + aimd.estimate() + " lossCap="
                + (loss.cap() == LossBasedController.NO_CAP ? "none" : loss.cap()) + " usage=" + usage + " acked="
                + acked.rateBps() + " linkDrops=" + linkDrops + " loss=" + Math.round(loss.lossFraction() * 1000) / 1000.0 + " lossKind="
                + classifier + "]"; // no Formatter: the
        // admin sampler asks once a second for every subscriber
    }
}
