package dev.prism.perf.socket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * A reusable {@link DatagramPacket} with its own direct buffer, from an {@link EnvelopePool}. It must be a
 * {@code DatagramPacket}: Netty's epoll channel batches only that type into {@code sendmmsg}. The inherited fields
 * hold placeholders; every accessor Netty uses is overridden.
 *
 * <p>Reference counting is the envelope's own ({@link EnvelopeRefCount}): {@link #to} sets it to 1, the channel's
 * release after the write brings it to 0 and returns the envelope to its pool. Nobody touches an envelope after handing it to a channel.
 * Threads: the pool's event loop only.
 */
final class PooledDatagram extends DatagramPacket {
    private static final InetSocketAddress PLACEHOLDER = new InetSocketAddress(0);

    private final EnvelopePool<PooledDatagram> pool;
    private final ByteBuf buffer;
    private InetSocketAddress recipient;
    private final EnvelopeRefCount references = new EnvelopeRefCount();

    PooledDatagram(EnvelopePool<PooledDatagram> pool, ByteBuf buffer) {
        super(Unpooled.EMPTY_BUFFER, PLACEHOLDER);
        this.pool = pool;
        this.buffer = buffer;
    }

    /** Ready to be written to {@code to}, with a reference count of 1. */
    PooledDatagram to(InetSocketAddress to) {
        this.recipient = to;
        references.reset();
        return this;
    }

    @Override
    public ByteBuf content() {
        return buffer;
    }

    @Override
    public InetSocketAddress recipient() {
        return recipient;
    }

    @Override
    public InetSocketAddress sender() {
        return null;
    }

    @Override
    public int refCnt() {
        return references.get();
    }

    @Override
    public PooledDatagram retain() {
        return retain(1);
    }

    @Override
    public PooledDatagram retain(int increment) {
        references.retain(increment);
        return this;
    }

    @Override
    public PooledDatagram touch() {
        return this;
    }

    @Override
    public PooledDatagram touch(Object hint) {
        return this;
    }

    @Override
    public boolean release() {
        return release(1);
    }

    @Override
    public boolean release(int decrement) {
        if (!references.release(decrement)) {
            return false;
        }
        recipient = null;
        pool.recycle(this);
        return true;
    }
}
