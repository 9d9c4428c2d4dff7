package dev.prism.rtp.bwe;

/**
 * The rate controller of the delay-based estimate (draft-ietf-rmcat-gcc-02 section 5.5): additive-increase /
 * multiplicative-decrease driven by {@link BandwidthUsage}.
 *
 * <ul>
 *   <li>Overuse: decrease to {@link #BETA} x the acknowledged (delivered) rate, at most once per round trip unless
 *       delivery collapsed; each decrease also records the delivered rate as a sample of the link capacity.</li>
 *   <li>Underuse: hold (let the queue drain).</li>
 *   <li>Normal: increase. Far from any known capacity, multiplicatively ({@link #MULTIPLICATIVE_PER_SECOND} per
 *       second); once a capacity is known, additively by about one packet per response time, so the rate creeps up
 *       to the point where it last broke. Delivering more than the capacity's upper bound forgets it.</li>
 *   <li>The estimate never rises above 1.5 x the delivered rate + 10 kbit/s: a sender that is not using its estimate
 *       learns nothing about the path above it (that is what probing is for).</li>
 * </ul>
 * Times are local microseconds. Not thread-safe; no allocation.
 */
final class AimdRateControl {
    enum State { HOLD, INCREASE, DECREASE }

    static final double BETA = 0.85;
    static final double MULTIPLICATIVE_PER_SECOND = 1.08;
    static final long MIN_INCREASE_BPS = 1_000;
    private static final double FRAMES_PER_SECOND = 30;
    private static final double PACKET_BITS = 1200 * 8;

    private final long minBps;
    private final long maxBps;
    private long current;
    private State state = State.HOLD;
    private long lastUpdateMicros = Long.MIN_VALUE;
    private long lastDecreaseMicros = Long.MIN_VALUE / 2;
    private double capacityKbps = -1;
    private double capacityVar = 0.4;
    private long rttMillis = 100;

    AimdRateControl(long startBps, long minBps, long maxBps) {
        this.minBps = minBps;
        this.maxBps = maxBps;
        this.current = clamp(startBps);
    }

    /**
     * @param ackedBps the rate the receiver acknowledged recently, 0 when not known yet
     * @return the new delay-based estimate
     */
    long update(BandwidthUsage usage, long ackedBps, long nowMicros) {
        long dt = lastUpdateMicros == Long.MIN_VALUE ? 0 : Math.max(0, Math.min(nowMicros - lastUpdateMicros, 1_000_000));
        lastUpdateMicros = nowMicros;
        switch (usage) {
            case OVERUSING -> state = State.DECREASE;
            case UNDERUSING -> state = State.HOLD;
            case NORMAL -> {
                if (state == State.HOLD) {
                    state = State.INCREASE;
                }
            }
        }
        switch (state) {
            case HOLD -> {
            }
            case INCREASE -> increase(ackedBps, dt);
            case DECREASE -> {
                decrease(ackedBps, nowMicros);
                state = State.HOLD;
            }
        }
        current = clamp(current);
        return current;
    }

    private void increase(long ackedBps, long dtMicros) {
        if (capacityKbps >= 0 && ackedBps > capacityUpperBps()) {
            capacityKbps = -1; // delivering more than the old capacity: the path changed, search again
        }
        double inc;
        if (capacityKbps >= 0) {
            double bitsPerFrame = current / FRAMES_PER_SECOND;
            double packetsPerFrame = Math.ceil(bitsPerFrame / PACKET_BITS);
            double packetBits = bitsPerFrame / packetsPerFrame;
            double responseSeconds = (rttMillis + 100) / 1000.0;
            inc = Math.max(4_000, packetBits / responseSeconds) * dtMicros / 1e6;
        } else {
            double factor = Math.pow(MULTIPLICATIVE_PER_SECOND, dtMicros / 1e6);
            inc = current * (factor - 1);
        }
        if (dtMicros > 0) {
            inc = Math.max(inc, MIN_INCREASE_BPS * Math.min(1.0, dtMicros / 1e6));
        }
        long next = current + (long) inc;
        if (ackedBps > 0) {
            long limit = (long) (1.5 * ackedBps) + 10_000;
            next = Math.min(next, Math.max(current, limit));
        }
        current = next;
    }

    private void decrease(long ackedBps, long nowMicros) {
        long interval = Math.max(10, Math.min(200, rttMillis)) * 1000L;
        boolean collapsed = ackedBps > 0 && ackedBps < current / 2;
        if (nowMicros - lastDecreaseMicros < interval && !collapsed) {
            return;
        }
        long base = ackedBps > 0 ? ackedBps : current;
        long next = (long) (BETA * base);
        if (next > current) {
            // Delivered more than the estimate: never raise on a decrease.
            next = capacityKbps >= 0 ? Math.min(current, (long) (BETA * capacityKbps * 1000)) : current;
        }
        current = next;
        if (ackedBps > 0) {
            updateCapacity(ackedBps / 1000.0);
        }
        lastDecreaseMicros = nowMicros;
    }

    private void updateCapacity(double kbps) {
        capacityKbps = capacityKbps < 0 ? kbps : 0.95 * capacityKbps + 0.05 * kbps;
        double norm = Math.max(capacityKbps, 1);
        capacityVar = 0.95 * capacityVar + 0.05 * (capacityKbps - kbps) * (capacityKbps - kbps) / norm;
        capacityVar = Math.max(0.4, Math.min(2.5, capacityVar));
    }

    private long capacityUpperBps() {
        double sigma = Math.sqrt(capacityVar * capacityKbps);
        return (long) ((capacityKbps + 3 * sigma) * 1000);
    }

    /**
     * The link dropped ({@link LinkDropDetector}): the estimate falls to {@code bps} at once (never rises), the
     * measured capacity replaces the one known (the path changed: its old capacity says nothing), increases from here
     * are additive, and the cut counts as a decrease (no probing for a second, see
     * {@link SendSideEstimator#isCongested()}).
     */
    void dropTo(long bps, long capacityBps, long nowMicros) {
        current = clamp(Math.min(current, bps));
        capacityKbps = capacityBps / 1000.0;
        capacityVar = 0.4;
        state = State.HOLD;
        lastDecreaseMicros = nowMicros;
    }

    /** Overrides the estimate, e.g. with a probe result or after a feedback timeout. */
    void setEstimate(long bps) {
        current = clamp(bps);
    }

    long estimate() {
        return current;
    }

    State state() {
        return state;
    }

    long lastDecreaseMicros() {
        return lastDecreaseMicros;
    }

    /** True once a decrease measured the link capacity (increases are additive from then on). */
    boolean knowsCapacity() {
        return capacityKbps >= 0;
    }

    void setRttMillis(long rtt) {
        rttMillis = Math.max(1, rtt);
    }

    private long clamp(long bps) {
        return Math.max(minBps, Math.min(maxBps, bps));
    }
}
