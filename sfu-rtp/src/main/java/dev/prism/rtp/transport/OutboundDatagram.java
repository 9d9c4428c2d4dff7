package dev.prism.rtp.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.Recycler;
import java.net.InetSocketAddress;

/**
 * A {@link DatagramPacket} for the send path that is recycled instead of allocated per packet. Netty's datagram
 * channels take any {@code DatagramPacket}; epoll's {@code sendmmsg} batching and its "already direct, no copy" check
 * only recognise that type, which is why this is a subclass and not a lighter {@code AddressedEnvelope}. The inherited
 * final fields hold placeholders; every accessor Netty uses is overridden to read this object's own fields.
 *
 * <p>Ownership: the envelope owns its content. The channel releases the envelope once the datagram is written (or
 * the write failed); the release that frees the content also returns the envelope to the pool, so nobody may touch an
 * envelope after handing it to the channel. Recycling is thread-safe (Netty's Recycler), though the engine creates and
 * the channel releases envelopes on the same event loop.
 */
final class OutboundDatagram extends DatagramPacket {
    private static final Recycler<OutboundDatagram> POOL = new Recycler<>() {
        @Override
        protected OutboundDatagram newObject(Handle<OutboundDatagram> handle) {
            return new OutboundDatagram(handle);
        }
    };
    private static final InetSocketAddress PLACEHOLDER = new InetSocketAddress(0);

    private final Recycler.Handle<OutboundDatagram> handle;
    private ByteBuf content;
    private InetSocketAddress recipient;

    private OutboundDatagram(Recycler.Handle<OutboundDatagram> handle) {
        super(Unpooled.EMPTY_BUFFER, PLACEHOLDER);
        this.handle = handle;
    }

    /** An envelope for {@code content} (ownership moves into it) to {@code recipient}. */
    static OutboundDatagram of(ByteBuf content, InetSocketAddress recipient) {
        OutboundDatagram d = POOL.get();
        d.content = content;
        d.recipient = recipient;
        return d;
    }

    @Override
    public ByteBuf content() {
        return content;
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
        return content.refCnt();
    }

    @Override
    public OutboundDatagram retain() {
        content.retain();
        return this;
    }

    @Override
    public OutboundDatagram retain(int increment) {
        content.retain(increment);
        return this;
    }

    @Override
    public OutboundDatagram touch() {
        content.touch();
        return this;
    }

    @Override
    public OutboundDatagram touch(Object hint) {
        content.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return recycleIf(content.release());
    }

    @Override
    public boolean release(int decrement) {
        return recycleIf(content.release(decrement));
    }

    private boolean recycleIf(boolean freed) {
        if (freed) {
            content = null;
            recipient = null;
            handle.recycle(this);
        }
        return freed;
    }

    @Override
    public String toString() {
        return "OutboundDatagram(=> " + recipient + ", " + content + ")";
    }
}
