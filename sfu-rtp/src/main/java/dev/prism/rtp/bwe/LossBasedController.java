package dev.prism.rtp.bwe;

/**
 * The loss-based part of the estimate (draft-ietf-rmcat-gcc-02 section 6), as a cap on the delay-based one. Loss is
 * measured from transport-cc feedback over at least {@link #MIN_PACKETS} reported packets:
 * <ul>
 *   <li>below {@link #LOW_LOSS}: the cap loosens by 8% per second and disappears once it no longer binds;</li>
 *   <li>between: the cap holds at the current estimate (the estimate may not grow);</li>
 *   <li>above {@link #HIGH_LOSS}: the cap drops to {@code estimate x (1 - loss/2)}, at most once per 300 ms + RTT,
 *       but not below {@link #DELIVERED_SHARE} of the rate the receiver acknowledged: what the path delivered despite
 *       the loss is what it carries. This matters when the sender sends more than the estimate for a while (an SFU
 *       forwards the layer it has until the key frame of a lower one arrives): the loss of that excess must not cut
 *       the estimate again and again down to its floor.</li>
 * </ul>
 * Random loss that retransmission repairs ({@link LossClassifier}) counts as low loss whatever its level.
 * Packets never reported (a lost feedback message) are not losses. Times are local microseconds. Not thread-safe.
 */
final class LossBasedController {
    static final double LOW_LOSS = 0.02;
    static final double HIGH_LOSS = 0.10;
    static final int MIN_PACKETS = 20;
    static final long NO_CAP = Long.MAX_VALUE;
    /** A loss cut stops at this share of the acknowledged (delivered) rate. */
    static final double DELIVERED_SHARE = 0.85;

    private long cap = NO_CAP;
    private int received;
    private int lost;
    private double lossFraction;
    private long lastIncreaseMicros = Long.MIN_VALUE / 2;
    private long lastDecreaseMicros = Long.MIN_VALUE / 2;

    void onPackets(int receivedCount, int lostCount) {
        received += receivedCount;
        lost += lostCount;
    }

    /**
     * Re-evaluates when enough packets were reported.
     *
     * @param estimateBps the combined estimate in force before this feedback
     * @return the cap, {@link #NO_CAP} when loss does not limit the rate
     */
    long update(long estimateBps, long nowMicros, long rttMillis) {
        return update(estimateBps, nowMicros, rttMillis, 0);
    }

    /**
     * As {@link #update(long, long, long)}, with the rate the receiver acknowledged recently (0 when unknown), below
     * whose {@link #DELIVERED_SHARE} a loss cut does not go.
     */
    long update(long estimateBps, long nowMicros, long rttMillis, long ackedBps) {
        return update(estimateBps, nowMicros, rttMillis, ackedBps, LossClassifier.LossKind.NONE);
    }

    /**
     * As {@link #update(long, long, long, long)}, knowing what the recent loss was ({@link LossClassifier}): random
     * loss that retransmission repairs is not a reason to send less, so while it is {@link LossClassifier.LossKind#RANDOM}
     * the window is treated as a low-loss one (the cap loosens and goes). The classifier itself calls heavy loss
     * ({@link LossClassifier#MAX_RANDOM_LOSS}) congestion.
     */
    long update(long estimateBps, long nowMicros, long rttMillis, long ackedBps, LossClassifier.LossKind kind) {
        int total = received + lost;
        if (total < MIN_PACKETS) {
            return cap;
        }
        lossFraction = lost / (double) total;
        received = 0;
        lost = 0;
        if (lossFraction < LOW_LOSS || kind == LossClassifier.LossKind.RANDOM) {
            if (cap != NO_CAP && nowMicros - lastIncreaseMicros >= 1_000_000) {
                cap = (long) (cap * 1.08) + 1_000;
                lastIncreaseMicros = nowMicros;
            }
            if (cap != NO_CAP && cap > estimateBps) {
                cap = NO_CAP;
            }
        } else if (lossFraction <= HIGH_LOSS) {
            cap = Math.min(cap, estimateBps);
        } else if (nowMicros - lastDecreaseMicros >= (300 + rttMillis) * 1000) {
            long current = Math.min(cap, estimateBps);
            long floor = Math.min(current, (long) (ackedBps * DELIVERED_SHARE));
            cap = Math.max(floor, (long) (current * (1 - 0.5 * lossFraction)));
            lastDecreaseMicros = nowMicros;
            lastIncreaseMicros = nowMicros;
        }
        return cap;
    }

    /** A probe proved the path carries {@code bps}: the cap may not stay below it. */
    void onProbeResult(long bps) {
        if (cap != NO_CAP && cap < bps && lossFraction <= HIGH_LOSS) {
            cap = bps;
        }
    }

    long cap() {
        return cap;
    }

    /** Loss fraction of the latest evaluation window. */
    double lossFraction() {
        return lossFraction;
    }
}
