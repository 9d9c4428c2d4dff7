package dev.prism.netem;

import java.time.Duration;

/**
 * What one direction of an impaired path does to packets: immutable, built from {@link #PERFECT} with the
 * {@code with...} methods, swapped into a running {@link Link} at any time ({@link Link#setProfile}).
 *
 * @param delayNanos        fixed one-way delay added to every packet
 * @param jitterNanos       spread of the delay around {@code delayNanos} ({@link Jitter}); 0 for none
 * @param jitter            the spread's distribution
 * @param reorder           whether jitter may make a packet leave before one offered earlier; when false a packet
 *                          that drew a shorter delay waits for its predecessor (arrivals bunch, order holds)
 * @param loss              random loss before the rate limiter
 * @param rateBitsPerSecond the token bucket's rate; 0 for no rate limit
 * @param burstBytes        the bucket's depth: bytes that may pass at once after a quiet spell
 * @param queueLimitBytes   bytes that may wait for tokens; a packet that would exceed it is dropped (drop-tail)
 */
public record LinkProfile(long delayNanos, long jitterNanos, Jitter jitter, boolean reorder, LossModel loss,
                          long rateBitsPerSecond, int burstBytes, int queueLimitBytes) {

    /** Delivers everything at once, in order. */
    public static final LinkProfile PERFECT = new LinkProfile(0, 0, Jitter.UNIFORM, false, LossModel.NONE, 0, 0, 0);

    public LinkProfile {
        if (delayNanos < 0 || jitterNanos < 0) {
            throw new IllegalArgumentException("delay and jitter cannot be negative: " + delayNanos + ", "
                    + jitterNanos);
        }
        if (jitter == null || loss == null) {
            throw new IllegalArgumentException("jitter distribution and loss model are required");
        }
        if (rateBitsPerSecond < 0 || rateBitsPerSecond > 100_000_000_000L) {
            throw new IllegalArgumentException("rate must be in [0, 100 Gbit/s]: " + rateBitsPerSecond);
        }
        if (rateBitsPerSecond > 0 && (burstBytes <= 0 || queueLimitBytes < 0)) {
            throw new IllegalArgumentException("a rate limit needs a positive burst and a queue limit >= 0: "
                    + burstBytes + ", " + queueLimitBytes);
        }
    }

    /** This profile with a fixed one-way delay. */
    public LinkProfile withDelay(Duration delay) {
        return new LinkProfile(delay.toNanos(), jitterNanos, jitter, reorder, loss, rateBitsPerSecond, burstBytes,
                queueLimitBytes);
    }

    /** This profile with jitter of {@code spread} drawn from {@code distribution}, order kept. */
    public LinkProfile withJitter(Duration spread, Jitter distribution) {
        return new LinkProfile(delayNanos, spread.toNanos(), distribution, reorder, loss, rateBitsPerSecond,
                burstBytes, queueLimitBytes);
    }

    /** This profile letting jitter reorder packets (or not). */
    public LinkProfile withReordering(boolean allowed) {
        return new LinkProfile(delayNanos, jitterNanos, jitter, allowed, loss, rateBitsPerSecond, burstBytes,
                queueLimitBytes);
    }

    /** This profile with a loss model. */
    public LinkProfile withLoss(LossModel model) {
        return new LinkProfile(delayNanos, jitterNanos, jitter, reorder, model, rateBitsPerSecond, burstBytes,
                queueLimitBytes);
    }

    /**
     * This profile with a token-bucket rate limit ({@code tc tbf}'s rate, burst and limit): packets wait for tokens in
     * a FIFO of at most {@code queueLimitBytes}, beyond which they are dropped.
     */
    public LinkProfile withRate(long bitsPerSecond, int burst, int queueLimit) {
        return new LinkProfile(delayNanos, jitterNanos, jitter, reorder, loss, bitsPerSecond, burst, queueLimit);
    }

    /** This profile without a rate limit. */
    public LinkProfile withoutRateLimit() {
        return new LinkProfile(delayNanos, jitterNanos, jitter, reorder, loss, 0, 0, 0);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("delay ").append(delayNanos / 1_000_000.0).append(" ms");
        if (jitterNanos > 0) {
            s.append(" +- ").append(jitterNanos / 1_000_000.0).append(" ms ").append(jitter)
                    .append(reorder ? " reordering" : " in order");
        }
        if (!(loss instanceof LossModel.None)) {
            s.append(", loss ").append(loss);
        }
        if (rateBitsPerSecond > 0) {
            s.append(", rate ").append(rateBitsPerSecond / 1000).append(" kbit/s burst ").append(burstBytes)
                    .append(" B queue ").append(queueLimitBytes).append(" B");
        }
        return s.toString();
    }
}
