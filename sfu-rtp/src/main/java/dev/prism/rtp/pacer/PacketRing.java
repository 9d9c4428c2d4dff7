package dev.prism.rtp.pacer;

import io.netty.buffer.ByteBuf;

/**
 * A bounded FIFO of queued packets, preallocated: each slot holds the packet and the index of its transport-wide
 * sequence number element's data (-1 for none), which the pacer's output fills in when the packet leaves.
 *
 * <p>Threading: one event loop. Buffers: the ring owns what it holds; {@link #poll} hands ownership back to the caller,
 * {@link #clear} releases everything.
 */
final class PacketRing {
    private final ByteBuf[] packets;
    private final int[] elementOffsets;
    private final long[] queuedAtNanos;
    private int head;
    private int size;
    private long bytes;

    PacketRing(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        packets = new ByteBuf[capacity];
        elementOffsets = new int[capacity];
        queuedAtNanos = new long[capacity];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean isFull() {
        return size == packets.length;
    }

    /** Bytes queued (readable bytes of every packet held). */
    long bytes() {
        return bytes;
    }

    /** Appends; the caller checked {@link #isFull()}. Takes ownership. */
    void add(ByteBuf packet, int elementOffset, long nowNanos) {
        int at = (head + size) % packets.length;
        packets[at] = packet;
        elementOffsets[at] = elementOffset;
        queuedAtNanos[at] = nowNanos;
        size++;
        bytes += packet.readableBytes();
    }

    /** The oldest packet's size in bytes; the ring is not empty. */
    int peekSize() {
        return packets[head].readableBytes();
    }

    /** The element offset of the oldest packet; read it before {@link #poll}. */
    int peekElementOffset() {
        return elementOffsets[head];
    }

    /** When the oldest packet was queued; the ring is not empty. */
    long peekQueuedAt() {
        return queuedAtNanos[head];
    }

    /** Removes the oldest packet and returns it; the caller owns it. */
    ByteBuf poll() {
        ByteBuf p = packets[head];
        packets[head] = null;
        head = (head + 1) % packets.length;
        size--;
        bytes -= p.readableBytes();
        return p;
    }

    /** Releases every packet held. Returns how many. */
    int clear() {
        int n = size;
        while (size > 0) {
            poll().release();
        }
        head = 0;
        return n;
    }
}
