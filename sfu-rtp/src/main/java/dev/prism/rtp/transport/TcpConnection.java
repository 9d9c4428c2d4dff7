package dev.prism.rtp.transport;

import dev.prism.core.clock.Timers;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ICE-TCP connection a browser opened to an engine's passive candidate (RFC 6544), and the media path through
 * it. Inbound, the stream is cut into RFC 4571 frames ({@link Rfc4571Framer}), each handed to the engine exactly as a
 * UDP datagram would be: STUN routed by USERNAME, then DTLS and SRTP routed by the connection itself once a STUN check
 * on it bound it to a transport. Outbound, packets are framed into one direct buffer per flush (a read batch's
 * packets to this peer leave as one write) and sent when the engine flushes.
 *
 * <p>Threads: the engine's event loop only (the connection is registered on it), except
 * {@link #sendCopyFromAnyThread}, which hops there. Buffers: each read is owned here and released after framing;
 * frames are lent to the engine for the call ({@link Rfc4571Framer}). {@link #send} takes ownership of its argument
 * in every outcome. The batch buffer is owned here until written; the framer's split-frame buffer and a pending batch
 * are released when the channel goes inactive.
 */
final class TcpConnection extends ChannelInboundHandlerAdapter implements Rfc4571Framer.FrameSink {
    private static final Logger log = LoggerFactory.getLogger(TcpConnection.class);
    /** Outbound batch size: several media packets; a bigger one is made for a single larger packet. */
    static final int BATCH_BYTES = 8192;

    private final MediaEngine engine;
    private final TcpMediaListener listener;
    private final Channel channel;
    private final InetSocketAddress remote;
    private final Rfc4571Framer framer;
    private WebRtcTransport transport;
    private Timers.Handle iceDeadline;
    private long readNanos;
    private ByteBuf batch;
    private boolean dirty;
    private boolean closed;

    TcpConnection(MediaEngine engine, TcpMediaListener listener, Channel channel, InetSocketAddress remote,
                  int maxFrameLength) {
        this.engine = engine;
        this.listener = listener;
        this.channel = channel;
        this.remote = remote;
        this.framer = new Rfc4571Framer(maxFrameLength, engine.allocator());
    }

    InetSocketAddress remoteAddress() {
        return remote;
    }

    /** The transport this connection passed an ICE check for, or null while checking. */
    WebRtcTransport transport() {
        return transport;
    }

    boolean isOpen() {
        return !closed;
    }

    void setIceDeadline(Timers.Handle handle) {
        iceDeadline = handle;
    }

    /** A STUN check on this connection passed for {@code t}: from now on its DTLS and SRTP go to {@code t}. */
    void bind(WebRtcTransport t) {
        transport = t;
        if (iceDeadline != null) {
            iceDeadline.cancel();
            iceDeadline = null;
        }
        listener.bound(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        // As for UDP: the arrival is stamped before any work on the bytes (transport-wide feedback).
        readNanos = engine.clock().nanos();
        try {
            if (!closed && framer.feed(in, this) == Rfc4571Framer.Result.FRAME_TOO_LONG) {
                listener.reject(this, DropReason.TCP_FRAME_TOO_LONG, "frame length above "
                        + listener.limits().maxFrameLength());
            }
        } catch (RuntimeException e) {
            engine.handlerFailed(e, remote);
        } finally {
            in.release();
        }
    }

    @Override
    public void onFrame(ByteBuf frame) {
        if (!closed) {
            engine.onTcpFrame(frame, this, readNanos);
        }
    }

    @Override
    public void onEmptyFrame() {
        engine.counters().drop(DropReason.TCP_EMPTY_FRAME);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        engine.flushPendingWrites();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and broken pipes are how browsers leave; nothing to log per connection.
        log.debug("media: TCP connection from {}: {}", remote, cause.toString());
        close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (iceDeadline != null) {
            iceDeadline.cancel();
            iceDeadline = null;
        }
        framer.close();
        if (batch != null) {
            batch.release();
            batch = null;
        }
        listener.closed(this);
        if (transport != null) {
            transport.tcpClosed(this);
        }
    }

    /**
     * Frames and queues one packet; it leaves at the engine's next flush, or now with {@code flushNow}. Takes
     * ownership of {@code packet}. Dropped (and counted) when the connection is closed or its send queue is full.
     */
    void send(ByteBuf packet, boolean flushNow) {
        int length = packet.readableBytes();
        try {
            if (closed) {
                engine.counters().drop(DropReason.SEND_NOT_CONNECTED);
                return;
            }
            if (!channel.isWritable()) {
                engine.counters().drop(DropReason.TCP_SEND_QUEUE_FULL);
                return;
            }
            int framed = Rfc4571Framer.HEADER_LENGTH + length;
            if (batch != null && batch.writableBytes() < framed) {
                channel.write(batch, channel.voidPromise());
                batch = null;
            }
            if (batch == null) {
                batch = engine.allocator().directBuffer(Math.max(BATCH_BYTES, framed));
            }
            batch.writeShort(length);
            batch.writeBytes(packet, packet.readerIndex(), length);
            engine.counters().sent(length);
        } finally {
            packet.release();
        }
        if (flushNow) {
            flush();
        } else if (!dirty) {
            dirty = true;
            engine.tcpWritePending(this);
        }
    }

    /** Writes the pending batch and flushes the channel. Event loop only. */
    void flush() {
        dirty = false;
        if (batch != null) {
            channel.write(batch, channel.voidPromise());
            batch = null;
        }
        channel.flush();
    }

    /** {@link #flush()} if something was queued since the last one. */
    void flushIfPending() {
        if (dirty) {
            flush();
        }
    }

    /** Sends a copy of {@code data} (DTLS records, from a handshake thread); any thread. */
    void sendCopyFromAnyThread(byte[] data, int offset, int length) {
        ByteBuf copy = engine.allocator().heapBuffer(length);
        copy.writeBytes(data, offset, length);
        channel.eventLoop().execute(() -> send(copy, true));
    }

    /** Closes the connection (its clean-up runs when the channel goes inactive). Idempotent. */
    void close() {
        if (!closed) {
            closed = true;
            channel.close();
        }
    }

    @Override
    public String toString() {
        return "TcpConnection[" + remote + (transport == null ? " checking" : " " + transport.id()) + "]";
    }
}
