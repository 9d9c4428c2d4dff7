package dev.prism.rtp.router.downlink;

import io.netty.buffer.ByteBuf;

/**
 * What the send stage must remember about a retransmission until it leaves: the transport-wide number it gets is known
 * only then (the pacer numbers packets as they leave), and {@link RepairRetries} needs that number with the consumer,
 * the output sequence number and the try, to send it again when feedback reports it lost.
 *
 * <p>Retransmissions leave in the order they were sent (the pacer's retransmission ring is first in, first out, and
 * sends its oldest early when full), so the marks are a FIFO matched by buffer identity: the mark of a packet that never
 * left (a closed pacer) is skipped when a later one leaves. Preallocated; no allocation per packet.
 *
 * <p>Threading: the subscriber's event loop only. Buffers: only their identity is kept, never their ownership.
 */
final class RepairMarks {
    private final ByteBuf[] packets;
    private final RepairRetries.Target[] targets;
    private final int[] outSeqs;
    private final int[] tries;
    private int head;
    private int size;
    private RepairRetries.Target takenTarget;
    private int takenOutSeq;
    private int takenTry;

    RepairMarks(int capacity) {
        packets = new ByteBuf[capacity];
        targets = new RepairRetries.Target[capacity];
        outSeqs = new int[capacity];
        tries = new int[capacity];
    }

    /** Remembers {@code packet}'s mark; when full, the oldest mark is forgotten (its packet is then not retried). */
    void add(ByteBuf packet, RepairRetries.Target target, int outSeq, int n) {
        if (size == packets.length) {
            drop(1);
        }
        int i = (head + size) % packets.length;
        packets[i] = packet;
        targets[i] = target;
        outSeqs[i] = outSeq;
        tries[i] = n;
        size++;
    }

    /**
     * The mark of {@code packet}, which is leaving now: true and {@link #target()}, {@link #outSeq()}, {@link #tries()}
     * set when it has one (marks queued before it are stale and forgotten); false when it has none.
     */
    boolean take(ByteBuf packet) {
        for (int k = 0; k < size; k++) {
            int i = (head + k) % packets.length;
            if (packets[i] == packet) {
                takenTarget = targets[i];
                takenOutSeq = outSeqs[i];
                takenTry = tries[i];
                drop(k + 1);
                return true;
            }
        }
        return false;
    }

    RepairRetries.Target target() {
        return takenTarget;
    }

    int outSeq() {
        return takenOutSeq;
    }

    int tries() {
        return takenTry;
    }

    /** Marks waiting (tests). */
    int size() {
        return size;
    }

    /** Forgets every mark (the pacer released what it held). */
    void clear() {
        drop(size);
        takenTarget = null;
    }

    private void drop(int n) {
        for (int k = 0; k < n; k++) {
            packets[head] = null;
            targets[head] = null;
            head = (head + 1) % packets.length;
        }
        size -= n;
    }
}
