package dev.prism.rtp.router.downlink;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.rtp.MediaKind;
import dev.prism.rtp.alloc.Allocation;
import dev.prism.rtp.alloc.Assignment;
import dev.prism.rtp.alloc.BitrateAllocator;
import dev.prism.rtp.alloc.LayerStats;
import dev.prism.rtp.alloc.Subscription;
import dev.prism.rtp.bwe.LossClassifier;
import dev.prism.rtp.bwe.ProbeCluster;
import dev.prism.rtp.bwe.Prober;
import dev.prism.rtp.bwe.ReceiverReportLossEstimator;
import dev.prism.rtp.bwe.RembEstimator;
import dev.prism.rtp.bwe.SendSideEstimator;
import dev.prism.rtp.layer.LayerSelector;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.rtcp.TransportCcFeedback;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber's downlink: applies the decisions of its bandwidth estimator, prober and bitrate allocator (pure
 * objects, see {@code docs/SIMULCAST.md}) to its consumers.
 *
 * <ul>
 *   <li>Estimate: a {@link SendSideEstimator} fed by the subscriber's transport-cc feedback about the packets Prism
 *       numbered for it ({@link #onPacketSent}); a {@link RembEstimator} when the subscriber negotiated only REMB; none
 *       ({@link #UNLIMITED_BPS}, every track at its best layer) when it negotiated neither.</li>
 *   <li>Fallback: a subscriber that negotiated transport-cc but sends feedback Prism cannot parse
 *       ({@link #MALFORMED_BEFORE_FALLBACK} in a row) would otherwise look like one whose feedback stopped, and sink to
 *       the floor. Its estimate then comes from its REMB if it sends any (seen within {@link #REMB_FRESH_MILLIS}),
 *       else from the loss in its receiver reports ({@link ReceiverReportLossEstimator}); no probing meanwhile.
 *       {@link #RECOVER_AFTER_VALID} well-formed messages in a row end the fallback. {@link #estimateSource()} says
 *       which applies, for operators.</li>
 *   <li>Allocation: every {@link #ALLOCATION_INTERVAL_MILLIS}, and at once when the estimate moved by more than
 *       {@link #REALLOCATE_ON_CHANGE}, the estimate is shared among the consumers ({@link BitrateAllocator}: audio first,
 *       then video by priority, within each track's preferences, with hysteresis), each consumer's layer target is
 *       set, and the allocation is committed. Video sent as one encoding is served whole, like audio
 *       ({@link #unscalable}).</li>
 *   <li>Probing: after each allocation the {@link Prober} may start a cluster when the allocation is limited by the
 *       estimate; while it runs, {@link #paddingBytesDue()} says how much padding the endpoint should add.</li>
 * </ul>
 *
 * <p>Threading: the media event loop only. Not thread-safe. {@link #onPacketSent} allocates nothing; allocation rounds
 * allocate their small result objects a few times a second.
 */
public final class DownlinkController {
    private static final Logger log = LoggerFactory.getLogger(DownlinkController.class);
    /** How often the allocation runs when the estimate is steady. */
    public static final long ALLOCATION_INTERVAL_MILLIS = 500;
    /** Relative estimate change that triggers an allocation at once. */
    static final double REALLOCATE_ON_CHANGE = 0.10;
    /** The estimate while the subscriber negotiated no feedback Prism can estimate from: no limit. */
    public static final long UNLIMITED_BPS = 100_000_000L;
    /** Audio bitrate assumed until the producer measured one (Opus voice plus headers, on the wire). */
    static final long DEFAULT_AUDIO_BPS = 60_000;
    /** Estimator settings: a 1 Mbit/s start (the lower layers at once, probes for more), a floor for audio + 180p. */
    static final SendSideEstimator.Config ESTIMATOR = new SendSideEstimator.Config(1_000_000, 100_000, 30_000_000,
            1_000, 3_000);

    /**
     * Allocation: 15% upgrade headroom, 3 s upgrade hold after a downgrade, no resolution upgrade below 10 fps, and an
     * upgrade undone within 5 s is retried only at an estimate 25% higher (for a minute): no flapping on a path just
     * wide enough for a layer on paper.
     */
    static final BitrateAllocator.Config ALLOCATOR = new BitrateAllocator.Config(1.15, 3_000, 10,
            new BitrateAllocator.FailedUpgrades(5_000, 60_000, 1.25));
    /**
     * Probing: 100 ms clusters up to twice the estimate, a second apart while they succeed; after failures (the path's
     * capacity was found) at most 4 s apart, so that a path that widens again (the constrained link recovers) is found
     * within seconds. Retries after a failure or a link drop ({@link dev.prism.rtp.bwe.LinkDropDetector}), and every
     * probe for 20 s after a drop, last 800 ms and aim at 1.5 times the capacity the drop measured: long enough to
     * empty a narrow link's token bucket burst (10 KB at 300 kbit/s in the browser test; a 100 ms probe at twice the
     * rate fits in it and passes as success: the estimate climbed to 400-900 kbit/s on a 300 kbit/s link, and each
     * upgrade it allowed cost two key frames and a freeze), then the probe's packets queue up and it stops at once
     * ({@link dev.prism.rtp.bwe.Prober#onProbeQueueing}) while the link's queue still has room. At twice the capacity
     * (600 ms, before) the queue filled faster than feedback could stop the probe: every retry lost media with its
     * padding. On a widened link the probe passes at once. At most 3 s apart, so a lifted limit is found and the top
     * layer is back within seconds.
     */
    static final Prober.Config PROBER = new Prober.Config(100, 2.0, 1.2, 1_000, 3_000, 2_000, 1.5, 800);

    /** Malformed transport-cc messages in a row (about 100 ms apart) that make the estimate fall back. */
    static final int MALFORMED_BEFORE_FALLBACK = 3;
    /** Well-formed transport-cc messages in a row that end a fallback. */
    static final int RECOVER_AFTER_VALID = 10;
    /** A REMB seen this recently makes the fallback use REMB rather than receiver-report loss. */
    static final long REMB_FRESH_MILLIS = 5_000;

    /** Names this subscriber (its transport id) in the estimator's event log lines. */
    public void setLogName(String name) {
        events.setName(name);
    }

    /** What the subscriber negotiated to estimate from. */
    public enum Mode { NONE, TRANSPORT_CC, REMB }

    /** Where the estimate in force comes from; {@link #description()} is what the admin UI shows. */
    public enum EstimateSource {
        NONE("none: no transport-cc or REMB negotiated"),
        TRANSPORT_CC("transport-cc"),
        REMB("REMB"),
        MALFORMED_TRANSPORT_CC_REMB("transport-cc malformed: using REMB"),
        MALFORMED_TRANSPORT_CC_LOSS("transport-cc malformed: using receiver-report loss");

        private final String description;

        EstimateSource(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final MonoClock clock;
    private final BitrateAllocator allocator;
    private Mode mode = Mode.NONE;
    private SendSideEstimator sendSide;
    private RembEstimator remb;
    private Prober prober;
    /** REMB values seen in transport-cc mode too, for the fallback; created by the first REMB. */
    private RembEstimator rembSeen;
    /** Receiver-report loss for the fallback; created by the first loss report. */
    private ReceiverReportLossEstimator reportLoss;
    private boolean transportCcBroken;
    private int malformedInARow;
    private int validInARow;
    private long malformedFeedback;
    private long fallbacks;
    private int nextTransportSeq;
    private Allocation last;
    private long lastAllocationNanos = Long.MIN_VALUE;
    private long lastAllocatedEstimate = -1;
    private long rounds;
    private long probesStarted;
    private long paddingPackets;
    private long paddingBytes;
    private long pathMoves;
    private final EstimatorEventLog events = new EstimatorEventLog();

    public DownlinkController(MonoClock clock) {
        this.clock = clock;
        this.allocator = new BitrateAllocator(clock, ALLOCATOR);
    }

    /**
     * What the subscriber's answer negotiated: transport-cc feedback (preferred) or REMB. Only upgrades take effect
     * (none -> REMB -> transport-cc), so renegotiations that keep the feedback keep the estimator's state.
     */
    public void configure(boolean transportCc, boolean rembOnly) {
        if (transportCc && mode != Mode.TRANSPORT_CC) {
            mode = Mode.TRANSPORT_CC;
            sendSide = new SendSideEstimator(clock, ESTIMATOR);
            prober = new Prober(clock, PROBER);
            sendSide.setProbeObserver(prober);
            remb = null;
        } else if (!transportCc && rembOnly && mode == Mode.NONE) {
            mode = Mode.REMB;
            remb = new RembEstimator(clock, ESTIMATOR.startBps(), ESTIMATOR.minBps(), ESTIMATOR.maxBps());
        }
    }

    public Mode mode() {
        return mode;
    }

    /** Whether every packet to the subscriber should carry a transport-wide sequence number. */
    public boolean numbersPackets() {
        return mode == Mode.TRANSPORT_CC;
    }

    /**
     * A packet goes out now: returns the transport-wide sequence number to stamp on it and records its size (on the
     * wire, as the layer bitrates count it: {@link Producer#WIRE_OVERHEAD_BYTES}) for the estimator and a running
     * probe. Hot path, no allocation. Only meaningful when {@link #numbersPackets()}.
     */
    public int onPacketSent(int sizeBytes) {
        int seq = nextTransportSeq;
        nextTransportSeq = (seq + 1) & 0xFFFF;
        if (sendSide != null) {
            sendSide.onPacketSent(seq, sizeBytes, prober.activeClusterId());
            prober.onSent(sizeBytes);
        }
        return seq;
    }

    /**
     * The packet just numbered {@code transportSeq} ({@link #onPacketSent}) is a retransmission answering a NACK: the
     * estimator's loss classifier counts its delivery as repair, and reports its loss for a second try.
     */
    void onRepairSent(int transportSeq) {
        if (sendSide != null) {
            sendSide.markRepair(transportSeq);
        }
    }

    /**
     * How many copies to send of a retransmission answering a NACK: two while the loss is random
     * ({@link LossClassifier.LossKind#RANDOM}: a second copy costs a few percent of the rate and saves the wait for
     * another NACK when the first copy is lost too), and two of a key frame's packets unless the path is congested (a
     * key frame not repaired freezes the picture until the next one); one otherwise, and always on a congested path,
     * where every extra byte adds to the loss.
     */
    int repairCopies(boolean keyframe) {
        return repairCopies(sendSide == null || transportCcBroken ? LossClassifier.LossKind.CONGESTION
                : sendSide.lossKind(), keyframe);
    }

    /** The rule of {@link #repairCopies(boolean)}: unknown loss (no transport-cc) counts as congestion. */
    static int repairCopies(LossClassifier.LossKind kind, boolean keyframe) {
        return kind == LossClassifier.LossKind.RANDOM || keyframe && kind == LossClassifier.LossKind.NONE ? 2 : 1;
    }

    /** Transport-cc feedback from the subscriber. True when the estimate moved enough to allocate again now. */
    public boolean onFeedback(TransportCcFeedback feedback) {
        if (sendSide == null) {
            return false;
        }
        sendSide.onFeedback(feedback);
        events.afterFeedback(sendSide, prober, clock.nanos());
        malformedInARow = 0;
        if (transportCcBroken && ++validInARow >= RECOVER_AFTER_VALID) {
            transportCcBroken = false;
            log.info("downlink: transport-cc feedback parses again; estimating from it");
            return true;
        }
        return estimateMoved();
    }

    /**
     * Transport-cc feedback from the subscriber that does not parse. True when the estimate's source changed (the
     * fallback starts) or the estimate moved: allocate again now.
     */
    public boolean onMalformedFeedback() {
        malformedFeedback++;
        validInARow = 0;
        if (mode != Mode.TRANSPORT_CC || transportCcBroken || ++malformedInARow < MALFORMED_BEFORE_FALLBACK) {
            return false;
        }
        transportCcBroken = true;
        fallbacks++;
        // Carry on from the estimate in force: the feedback timeout has not cut it yet after a few messages.
        long current = sendSide.estimateBps();
        if (reportLoss == null) {
            reportLoss = newReportLoss();
        }
        reportLoss.reset(current);
        return true;
    }

    /** A REMB from the subscriber. True when the estimate moved enough to allocate again now. */
    public boolean onRemb(long bitrateBps) {
        if (sendSide != null) {
            sendSide.onRemb(bitrateBps); // a cap on the send-side estimate
            if (rembSeen == null) {
                rembSeen = new RembEstimator(clock, ESTIMATOR.startBps(), ESTIMATOR.minBps(), ESTIMATOR.maxBps());
            }
            rembSeen.onRemb(bitrateBps);
        } else if (remb != null) {
            remb.onRemb(bitrateBps);
        }
        return estimateMoved();
    }

    /**
     * The worst loss in one of the subscriber's receiver reports, RFC 3550's 8-bit fraction (0..255). True when the
     * estimate moved enough to allocate again now (only while the fallback uses it).
     */
    public boolean onReceiverLoss(int fractionLost) {
        if (reportLoss == null) {
            reportLoss = newReportLoss();
        }
        reportLoss.onFractionLost(fractionLost);
        return transportCcBroken && estimateMoved();
    }

    private ReceiverReportLossEstimator newReportLoss() {
        return new ReceiverReportLossEstimator(clock, ESTIMATOR.startBps(), ESTIMATOR.minBps(), ESTIMATOR.maxBps());
    }

    /** Where the estimate in force comes from. */
    public EstimateSource estimateSource() {
        if (transportCcBroken) {
            return rembSeen != null && !rembSeen.isStale(REMB_FRESH_MILLIS) ? EstimateSource.MALFORMED_TRANSPORT_CC_REMB
                    : EstimateSource.MALFORMED_TRANSPORT_CC_LOSS;
        }
        return switch (mode) {
            case TRANSPORT_CC -> EstimateSource.TRANSPORT_CC;
            case REMB -> EstimateSource.REMB;
            case NONE -> EstimateSource.NONE;
        };
    }

    /**
     * The subscriber's media path moved (an ICE restart after its network changed, {@link
     * dev.prism.rtp.transport.TransportListener#onPathMoved}). While the old path died its feedback stopped, so the
     * feedback timeouts cut the estimate, and the packets sent into the dead path will be reported lost: neither says
     * anything of the new path, and left alone they keep the subscriber on its lowest layer for seconds. The new path
     * is measured as a new connection's is: the send-side estimate starts again from {@link #ESTIMATOR}'s start (what
     * was sent before is forgotten, so its losses are not counted), the prober starts afresh, and the allocator forgets
     * its upgrade holds and failed upgrades (measured on the old path). The caller allocates again.
     *
     * @param consumers the subscriber's consumers, whose allocation state goes
     */
    public void onPathMoved(List<Consumer> consumers) {
        if (mode == Mode.TRANSPORT_CC) {
            sendSide = new SendSideEstimator(clock, ESTIMATOR);
            prober = new Prober(clock, PROBER);
            sendSide.setProbeObserver(prober);
        }
        for (Consumer c : consumers) {
            allocator.forget(c.id());
        }
        pathMoves++;
    }

    /** Times the subscriber's path moved and its estimate started again ({@link #onPathMoved}). */
    public long pathMoves() {
        return pathMoves;
    }

    /** Transport-cc messages from this subscriber that did not parse. */
    public long malformedFeedback() {
        return malformedFeedback;
    }

    /** Times the estimate fell back because transport-cc feedback did not parse. */
    public long fallbacks() {
        return fallbacks;
    }

    /** A round-trip sample to the subscriber, from its receiver reports. */
    public void onRtt(long rttNanos) {
        if (sendSide != null && rttNanos >= 0) {
            sendSide.setRttMillis(rttNanos / 1_000_000);
        }
        if (reportLoss != null) {
            reportLoss.setRttNanos(rttNanos);
        }
    }

    /** Every 100 ms: feedback timeout. True when an allocation is due (interval, or the estimate moved). */
    public boolean onTick() {
        if (sendSide != null) {
            sendSide.onTick();
        }
        return estimateMoved() || lastAllocationNanos == Long.MIN_VALUE
                || clock.nanos() - lastAllocationNanos >= ALLOCATION_INTERVAL_MILLIS * 1_000_000L;
    }

    /** The downlink estimate in bits per second ({@link #UNLIMITED_BPS} without an estimator). */
    public long estimateBps() {
        if (transportCcBroken) {
            return estimateSource() == EstimateSource.MALFORMED_TRANSPORT_CC_REMB ? rembSeen.estimateBps()
                    : reportLoss.estimateBps();
        }
        if (sendSide != null) {
            return sendSide.estimateBps();
        }
        return remb != null ? remb.estimateBps() : UNLIMITED_BPS;
    }

    private boolean estimateMoved() {
        long e = estimateBps();
        return lastAllocatedEstimate > 0 && Math.abs(e - lastAllocatedEstimate) > lastAllocatedEstimate * REALLOCATE_ON_CHANGE;
    }

    /**
     * One allocation round over {@code consumers}: decides, applies each consumer's layer target, commits, and lets
     * the prober start a probe if the estimate limits the allocation.
     *
     * @return the probe started, or null
     */
    public ProbeCluster allocate(List<Consumer> consumers) {
        return allocate(consumers, true);
    }

    /**
     * As {@link #allocate(List)}; {@code mayProbe} false (the subscriber's transport is not connected) starts no probe.
     */
    public ProbeCluster allocate(List<Consumer> consumers, boolean mayProbe) {
        long estimate = estimateBps();
        List<Subscription> subs = new ArrayList<>(consumers.size());
        List<Consumer> live = new ArrayList<>(consumers.size());
        for (Consumer c : consumers) {
            if (c.isClosed()) {
                continue;
            }
            live.add(c);
            subs.add(subscription(c));
        }
        Allocation a = allocator.allocate(estimate, subs);
        for (int i = 0; i < live.size(); i++) {
            Assignment as = a.assignments().get(i);
            Consumer c = live.get(i);
            int before = c.targetLayerCode();
            if (unscalable(c)) {
                // Served like audio: all of it, or nothing when the subscriber paused it.
                c.setTargetLayer(as.forwarding() ? 0 : -1, LayerSelector.ALL_TEMPORAL,
                        as.forwarding() ? "single_layer" : as.state().toString());
            } else {
                c.setTargetLayer(as.spatial(), as.temporal(), as.state().toString());
            }
            int after = c.targetLayerCode();
            if (after != before && after != Integer.MIN_VALUE && log.isInfoEnabled()) {
                log.info("transport={} track={} layer target {} -> {} ({}), estimate {} kbit/s, link drops {}",
                        c.transport() == null ? "-" : c.transport().id(), c.id(), Consumer.layerName(before),
                        Consumer.layerName(after), as.state(), estimate / 1000,
                        sendSide == null ? 0 : sendSide.linkDrops());
            }
        }
        allocator.commit(a);
        last = a;
        lastAllocationNanos = clock.nanos();
        lastAllocatedEstimate = estimate;
        rounds++;
        if (prober == null || transportCcBroken || !mayProbe) {
            return null; // probes are measured from transport-cc feedback
        }
        ProbeCluster probe = prober.maybeStart(estimate, a.allocatedBps(), a.desiredBps(), sendSide.isCongested());
        if (probe != null) {
            probesStarted++;
            events.probeStarted(probe.targetBps(), probe.durationMillis(), estimate);
        }
        return probe;
    }

    /**
     * A video track the publisher sends as one encoding: the only thing to choose is all or nothing, and pausing it for
     * bandwidth would only starve the estimate (a path is measured by what is sent). It is served as audio is, before
     * the tracks that can be scaled, as Prism did before it estimated anything.
     */
    static boolean unscalable(Consumer c) {
        return c.kind() == MediaKind.VIDEO && c.producer().layerCount() == 1;
    }

    /** What one consumer's track offers this round: measured layer bitrates, heights, priority, preferences. */
    static Subscription subscription(Consumer c) {
        Producer p = c.producer();
        if (p.kind() == MediaKind.AUDIO) {
            long bps = p.layerStats().bitrateBps(0, 0);
            return Subscription.audio(c.id(), bps > 0 ? bps : DEFAULT_AUDIO_BPS, c.preferences().paused());
        }
        if (unscalable(c)) {
            return Subscription.audio(c.id(), p.layerStats().bitrateBps(0, LayerStats.MAX_TEMPORAL - 1),
                    c.preferences().paused());
        }
        int n = p.layerCount();
        int[] heights = new int[n];
        double[][] fps = new double[n][LayerStats.MAX_TEMPORAL];
        for (int i = 0; i < n; i++) {
            heights[i] = p.layer(i).height();
            for (int t = 0; t < LayerStats.MAX_TEMPORAL; t++) {
                fps[i][t] = p.layerStats().frameRate(i, t);
            }
        }
        return Subscription.owning(c.id(), MediaKind.VIDEO, c.priority(), c.preferences(),
                p.layerStats().snapshot(n), heights, fps); // arrays built for it: no copy
    }

    /** A consumer ended: its allocation state goes. */
    public void forget(String consumerId) {
        allocator.forget(consumerId);
    }

    /** Padding bytes due now for a running probe; 0 outside one. */
    public int paddingBytesDue() {
        return prober == null ? 0 : prober.paddingBytesDue();
    }

    /** Whether a probe cluster is sending. */
    public boolean isProbing() {
        return prober != null && prober.isProbing();
    }

    /** Counts padding the endpoint sent for a probe. */
    void onPaddingSent(int bytes) {
        paddingPackets++;
        paddingBytes += bytes;
    }

    /** The latest committed allocation, or null before the first round. */
    public Allocation lastAllocation() {
        return last;
    }

    /** The send-side estimator (transport-cc mode), else null. */
    public SendSideEstimator sendSideEstimator() {
        return sendSide;
    }

    public Prober prober() {
        return prober;
    }

    public long rounds() {
        return rounds;
    }

    public long probesStarted() {
        return probesStarted;
    }

    public long paddingPackets() {
        return paddingPackets;
    }

    public long paddingBytes() {
        return paddingBytes;
    }

    @Override
    public String toString() {
        return "DownlinkController[" + mode + (transportCcBroken ? " (" + estimateSource().description() + ")" : "")
                + " estimate=" + estimateBps()
                + (sendSide == null ? "" : " " + sendSide) + (last == null ? "" : " " + last) + "]";
    }
}
