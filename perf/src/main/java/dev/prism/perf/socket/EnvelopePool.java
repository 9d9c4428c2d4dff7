package dev.prism.perf.socket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import java.util.ArrayDeque;

/**
 * Idle reusable send envelopes of one kind, each with its own direct buffer of a fixed size, so that the send cases
 * cost what Prism's send path costs (it reuses its envelopes, see {@code OutboundDatagramPool}) and no buffer
 * allocation per datagram. The payload bytes are written once when a buffer is created: the cases measure the socket
 * path, not a copy into the envelope.
 *
 * <p>Ownership: the pool owns the buffers of its idle envelopes; an envelope handed to a channel owns its buffer until
 * the channel releases it, which returns it here (or, once the pool is closed, releases its buffer).
 * Threads: the owning event loop only (the channel releases written envelopes on its loop). Not thread-safe.
 *
 * @param <E> the envelope type
 */
final class EnvelopePool<E extends DatagramPacket> {
    /** Makes a new envelope around a filled buffer it will own. */
    interface Factory<E extends DatagramPacket> {
        E create(EnvelopePool<E> pool, ByteBuf buffer);
    }

    static final int MAX_IDLE = 4096;

    private final ArrayDeque<E> idle = new ArrayDeque<>();
    private final ByteBufAllocator alloc;
    private final int bufferSize;
    private final Factory<E> factory;
    private boolean closed;
    private int created;

    EnvelopePool(ByteBufAllocator alloc, int bufferSize, Factory<E> factory) {
        this.alloc = alloc;
        this.bufferSize = bufferSize;
        this.factory = factory;
    }

    /** An idle envelope, or a new one. The caller addresses it (reference count 1) and hands it to a channel. */
    E take() {
        E e = idle.pollLast();
        if (e != null) {
            return e;
        }
        ByteBuf b = alloc.directBuffer(bufferSize, bufferSize);
        for (int i = 0; i < bufferSize; i++) {
            b.writeByte(i);
        }
        created++;
        return factory.create(this, b);
    }

    /** Called by an envelope whose reference count reached 0: keeps it for reuse, or frees its buffer. */
    void recycle(E envelope) {
        if (closed || idle.size() >= MAX_IDLE) {
            envelope.content().release();
        } else {
            idle.addLast(envelope);
        }
    }

    /** Releases the idle envelopes' buffers; envelopes still in flight release theirs when they come back. */
    void close() {
        closed = true;
        for (E e = idle.pollLast(); e != null; e = idle.pollLast()) {
            e.content().release();
        }
    }

    /** Envelopes made so far: the most that were in flight at once. */
    int created() {
        return created;
    }
}
