package dev.prism.rtp.router.uplink;

import dev.prism.rtp.packet.SeqNum;

/**
 * Reception statistics of one incoming RTP stream as RFC 3550 defines them (appendix A.1, A.3 and A.8): extended
 * highest sequence number, cumulative and fractional loss, interarrival jitter. They fill the report blocks of the
 * receiver reports Prism sends to publishers, and the admin view.
 *
 * <p>Loss counts packets that never arrived, retransmissions included as arrivals: it is the residual loss after
 * repair. Jitter is computed from first transmissions only (a retransmission's timestamp is old by design), and only
 * when the RTP timestamp moves (the packets of one video frame share a timestamp but leave in a burst).
 *
 * <p>Pure; time comes in as arguments. One thread (the room's event loop); no allocation.
 */
public final class ReceiveStreamStats {
    private final int clockRate;
    private boolean started;
    private long baseSeq;
    private long highestSeq;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private long retransmitted;
    // Jitter state.
    private long firstArrivalNanos;
    private boolean haveTransit;
    private long lastTransit;
    private long lastTimestamp = -1;
    /** Jitter in timestamp units, scaled by 16 as in RFC 3550 A.8. */
    private long jitterQ4;
    private int lastFractionLost;

    /** @param clockRate RTP clock rate of the stream in Hz */
    public ReceiveStreamStats(int clockRate) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clockRate " + clockRate);
        }
        this.clockRate = clockRate;
    }

    /**
     * Counts one packet.
     *
     * @param retransmission true for a packet recovered through RTX: it counts as received but not for jitter
     */
    public void onPacket(int seq, long rtpTimestamp, long arrivalNanos, boolean retransmission) {
        if (!started) {
            started = true;
            baseSeq = seq & SeqNum.MASK;
            highestSeq = baseSeq;
            firstArrivalNanos = arrivalNanos;
        } else {
            long ext = SeqNum.unwrap(seq, highestSeq);
            if (ext > highestSeq) {
                highestSeq = ext;
            } else if (ext < baseSeq) {
                baseSeq = ext; // reordered before the first packet we saw
            }
        }
        received++;
        if (retransmission) {
            retransmitted++;
            return;
        }
        rtpTimestamp &= 0xFFFF_FFFFL;
        if (rtpTimestamp == lastTimestamp) {
            return;
        }
        lastTimestamp = rtpTimestamp;
        // Arrival in timestamp units, relative to the first packet so the product cannot overflow for ~a day.
        long arrival = (arrivalNanos - firstArrivalNanos) * clockRate / 1_000_000_000L;
        long transit = arrival - rtpTimestamp;
        if (haveTransit) {
            // The 32-bit timestamp wraps: differences are taken modulo 2^32, as signed.
            long d = Math.abs((int) (transit - lastTransit));
            jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        }
        lastTransit = transit;
        haveTransit = true;
    }

    /** Whether any packet was counted; a report block needs one. */
    public boolean started() {
        return started;
    }

    /** Extended highest sequence number (cycles in the high bits), low 32 bits as a report block carries it. */
    public long extendedHighestSeq() {
        return highestSeq & 0xFFFF_FFFFL;
    }

    /** Packets expected from the first to the highest sequence number seen. */
    public long expected() {
        return started ? highestSeq - baseSeq + 1 : 0;
    }

    public long received() {
        return received;
    }

    /** Of {@link #received()}, those recovered through retransmission. */
    public long retransmitted() {
        return retransmitted;
    }

    /** Packets expected and never received (duplicates can make it lower, never below 0 here). */
    public long cumulativeLost() {
        return Math.max(0, expected() - received);
    }

    /** Interarrival jitter in timestamp units. */
    public long jitter() {
        return jitterQ4 >> 4;
    }

    public double jitterMillis() {
        return jitter() * 1000.0 / clockRate;
    }

    /** The fraction lost of the last report interval, 0..255 (1/256 units). */
    public int lastFractionLost() {
        return lastFractionLost;
    }

    /**
     * Closes one report interval and returns its fraction lost (0..255): packets lost since the previous call over
     * packets expected since then (RFC 3550 A.3); 0 when nothing was expected or duplicates outnumber losses.
     */
    public int closeInterval() {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        lastFractionLost = expectedInterval <= 0 || lostInterval <= 0 ? 0
                : (int) Math.min(255, (lostInterval << 8) / expectedInterval);
        return lastFractionLost;
    }

    /** {@link #cumulativeLost()} clamped to the 24-bit signed field of a report block. */
    public int cumulativeLostField() {
        return (int) Math.min(cumulativeLost(), 0x7FFFFF);
    }

    /** The clock rate given at construction. */
    public int clockRate() {
        return clockRate;
    }
}
