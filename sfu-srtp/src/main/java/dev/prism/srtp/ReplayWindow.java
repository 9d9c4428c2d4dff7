package dev.prism.srtp;

/**
 * The per-stream packet index state of SRTP and SRTCP (RFC 3711 3.3.1, 3.3.2, Appendix A): the highest index
 * accepted so far, a 64-packet replay bitmap below it, and for RTP the rollover counter, which is the highest index's
 * upper 32 bits. Used by receivers to refuse replays, and by senders too, so that no index is ever protected twice.
 *
 * <p>{@link #check} before authenticating, {@link #accept} only after: a forged packet changes nothing.
 *
 * <p>Not thread-safe; owned by one {@link PrismSrtpSession}.
 */
final class ReplayWindow {
    /** Packets below the highest index that are still checked. */
    static final int SIZE = 64;

    private long highest = -1;
    /** Bit d set: index {@code highest - d} was accepted. */
    private long seen;

    /** Forgets everything: the next index is accepted as the stream's first. */
    void reset() {
        highest = -1;
        seen = 0;
    }

    /**
     * The 48-bit SRTP index ({@code ROC << 16 | SEQ}) a packet with sequence number {@code seq} most likely has: the
     * one nearest to the highest index so far (RFC 3711 3.3.1). A stream's first packet has ROC 0.
     *
     * @return the index, or -1 if it would lie before index 0 (or past the 2^48 limit that needs new keys)
     */
    long rtpIndex(int seq) {
        if (highest < 0) {
            return seq;
        }
        long roc = highest >>> 16;
        int last = (int) highest & 0xFFFF;
        long v;
        if (last < 0x8000) {
            v = seq - last > 0x8000 ? roc - 1 : roc;
        } else {
            v = last - 0x8000 > seq ? roc + 1 : roc;
        }
        if (v < 0 || v > 0xFFFFFFFFL) {
            return -1;
        }
        return v << 16 | seq;
    }

    /** Whether {@code index} is new: OK, or REPLAY_FAIL (seen inside the window), or REPLAY_OLD (below it). */
    SrtpStatus check(long index) {
        if (index < 0) {
            return SrtpStatus.REPLAY_OLD;
        }
        if (highest < 0 || index > highest) {
            return SrtpStatus.OK;
        }
        long age = highest - index;
        if (age >= SIZE) {
            return SrtpStatus.REPLAY_OLD;
        }
        return (seen >>> age & 1) != 0 ? SrtpStatus.REPLAY_FAIL : SrtpStatus.OK;
    }

    /** Records {@code index} (which passed {@link #check}) as seen, moving the window if it is the newest. */
    void accept(long index) {
        if (highest < 0) {
            highest = index;
            seen = 1;
        } else if (index > highest) {
            long shift = index - highest;
            seen = shift >= SIZE ? 1 : seen << shift | 1;
            highest = index;
        } else {
            seen |= 1L << (highest - index);
        }
    }

    /** The highest index accepted, or -1. */
    long highest() {
        return highest;
    }
}
