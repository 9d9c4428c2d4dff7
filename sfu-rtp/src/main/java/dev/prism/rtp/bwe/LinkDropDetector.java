package dev.prism.rtp.bwe;

/**
 * Notices, within one or two feedback messages, that a subscriber's link now carries much less than Prism sends it
 * (a 2 Mbit/s link that drops to 300 kbit/s), and measures what it carries.
 *
 * <p>Why a separate rule: the delay-gradient detector sees a queue <em>building</em>; on a link with a short queue
 * (a token bucket or a router with 150 ms of buffer) the queue is full within a frame or two, the delay stops growing,
 * and from then on the path only drops. The loss controller then cuts step by step, each cut at most once per
 * 300 ms + RTT and never below most of the rate acknowledged over half a second, which still counts the time before
 * the drop: seconds of sending several times the link's rate, while the subscriber's picture freezes and the layer
 * target steps down one layer at a time (one key frame request each).
 *
 * <p>The rule: over an interval of at least {@link #MIN_SPAN_MICROS} of send time and {@link #MIN_PACKETS} reported
 * packets, compare the rate the packets were sent at with the rate they arrived at, and look at their queueing delay
 * (one-way delay above the lowest seen lately, from {@link LossClassifier}). A standing queue
 * ({@link #QUEUE_DELAY_MICROS} or more on average) means the bottleneck was busy the whole interval, so the arrival
 * rate <em>is</em> its capacity (taken over the packets that queued, at least {@link #QUEUE_DELAY_MICROS} / 2: those
 * that arrived before the queue formed still show the old link's rate); when that is below {@link #DELIVERY_SHARE} of the send rate, the link dropped, and
 * {@link #onFeedback} returns the capacity. The queue must also be full (packets lost, {@link #MIN_LOSS_SHARE}) or
 * still growing (the delay-gradient detector says overusing). Jitter alone does not trip it (no standing queue of that size), random
 * loss does not (arrivals keep pace with sending), nor does a probe into a wide path. After a detection the rule rests
 * for {@link #HOLD_MICROS}: the queue it found takes that long to drain, and measuring it again would only repeat
 * the same figure.
 *
 * <p>Every judged interval leaves its figures and {@link Verdict} ({@link #lastVerdict}, {@link #describeLast}) for
 * the operator's log: why a drop was, or was not, found (the browser test once saw the old loss rules switch down
 * 2.5 s after a drop this rule did not catch).
 *
 * <p>Times are the sender's (send) and the subscriber's (arrival) microseconds, as arguments. One thread (the
 * subscriber's event loop); nothing here allocates.
 */
public final class LinkDropDetector {
    /** Least send time an interval covers before it is judged. */
    static final long MIN_SPAN_MICROS = 100_000;
    /** Fewest reported packets an interval holds before it is judged. */
    static final int MIN_PACKETS = 8;
    /** Mean queueing delay that shows a standing queue (jitter on real paths stays well below). */
    static final long QUEUE_DELAY_MICROS = 50_000;
    /** Arrival rate below this share of the send rate, with a standing queue, is a dropped link. */
    static final double DELIVERY_SHARE = 0.8;
    /**
     * Lost share of an interval's packets that shows a full queue. A standing queue that neither overflows nor grows
     * is not a drop: on a loaded machine a stalled relay or receiver thread delays packets and then releases them in
     * spurts, which looks like a queue and a slow link for a moment (measured: two false drops in 30 s on the shared
     * test machine without this condition).
     */
    static final double MIN_LOSS_SHARE = 0.02;
    /** Rest after a detection (send time). */
    static final long HOLD_MICROS = 500_000;
    /** Returned by {@link #onFeedback} when the link did not drop. */
    public static final long NO_DROP = -1;

    /** What the latest judged interval showed, in the order the rule checks it. */
    public enum Verdict {
        /** Nothing judged yet. */
        NOT_JUDGED,
        /** Within {@link #HOLD_MICROS} of a detection. */
        RESTING,
        /** Mean queueing delay below {@link #QUEUE_DELAY_MICROS} (or too few arrivals to tell). */
        NO_STANDING_QUEUE,
        /** A standing queue, but fewer than {@link #MIN_LOSS_SHARE} lost and not overusing. */
        QUEUE_NEITHER_FULL_NOR_GROWING,
        /** Arrivals at {@link #DELIVERY_SHARE} of the send rate or more. */
        ARRIVALS_KEEP_UP,
        /** The link dropped. */
        DROP
    }

    private long firstSend = Long.MAX_VALUE;
    private long lastSend = Long.MIN_VALUE;
    private int lastSendSize;
    private long sentBytes;
    private long firstArrival = Long.MAX_VALUE;
    private long lastArrival = Long.MIN_VALUE;
    private int firstArrivalSize;
    private long receivedBytes;
    /** The same, of the packets that waited in a queue: they left the bottleneck back to back. */
    private long queuedFirstArrival = Long.MAX_VALUE;
    private long queuedLastArrival = Long.MIN_VALUE;
    private int queuedFirstArrivalSize;
    private long queuedBytes;
    private int queuedPackets;
    private int packets;
    private int lostPackets;
    private long queueSum;
    private int queueSamples;
    private long holdUntilSend = Long.MIN_VALUE;

    private long drops;
    private long lastCapacityBps;
    private Verdict lastVerdict = Verdict.NOT_JUDGED;
    private long lastSendBps;
    private long lastArrivalBps;
    private long lastQueueMeanMicros;
    private int lastPackets;
    private int lastLost;
    private boolean lastOverusing;

    /** A packet reported received; {@code queueDelayMicros} is its one-way delay above the lowest seen lately. */
    public void onReceived(long sendMicros, long arrivalMicros, int sizeBytes, long queueDelayMicros) {
        onSent(sendMicros, sizeBytes);
        if (arrivalMicros < firstArrival) {
            firstArrival = arrivalMicros;
            firstArrivalSize = sizeBytes;
        }
        lastArrival = Math.max(lastArrival, arrivalMicros);
        receivedBytes += sizeBytes;
        if (queueDelayMicros >= QUEUE_DELAY_MICROS / 2) {
            if (arrivalMicros < queuedFirstArrival) {
                queuedFirstArrival = arrivalMicros;
                queuedFirstArrivalSize = sizeBytes;
            }
            queuedLastArrival = Math.max(queuedLastArrival, arrivalMicros);
            queuedBytes += sizeBytes;
            queuedPackets++;
        }
        queueSum += Math.max(0, queueDelayMicros);
        queueSamples++;
    }

    /** A packet reported lost: it counts toward what was sent, not what arrived. */
    public void onLost(long sendMicros, int sizeBytes) {
        onSent(sendMicros, sizeBytes);
        lostPackets++;
    }

    private void onSent(long sendMicros, int sizeBytes) {
        firstSend = Math.min(firstSend, sendMicros);
        if (sendMicros >= lastSend) {
            lastSend = sendMicros;
            lastSendSize = sizeBytes;
        }
        sentBytes += sizeBytes;
        packets++;
    }

    /**
     * The end of one feedback message: judges the interval when it is long enough, then starts a new one.
     *
     * @param overusing the delay-gradient detector's verdict on the same message
     * @return the link's capacity in bits per second when it dropped below what is sent, else {@link #NO_DROP}
     */
    public long onFeedback(boolean overusing) {
        if (packets < MIN_PACKETS || lastSend - firstSend < MIN_SPAN_MICROS) {
            return NO_DROP;
        }
        long result = NO_DROP;
        boolean queueFullOrGrowing = overusing || lostPackets >= Math.max(1, packets * MIN_LOSS_SHARE);
        long queueMean = queueSamples > 0 ? queueSum / queueSamples : 0;
        // The last send closes the send interval and the first arrival opens the arrival interval.
        double sendBps = (sentBytes - lastSendSize) * 8e6 / (lastSend - firstSend);
        // Arrivals of queued packets are spaced by the bottleneck alone; those that came before the queue formed
        // (the first message after a drop holds some) would add the old, wider link's rate.
        double arrivalBps = queuedPackets >= 3 && queuedLastArrival > queuedFirstArrival
                ? (queuedBytes - queuedFirstArrivalSize) * 8e6 / (queuedLastArrival - queuedFirstArrival)
                : lastArrival > firstArrival ? (receivedBytes - firstArrivalSize) * 8e6 / (lastArrival - firstArrival)
                : 0;
        Verdict verdict;
        if (firstSend < holdUntilSend) {
            verdict = Verdict.RESTING;
        } else if (queueSamples < 2 || lastArrival <= firstArrival || queueMean < QUEUE_DELAY_MICROS) {
            verdict = Verdict.NO_STANDING_QUEUE;
        } else if (!queueFullOrGrowing) {
            verdict = Verdict.QUEUE_NEITHER_FULL_NOR_GROWING;
        } else if (arrivalBps >= DELIVERY_SHARE * sendBps) {
            verdict = Verdict.ARRIVALS_KEEP_UP;
        } else {
            verdict = Verdict.DROP;
            result = (long) arrivalBps;
            lastCapacityBps = result;
            drops++;
            holdUntilSend = lastSend + HOLD_MICROS;
        }
        lastVerdict = verdict;
        lastSendBps = (long) sendBps;
        lastArrivalBps = (long) arrivalBps;
        lastQueueMeanMicros = queueMean;
        lastPackets = packets;
        lastLost = lostPackets;
        lastOverusing = overusing;
        reset();
        return result;
    }

    private void reset() {
        firstSend = Long.MAX_VALUE;
        lastSend = Long.MIN_VALUE;
        sentBytes = 0;
        firstArrival = Long.MAX_VALUE;
        lastArrival = Long.MIN_VALUE;
        receivedBytes = 0;
        queuedFirstArrival = Long.MAX_VALUE;
        queuedLastArrival = Long.MIN_VALUE;
        queuedBytes = 0;
        queuedPackets = 0;
        packets = 0;
        lostPackets = 0;
        queueSum = 0;
        queueSamples = 0;
    }

    /** Times a drop was detected. */
    public long drops() {
        return drops;
    }

    /** What the latest judged interval showed. */
    public Verdict lastVerdict() {
        return lastVerdict;
    }

    /** Mean queueing delay of the latest judged interval, in microseconds. */
    public long lastQueueMeanMicros() {
        return lastQueueMeanMicros;
    }

    /** Packets lost in the latest judged interval. */
    public int lastLost() {
        return lastLost;
    }

    /** The latest judged interval's figures and verdict, for a log line (allocates: call it only to log). */
    public String describeLast() {
        return lastVerdict + ": sent " + lastSendBps / 1000 + " kbit/s, arrived " + lastArrivalBps / 1000
                + " kbit/s, queue " + lastQueueMeanMicros / 1000 + " ms, lost " + lastLost + "/" + lastPackets
                + (lastOverusing ? ", overusing" : "");
    }

    /** The capacity the latest detection measured, 0 before any. */
    public long lastCapacityBps() {
        return lastCapacityBps;
    }
}
