package dev.prism.perf.load;

import dev.prism.rtp.transport.Rfc4571Framer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The send side of RFC 4571 framing for one ICE-TCP connection: each packet is appended to one pending direct buffer
 * behind its 2-byte big-endian length, so a read batch's packets (a fan-out of feedback, a paced burst) leave as one
 * socket write. The one copy per packet is the one the UDP path makes too (Netty copies a heap datagram into a
 * direct buffer for the socket); no per-packet header buffer or composite is allocated.
 *
 * <p>Buffers: {@link #append} takes ownership of the packet (released after the copy); {@link #take()} hands the
 * pending buffer to the caller, who owns it from then on. Threads: the connection's loop; not thread-safe.
 */
final class FrameBatch implements AutoCloseable {
    /** The longest packet a 2-byte length can frame. */
    static final int MAX_PACKET = 0xFFFF;
    private static final int INITIAL_CAPACITY = 4096;

    private final ByteBufAllocator allocator;
    private ByteBuf pending;

    FrameBatch(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    /** Frames {@code packet} into the pending buffer. Takes ownership. Throws on a packet longer than 65,535 bytes. */
    void append(ByteBuf packet) {
        try {
            int length = packet.readableBytes();
            if (length > MAX_PACKET) {
                throw new IllegalArgumentException("an RFC 4571 frame holds at most 65535 bytes, got " + length);
            }
            if (pending == null) {
                pending = allocator.directBuffer(Math.max(INITIAL_CAPACITY, length + Rfc4571Framer.HEADER_LENGTH));
            }
            pending.writeShort(length);
            pending.writeBytes(packet, packet.readerIndex(), length);
        } finally {
            packet.release();
        }
    }

    /** Bytes pending (headers included). */
    int pendingBytes() {
        return pending == null ? 0 : pending.readableBytes();
    }

    /** The pending frames, now the caller's; null when nothing is pending. */
    ByteBuf take() {
        ByteBuf b = pending;
        pending = null;
        return b;
    }

    /** Drops anything pending. Idempotent. */
    @Override
    public void close() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
