package dev.prism.rtp.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * The engine's idle {@link OutboundDatagram}s, each with a direct buffer of {@link #BUFFER_SIZE} bytes. The send path
 * copies every packet into one (the socket sends from direct memory; SRTP works on heap arrays) and gets it back once
 * the channel has written it. Grows to the most datagrams ever in flight at once (a read batch's fan-out), keeps at
 * most {@link #MAX_IDLE} idle ones.
 *
 * <p>Why not Netty's pooled buffers and Recycler: a pooled buffer per datagram costs an allocation and a release, and
 * when a read batch puts more than 32 of them in flight, Netty's Recycler overflows its per-thread batch into a
 * linked queue that allocates a new chunk every 32 objects: garbage on every busy flush.
 *
 * <p>Threads: the engine's event loop only. Ownership: the pool owns the buffers of its idle envelopes and releases
 * them on {@link #close()}; an envelope in flight owns its own, and comes back (or, after close, releases it).
 */
final class OutboundDatagramPool {
    /** An Ethernet MTU: every RTP and RTCP packet Prism sends fits; larger datagrams take a one-off buffer. */
    static final int BUFFER_SIZE = 1500;
    static final int MAX_IDLE = 1024;

    private final ByteBufAllocator allocator;
    private final ArrayDeque<OutboundDatagram> idle = new ArrayDeque<>();
    private boolean closed;

    OutboundDatagramPool(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    /**
     * An envelope holding a copy of {@code data}'s readable bytes, to {@code to}. Takes ownership of {@code data} and
     * releases it.
     */
    OutboundDatagram copyOf(ByteBuf data, InetSocketAddress to) {
        try {
            int len = data.readableBytes();
            OutboundDatagram d;
            if (len > BUFFER_SIZE || closed) {
                d = new OutboundDatagram(null, allocator.directBuffer(len, len));
            } else {
                d = idle.pollLast();
                if (d == null) {
                    d = new OutboundDatagram(this, allocator.directBuffer(BUFFER_SIZE, BUFFER_SIZE));
                }
            }
            d.content().writeBytes(data, data.readerIndex(), len);
            return d.init(to);
        } finally {
            data.release();
        }
    }

    /** Takes back an envelope whose count reached 0. */
    void recycle(OutboundDatagram d) {
        ByteBuf buffer = d.ownBuffer();
        if (closed || idle.size() >= MAX_IDLE) {
            buffer.release();
        } else {
            buffer.clear();
            idle.addLast(d);
        }
    }

    /** Releases the idle buffers; envelopes still in flight release theirs when they come back. Idempotent. */
    void close() {
        closed = true;
        OutboundDatagram d;
        while ((d = idle.pollLast()) != null) {
            d.ownBuffer().release();
        }
    }

    /** Idle envelopes (for tests). */
    int idleCount() {
        return idle.size();
    }
}
