package dev.prism.rtp.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.IllegalReferenceCountException;
import java.net.InetSocketAddress;

/**
 * A {@link DatagramPacket} the engine sends, reused through an {@link OutboundDatagramPool} together with its own
 * direct buffer: a datagram on the send path costs no envelope, no buffer allocation and no buffer release, just a
 * copy of the packet into memory the socket can send from. Netty's datagram channels accept any
 * {@code DatagramPacket}; epoll's {@code sendmmsg} batching and its "already direct, no copy" check only recognise
 * that type, hence a subclass. The inherited final fields hold placeholders; every accessor Netty uses is overridden.
 *
 * <p>Reference counting is the envelope's own: created with a count of 1, which the channel's release after the
 * write brings to 0, which returns it to its pool (or, for a one-off envelope around an oversized packet, releases
 * that packet's buffer). Nobody may touch an envelope after handing it to the channel.
 *
 * <p>Threads: the engine's event loop only, like the pool: it is created there, and the channel (whose loop that is)
 * releases it there. Not thread-safe.
 */
final class OutboundDatagram extends DatagramPacket {
    private static final InetSocketAddress PLACEHOLDER = new InetSocketAddress(0);

    private final OutboundDatagramPool pool;
    /** The reused buffer; null for a one-off envelope. */
    private final ByteBuf own;
    private ByteBuf content;
    private InetSocketAddress recipient;
    private int refCnt;

    /** A reusable envelope owning {@code buffer} (direct, writer index 0); or a one-off if {@code pool} is null. */
    OutboundDatagram(OutboundDatagramPool pool, ByteBuf buffer) {
        super(Unpooled.EMPTY_BUFFER, PLACEHOLDER);
        this.pool = pool;
        this.own = pool == null ? null : buffer;
        this.content = buffer;
    }

    /** Ready to send {@code content} (its own buffer, filled; or the one-off's) to {@code recipient}. */
    OutboundDatagram init(InetSocketAddress recipient) {
        this.recipient = recipient;
        this.refCnt = 1;
        return this;
    }

    /** The reused buffer, for the pool to fill or release; null for a one-off. */
    ByteBuf ownBuffer() {
        return own;
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
        return refCnt;
    }

    @Override
    public OutboundDatagram retain() {
        return retain(1);
    }

    @Override
    public OutboundDatagram retain(int increment) {
        if (refCnt <= 0 || increment <= 0) {
            throw new IllegalReferenceCountException(refCnt, increment);
        }
        refCnt += increment;
        return this;
    }

    @Override
    public OutboundDatagram touch() {
        return this;
    }

    @Override
    public OutboundDatagram touch(Object hint) {
        return this;
    }

    @Override
    public boolean release() {
        return release(1);
    }

    @Override
    public boolean release(int decrement) {
        if (decrement <= 0 || decrement > refCnt) {
            throw new IllegalReferenceCountException(refCnt, -decrement);
        }
        refCnt -= decrement;
        if (refCnt > 0) {
            return false;
        }
        recipient = null;
        if (pool != null) {
            pool.recycle(this);
        } else {
            content.release();
            content = null;
        }
        return true;
    }

    @Override
    public String toString() {
        return "OutboundDatagram(=> " + recipient + ", " + content + ")";
    }
}
