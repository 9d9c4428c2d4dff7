package dev.prism.rtp.router.downlink;

import dev.prism.rtp.router.uplink.PacketHistory;

/**
 * What one consumer sent recently: for each output sequence number, the publisher's stream (simulcast layer) and
 * sequence number it came from, the output timestamp it carried and, for VP8, the picture id / TL0PICIDX / KEYIDX its
 * rewritten descriptor carried (a retransmission must repeat them, and the producer's copy has the publisher's). A subscriber's NACK names output numbers; this log turns them back into packets of
 * the producer's {@link PacketHistory}, so retransmissions are rebuilt from the one shared copy plus this metadata and
 * no consumer keeps packet copies.
 *
 * <p>It also throttles repeats: a packet is retransmitted at most once per {@code minResendIntervalNanos} however often
 * it is NACKed (a receiver re-asks after its RTT; asking again sooner only wastes the link).
 *
 * <p>Preallocated arrays indexed by output sequence number; one thread (the room's event loop); no allocation.
 */
public final class SentPacketLog {
    private static final int NONE = -1;

    private final int[] outSeqs;
    private final int[] origSeqs;
    private final long[] outTimestamps;
    private final long[] lastResendNanos;
    private final byte[] layers;
    private final int[] pictureIds;
    private final short[] tl0PicIdxs;
    private final byte[] keyIdxs;
    private final int mask;

    /** @param capacity slots, a power of two between 16 and 32768; should cover the producer history's capacity */
    public SentPacketLog(int capacity) {
        if (capacity < 16 || capacity > 32768 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two in [16, 32768]: " + capacity);
        }
        outSeqs = new int[capacity];
        origSeqs = new int[capacity];
        outTimestamps = new long[capacity];
        lastResendNanos = new long[capacity];
        layers = new byte[capacity];
        pictureIds = new int[capacity];
        tl0PicIdxs = new short[capacity];
        keyIdxs = new byte[capacity];
        mask = capacity - 1;
        java.util.Arrays.fill(outSeqs, NONE);
    }

    public SentPacketLog() {
        this(PacketHistory.DEFAULT_CAPACITY);
    }

    /** Records that output {@code outSeq} carried the producer's {@code origSeq} with output timestamp {@code outTs}. */
    public void record(int outSeq, int origSeq, long outTs) {
        record(outSeq, 0, origSeq, outTs, -1, -1, -1);
    }

    /**
     * Records that output {@code outSeq} carried packet {@code origSeq} of the producer's spatial layer {@code layer},
     * with output timestamp {@code outTs} and the given rewritten VP8 counters (-1 for a field not carried).
     */
    public void record(int outSeq, int layer, int origSeq, long outTs, int pictureId, int tl0PicIdx, int keyIdx) {
        outSeq &= 0xFFFF;
        int i = outSeq & mask;
        outSeqs[i] = outSeq;
        origSeqs[i] = origSeq & 0xFFFF;
        outTimestamps[i] = outTs & 0xFFFF_FFFFL;
        lastResendNanos[i] = Long.MIN_VALUE;
        layers[i] = (byte) layer;
        pictureIds[i] = pictureId;
        tl0PicIdxs[i] = (short) tl0PicIdx;
        keyIdxs[i] = (byte) keyIdx;
    }

    /** The spatial layer of {@code outSeq}; only meaningful when {@link #originalSeq} found it. */
    public int layer(int outSeq) {
        return layers[outSeq & mask];
    }

    /** The rewritten VP8 picture id {@code outSeq} carried, -1 for none. */
    public int pictureId(int outSeq) {
        return pictureIds[outSeq & mask];
    }

    /** The rewritten TL0PICIDX {@code outSeq} carried, -1 for none. */
    public int tl0PicIdx(int outSeq) {
        return tl0PicIdxs[outSeq & mask];
    }

    /** The rewritten KEYIDX {@code outSeq} carried, -1 for none. */
    public int keyIdx(int outSeq) {
        return keyIdxs[outSeq & mask];
    }

    /** The producer's sequence number behind output {@code outSeq}, or -1 when this consumer did not send it lately. */
    public int originalSeq(int outSeq) {
        outSeq &= 0xFFFF;
        int i = outSeq & mask;
        return outSeqs[i] == outSeq ? origSeqs[i] : NONE;
    }

    /** The output timestamp of {@code outSeq}; only meaningful when {@link #originalSeq} found it. */
    public long outputTimestamp(int outSeq) {
        return outTimestamps[outSeq & mask];
    }

    /**
     * True (and records the resend at {@code nowNanos}) when {@code outSeq} is known and was not retransmitted within
     * the last {@code minIntervalNanos}.
     */
    public boolean tryResend(int outSeq, long nowNanos, long minIntervalNanos) {
        outSeq &= 0xFFFF;
        int i = outSeq & mask;
        if (outSeqs[i] != outSeq) {
            return false;
        }
        long last = lastResendNanos[i];
        if (last != Long.MIN_VALUE && nowNanos - last < minIntervalNanos) {
            return false;
        }
        lastResendNanos[i] = nowNanos;
        return true;
    }

    /** Forgets everything (the output sequence restarts). */
    public void clear() {
        java.util.Arrays.fill(outSeqs, NONE);
    }
}
