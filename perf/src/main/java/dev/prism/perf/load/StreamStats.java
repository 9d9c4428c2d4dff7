package dev.prism.perf.load;

import dev.prism.core.rtp.MediaKind;
import java.util.Arrays;

/**
 * Reception of one RTP stream at one subscriber, by sequence number: media packets, retransmissions of its packets
 * (the original sequence number from an RTX packet) and filler (other packets on its SSRC that still take a sequence
 * number), the extended highest sequence number (RFC 3550 A.1 style, without probation), and which of the last
 * {@link #WINDOW} sequence numbers arrived, so that a retransmission can tell whether it repaired a loss. A mark starts
 * a measurement window.
 *
 * <p>Threads: the subscriber's event loop only. Nothing allocates after construction.
 */
final class StreamStats {
    /** How far behind the highest sequence number arrival is remembered. A power of two. */
    static final int WINDOW = 4096;

    /** Media packets that arrived, duplicates included (each one is timed). */
    static final int RECEIVED = 0;
    /** Media packets whose sequence number had already arrived (or been repaired). */
    static final int DUPLICATES = 1;
    /** Retransmissions (RTX) of this stream's packets. */
    static final int RETRANSMISSIONS = 2;
    /** Retransmissions whose original had not arrived: a loss repaired. */
    static final int REPAIRED = 3;
    /** Other packets on the media SSRC (padding-only, unrecognised payload) that take a sequence number. */
    static final int FILLER = 4;
    /** Sequence numbers received at least once, by any of the above. */
    static final int DISTINCT = 5;
    /** Packets more than {@link #WINDOW} behind the highest: whether they were new is unknown; not DISTINCT. */
    static final int TOO_OLD = 6;
    private static final int COUNTERS = 7;

    private static final int NEW = 0;
    private static final int SEEN = 1;
    private static final int OLD = 2;

    private final MediaKind kind;
    private final long[] arrived = new long[WINDOW / 64];
    private final long[] counts = new long[COUNTERS];
    private final long[] marks = new long[COUNTERS];
    private boolean started;
    private long highestExt;
    private long firstExt;
    private long markHighest;
    private boolean marked;

    StreamStats(MediaKind kind) {
        this.kind = kind;
    }

    MediaKind kind() {
        return kind;
    }

    /** A media packet with sequence number {@code seq}. @return whether it was the first arrival of that number */
    boolean onPacket(int seq) {
        counts[RECEIVED]++;
        int r = note(seq);
        if (r == SEEN) {
            counts[DUPLICATES]++;
        }
        return r == NEW;
    }

    /** A retransmission of original sequence number {@code osn}. @return whether it repaired a loss */
    boolean onRetransmission(int osn) {
        counts[RETRANSMISSIONS]++;
        boolean repaired = note(osn) == NEW;
        if (repaired) {
            counts[REPAIRED]++;
        }
        return repaired;
    }

    /** A packet on this SSRC that is not media (padding-only, say) but takes sequence number {@code seq}. */
    void onFiller(int seq) {
        counts[FILLER]++;
        note(seq);
    }

    private int note(int seq) {
        if (!started) {
            started = true;
            highestExt = seq;
            firstExt = seq;
            setArrived(seq);
            return NEW;
        }
        int delta = (short) (seq - (int) (highestExt & 0xFFFF));
        long ext = highestExt + delta;
        if (delta > 0) {
            forget(highestExt + 1, ext);
            highestExt = ext;
        } else if (-delta >= WINDOW) {
            counts[TOO_OLD]++;
            return OLD;
        }
        int i = (int) (ext & (WINDOW - 1));
        long bit = 1L << (i & 63);
        if ((arrived[i >>> 6] & bit) != 0) {
            return SEEN;
        }
        arrived[i >>> 6] |= bit;
        counts[DISTINCT]++;
        firstExt = Math.min(firstExt, ext); // reordered ahead of the first packet
        return NEW;
    }

    private void setArrived(long ext) {
        int i = (int) (ext & (WINDOW - 1));
        arrived[i >>> 6] |= 1L << (i & 63);
        counts[DISTINCT]++;
    }

    /** Clears the arrival bits of extended sequence numbers {@code [from, to]}: the window moves over them. */
    private void forget(long from, long to) {
        if (to - from + 1 >= WINDOW) {
            Arrays.fill(arrived, 0);
            return;
        }
        for (long e = from; e <= to; e++) {
            int i = (int) (e & (WINDOW - 1));
            arrived[i >>> 6] &= ~(1L << (i & 63));
        }
    }

    /** One counter ({@link #RECEIVED}, {@link #REPAIRED}, ...) since the stream began. */
    long count(int counter) {
        return counts[counter];
    }

    /** One counter since the mark. */
    long sinceMark(int counter) {
        return counts[counter] - marks[counter];
    }

    /** Media packets received, duplicates included. */
    long received() {
        return counts[RECEIVED];
    }

    /** Extended highest sequence number, or -1 before the first packet. */
    long highestExt() {
        return started ? highestExt : -1;
    }

    /**
     * Sequence numbers never received (not by media, retransmission or filler), 0 before the first packet. Unlike RFC
     * 3550's cumulative count, a duplicate does not make up for a loss; a packet {@link #TOO_OLD} to place counts as
     * lost.
     */
    long lost() {
        return started ? Math.max(0, highestExt - firstExt + 1 - counts[DISTINCT]) : 0;
    }

    /** Starts a window here. */
    void mark() {
        marked = started;
        markHighest = highestExt;
        System.arraycopy(counts, 0, marks, 0, COUNTERS);
    }

    /** Media packets received since the mark, duplicates included. */
    long receivedSinceMark() {
        return sinceMark(RECEIVED);
    }

    /** Packets the sender sent since the mark (by sequence number), 0 if the stream had not started at the mark. */
    long expectedSinceMark() {
        return marked ? highestExt - markHighest : 0;
    }
}
