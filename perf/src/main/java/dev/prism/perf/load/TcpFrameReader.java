package dev.prism.perf.load;

import dev.prism.rtp.transport.Rfc4571Framer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;

/**
 * The receive side of one ICE-TCP connection: cuts the stream into RFC 4571 frames with sfu-rtp's
 * {@link Rfc4571Framer} (a frame that lies whole in one read is lent as a window of the read buffer, no copy; only
 * a frame split across reads is copied, into one reused buffer) and hands each to the {@link PeerPath.Receiver} as the
 * UDP path hands a datagram. Every frame of one read gets that read's arrival time.
 *
 * <p>Buffers: each read is released here after framing; frames are lent for the call. Threads: the connection's loop.
 */
final class TcpFrameReader extends ChannelInboundHandlerAdapter implements Rfc4571Framer.FrameSink {
    private final Rfc4571Framer framer;
    private final InetSocketAddress remote;
    private final PeerPath.Receiver receiver;
    private long arrivalNanos;
    private long emptyFrames;

    TcpFrameReader(ByteBufAllocator allocator, InetSocketAddress remote, PeerPath.Receiver receiver) {
        this.framer = new Rfc4571Framer(FrameBatch.MAX_PACKET, allocator); // any 2-byte length is a frame
        this.remote = remote;
        this.receiver = receiver;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        arrivalNanos = System.nanoTime();
        try {
            framer.feed(in, this); // never FRAME_TOO_LONG: the maximum is the largest 2-byte length
        } finally {
            in.release();
        }
    }

    @Override
    public void onFrame(ByteBuf frame) {
        receiver.onPacket(frame, remote, arrivalNanos);
    }

    @Override
    public void onEmptyFrame() {
        emptyFrames++;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        receiver.onReadComplete();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        framer.close();
    }

    /** Bytes held of a frame split across reads. */
    int pendingBytes() {
        return framer.pendingBytes();
    }

    /** Zero-length frames skipped. */
    long emptyFrames() {
        return emptyFrames;
    }
}
