package dev.prism.rtp.bwe;

/**
 * Tells random loss from congestion, from what one subscriber's transport-cc feedback says about the packets Prism
 * sent it. Loss alone does not say which: a radio link or a lossy hop drops a few packets at random whatever the rate,
 * and retransmission repairs them; a full queue or a policer drops because Prism sends too much, and sending more
 * (retransmissions, probes, a higher layer) makes it worse. The difference shows elsewhere:
 *
 * <ul>
 *   <li>congestion builds a queue first: the delay-gradient detector says overusing, or the packets' one-way delay
 *       sits well above the lowest seen lately ({@link #QUEUE_DELAY_CONGESTED_MICROS});</li>
 *   <li>a full queue or a token bucket drops in runs (consecutive transport-wide numbers), random loss one at a time
 *       (a mean run above {@link #MAX_RANDOM_RUN} is congestion);</li>
 *   <li>random loss is repaired: the retransmissions the subscriber's NACKs asked for are delivered (at least
 *       {@link #MIN_REPAIRED_SHARE} per lost packet), and lost no more often than the media
 *       ({@link #repairsLostMore});</li>
 * </ul>
 * Loss that passes all three and stays below {@link #MAX_RANDOM_LOSS} is {@link LossKind#RANDOM}; any other loss above {@link #LOW_LOSS} is
 * {@link LossKind#CONGESTION}, the safe default (today's behaviour): a subscriber whose losses are never repaired (no
 * NACK, no RTX) is treated as congested.
 *
 * <p>Windows: counts accumulate over feedback messages until a window holds {@link #MIN_WINDOW_PACKETS} reported
 * packets (or {@link #MIN_PACKETS} and {@link #MAX_WINDOW_MICROS} have passed), then {@link #kind()} is decided again
 * and holds until the next window closes. A congestion signal (overuse, a queue) decides at once without waiting for
 * the window: congestion must never wait for statistics. {@link #classify} is the rule alone, a pure function.
 *
 * <p>Times are the sender's and the subscriber's microseconds, as arguments. One thread (the subscriber's event loop);
 * nothing here allocates.
 */
public final class LossClassifier {
    /** What the latest window's loss was. */
    public enum LossKind {
        /** Below {@link #LOW_LOSS}, or not enough packets reported yet. */
        NONE,
        /** Loss the path makes whatever the rate, repaired by retransmission, with no queue building. */
        RANDOM,
        /** Loss with a queue building, in runs, or not repaired: sending less is the cure. */
        CONGESTION
    }

    /** Below this loss fraction the loss does not matter either way (GCC's low-loss threshold). */
    public static final double LOW_LOSS = 0.02;
    /** Above this loss fraction, repairing costs as much as the loss: treated as congestion whatever its kind. */
    static final double MAX_RANDOM_LOSS = 0.15;
    /** A one-way delay this far above the lowest seen lately is a queue, not jitter. */
    static final long QUEUE_DELAY_CONGESTED_MICROS = 30_000;
    /** Mean length of a run of consecutive losses beyond which the drops come in bursts (queue or policer). */
    static final double MAX_RANDOM_RUN = 1.5;
    /**
     * Retransmissions delivered per lost packet, at least, for the loss to count as repaired: not every loss can be
     * (audio and probe padding are never NACKed; audio is a third of a low layer's packets), so this asks only that
     * retransmission is clearly at work.
     */
    static final double MIN_REPAIRED_SHARE = 0.3;
    /** Reported packets that close a window. */
    static final int MIN_WINDOW_PACKETS = 100;
    /** Fewest reported packets a window needs when it closes by time. */
    static final int MIN_PACKETS = 20;
    /** A window closes after this long if it holds at least {@link #MIN_PACKETS}. */
    static final long MAX_WINDOW_MICROS = 1_000_000;
    /** The lowest one-way delay is taken over two such periods (the current and the previous one). */
    static final long BASE_DELAY_PERIOD_MICROS = 5_000_000;

    private int received;
    private int lost;
    private int lossRuns;
    private boolean previousLost;
    private int repairsReceived;
    private int repairsLost;
    private boolean overused;
    private long queueDelaySumMicros;
    private int queueDelaySamples;
    private long windowStartMicros = Long.MIN_VALUE;
    private long latestQueueDelayMicros;

    private long baseDelayCurrent = Long.MAX_VALUE;
    private long baseDelayPrevious = Long.MAX_VALUE;
    private long basePeriodStartMicros = Long.MIN_VALUE;

    private LossKind kind = LossKind.NONE;
    private int lastReason;
    private double lastLossFraction;
    private double lastQueueDelayMillis;
    private double lastMeanRun;
    private double lastRepairedShare;
    private long randomWindows;
    private long congestionWindows;

    /**
     * The rule. All fractions 0..1.
     *
     * @param lossFraction       lost / reported packets in the window
     * @param meanLossRun        lost packets per run of consecutive losses (1 when they came one at a time)
     * @param repairedShare      retransmissions delivered / packets lost in the window
     * @param repairLossFraction lost / reported retransmissions in the window (0 when none were reported)
     * @param overusing          the delay-gradient detector said overusing during the window
     * @param queueDelayMicros   mean one-way delay above the lowest seen lately
     */
    public static LossKind classify(double lossFraction, double meanLossRun, double repairedShare,
                                    double repairLossFraction, boolean overusing, long queueDelayMicros) {
        return KINDS[reason(lossFraction, meanLossRun, repairedShare, repairLossFraction, overusing,
                queueDelayMicros)];
    }

    /** Why {@link #classify} says what it says: an index into {@link #REASONS} (and {@link #KINDS}). */
    static int reason(double lossFraction, double meanLossRun, double repairedShare, double repairLossFraction,
                      boolean overusing, long queueDelayMicros) {
        if (lossFraction < LOW_LOSS) {
            return 0;
        }
        if (overusing) {
            return 1;
        }
        if (queueDelayMicros >= QUEUE_DELAY_CONGESTED_MICROS) {
            return 2;
        }
        if (lossFraction > MAX_RANDOM_LOSS) {
            return 3;
        }
        if (meanLossRun > MAX_RANDOM_RUN) {
            return 4;
        }
        if (repairedShare < MIN_REPAIRED_SHARE) {
            return 5;
        }
        if (repairsLostMore(lossFraction, repairLossFraction)) {
            return 6;
        }
        return 7;
    }

    /** Reasons for operators, by {@link #reason} (fixed strings: nothing is built per verdict). */
    static final String[] REASONS = {"low loss", "overuse", "queue", "heavy loss", "loss in runs", "not repaired",
            "repairs lost more", "random"};
    private static final LossKind[] KINDS = {LossKind.NONE, LossKind.CONGESTION, LossKind.CONGESTION,
            LossKind.CONGESTION, LossKind.CONGESTION, LossKind.CONGESTION, LossKind.CONGESTION, LossKind.RANDOM};

    /**
     * Whether retransmissions are lost clearly more often than the media: then the extra load is what the path drops
     * (twice the media's loss and five points above it).
     */
    static boolean repairsLostMore(double lossFraction, double repairLossFraction) {
        return repairLossFraction > Math.max(2 * lossFraction, lossFraction + 0.05);
    }

    /** A packet reported received: sent at {@code sendMicros} (Prism's clock), arrived at {@code arrivalMicros}. */
    public void onReceived(long sendMicros, long arrivalMicros, boolean repair) {
        received++;
        previousLost = false;
        if (repair) {
            repairsReceived++;
        }
        long offset = arrivalMicros - sendMicros; // the two clocks' offset plus the path's delay
        if (basePeriodStartMicros == Long.MIN_VALUE || sendMicros - basePeriodStartMicros >= BASE_DELAY_PERIOD_MICROS) {
            baseDelayPrevious = baseDelayCurrent;
            baseDelayCurrent = Long.MAX_VALUE;
            basePeriodStartMicros = sendMicros;
        }
        baseDelayCurrent = Math.min(baseDelayCurrent, offset);
        long base = Math.min(baseDelayCurrent, baseDelayPrevious);
        latestQueueDelayMicros = offset - base;
        queueDelaySumMicros += latestQueueDelayMicros;
        queueDelaySamples++;
    }

    /** The one-way delay above the lowest seen lately of the packet {@link #onReceived} saw last, in microseconds. */
    public long latestQueueDelayMicros() {
        return latestQueueDelayMicros;
    }

    /** A packet reported lost (in transport-wide order with {@link #onReceived}: consecutive losses form a run). */
    public void onLost(boolean repair) {
        lost++;
        if (!previousLost) {
            lossRuns++;
        }
        previousLost = true;
        if (repair) {
            repairsLost++;
        }
    }

    /**
     * The end of one feedback message: closes the window when it is full (or old enough), and decides again.
     *
     * @param overusing the delay-gradient detector's verdict on this message
     * @return the kind in force now
     */
    public LossKind onFeedback(boolean overusing, long nowMicros) {
        overused |= overusing;
        previousLost = false; // a run does not span two messages
        if (windowStartMicros == Long.MIN_VALUE) {
            windowStartMicros = nowMicros;
        }
        int total = received + lost;
        long queue = queueDelaySamples == 0 ? 0 : queueDelaySumMicros / queueDelaySamples;
        boolean congestionNow = overused || queue >= QUEUE_DELAY_CONGESTED_MICROS;
        boolean full = total >= MIN_WINDOW_PACKETS
                || total >= MIN_PACKETS && nowMicros - windowStartMicros >= MAX_WINDOW_MICROS;
        boolean lossNow = total >= MIN_PACKETS && lost >= total * LOW_LOSS;
        if (!full && !(congestionNow && lossNow)) {
            return kind;
        }
        lastLossFraction = total == 0 ? 0 : lost / (double) total;
        lastMeanRun = lossRuns == 0 ? 1 : lost / (double) lossRuns;
        lastRepairedShare = lost == 0 ? 1 : Math.min(1, repairsReceived / (double) lost);
        int repairs = repairsReceived + repairsLost;
        double repairLoss = repairs == 0 ? 0 : repairsLost / (double) repairs;
        lastQueueDelayMillis = queue / 1000.0;
        // Fewer than 3 lost retransmissions say nothing about their loss rate (one in five looks like 20 %).
        lastReason = reason(lastLossFraction, lastMeanRun, lastRepairedShare, repairsLost < 3 ? 0 : repairLoss,
                overused, queue);
        kind = KINDS[lastReason];
        if (kind == LossKind.RANDOM) {
            randomWindows++;
        } else if (kind == LossKind.CONGESTION) {
            congestionWindows++;
        }
        received = 0;
        lost = 0;
        lossRuns = 0;
        repairsReceived = 0;
        repairsLost = 0;
        overused = false;
        queueDelaySumMicros = 0;
        queueDelaySamples = 0;
        windowStartMicros = nowMicros;
        return kind;
    }

    /** The latest window's verdict. */
    public LossKind kind() {
        return kind;
    }

    /** Loss fraction of the latest closed window. */
    public double lossFraction() {
        return lastLossFraction;
    }

    /** Mean queueing delay of the latest closed window, milliseconds. */
    public double queueDelayMillis() {
        return lastQueueDelayMillis;
    }

    /** Mean run of consecutive losses in the latest closed window. */
    public double meanLossRun() {
        return lastMeanRun;
    }

    /** Share of the latest closed window's losses whose retransmission was delivered. */
    public double repairedShare() {
        return lastRepairedShare;
    }

    /** Windows judged random loss so far. */
    public long randomWindows() {
        return randomWindows;
    }

    /** The latest verdict, why, and its figures, for operators: {@code RANDOM(random: loss 0.05 run 1.0 ...)}. */
    @Override
    public String toString() {
        return kind + "(" + REASONS[lastReason] + ": loss " + Math.round(lastLossFraction * 1000) / 1000.0 + " run "
                + Math.round(lastMeanRun * 100) / 100.0 + " repaired " + Math.round(lastRepairedShare * 100) / 100.0
                + " queue " + Math.round(lastQueueDelayMillis) + " ms; windows random " + randomWindows
                + " congestion " + congestionWindows + ")";
    }

    /** Windows judged congestion so far. */
    public long congestionWindows() {
        return congestionWindows;
    }
}
