package dev.prism.perf.socket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.unix.SegmentedDatagramPacket;
import java.net.InetSocketAddress;

/**
 * A reusable UDP GSO send ({@link SegmentedDatagramPacket}): one buffer of several equal-size segments to one
 * recipient, which the kernel sends as that many datagrams from one {@code sendmmsg} entry with a {@code UDP_SEGMENT}
 * control message. Its own direct buffer, from an {@link EnvelopePool}; reference counting and threads as in
 * {@link PooledDatagram}. The segment size is fixed per envelope (the pool's buffer size is a multiple of it).
 */
final class PooledSegmentedDatagram extends SegmentedDatagramPacket {
    private static final InetSocketAddress PLACEHOLDER = new InetSocketAddress(0);

    private final EnvelopePool<PooledSegmentedDatagram> pool;
    private final ByteBuf buffer;
    private InetSocketAddress recipient;
    private final EnvelopeRefCount references = new EnvelopeRefCount();

    PooledSegmentedDatagram(EnvelopePool<PooledSegmentedDatagram> pool, ByteBuf buffer, int segmentSize) {
        super(Unpooled.EMPTY_BUFFER, segmentSize, PLACEHOLDER);
        this.pool = pool;
        this.buffer = buffer;
    }

    /** Ready to be written to {@code to}, with a reference count of 1. */
    PooledSegmentedDatagram to(InetSocketAddress to) {
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
    public PooledSegmentedDatagram retain() {
        return retain(1);
    }

    @Override
    public PooledSegmentedDatagram retain(int increment) {
        references.retain(increment);
        return this;
    }

    @Override
    public PooledSegmentedDatagram touch() {
        return this;
    }

    @Override
    public PooledSegmentedDatagram touch(Object hint) {
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
