package dev.prism.rtp.bwe;

import dev.prism.rtp.packet.SeqNum;
import java.util.Arrays;

/**
 * What was sent under each transport-wide sequence number, for matching feedback: a ring indexed by the extended
 * number. Not thread-safe; no allocation after construction.
 */
final class SentPacketHistory {
    static final int CAPACITY = 1 << 14;
    private static final int MASK = CAPACITY - 1;

    private final long[] slotSeq = new long[CAPACITY];
    private final long[] sendMicros = new long[CAPACITY];
    private final int[] size = new int[CAPACITY];
    private final int[] cluster = new int[CAPACITY];
    private final boolean[] acked = new boolean[CAPACITY];
    private boolean any;
    private long highest;

    SentPacketHistory() {
        Arrays.fill(slotSeq, -1);
    }

    /** Records a packet; returns its slot. */
    int add(int seq, int bytes, long sentMicros, int clusterId) {
        long ext;
        if (!any) {
            any = true;
            ext = SeqNum.SPACE + (seq & SeqNum.MASK);
        } else {
            ext = SeqNum.unwrap(seq, highest);
        }
        if (ext > highest) {
            highest = ext;
        }
        int slot = (int) (ext & MASK);
        slotSeq[slot] = ext;
        sendMicros[slot] = sentMicros;
        size[slot] = bytes;
        cluster[slot] = clusterId;
        acked[slot] = false;
        return slot;
    }

    /** The slot of a sent packet still remembered, or -1. */
    int find(int seq) {
        if (!any) {
            return -1;
        }
        long ext = SeqNum.unwrap(seq, highest);
        if (ext > highest || highest - ext > MASK) {
            return -1;
        }
        int slot = (int) (ext & MASK);
        return slotSeq[slot] == ext ? slot : -1;
    }

    long sendMicros(int slot) {
        return sendMicros[slot];
    }

    int size(int slot) {
        return size[slot];
    }

    int cluster(int slot) {
        return cluster[slot];
    }

    boolean acked(int slot) {
        return acked[slot];
    }

    void ack(int slot) {
        acked[slot] = true;
    }
}
