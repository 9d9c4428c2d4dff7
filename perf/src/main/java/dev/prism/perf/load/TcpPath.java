package dev.prism.perf.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * One ICE-TCP connection to the SFU's passive TCP candidate (RFC 6544; we are the active side, as a browser is),
 * carrying STUN, DTLS and SRTP in RFC 4571 frames: {@link TcpFrameReader} on the way in, {@link FrameBatch} on the
 * way out (a read batch's or a pacer step's packets leave as one write at {@link #flush()}, as the UDP path's leave as
 * one sendmmsg). {@code TCP_NODELAY} as browsers set it.
 *
 * <p>Bounded: when the connection's send buffer passes its high-water mark (1 MiB queued) packets are dropped and
 * counted ({@link #sendDrops()}) instead of queued without end; the run's loss figure shows them. Threads and
 * buffers: {@link PeerPath}.
 */
final class TcpPath implements PeerPath {
    /** A pending batch this large is handed to the channel without waiting for the flush. */
    private static final int WRITE_AT_BYTES = 32 * 1024;

    private final LoadContext ctx;
    private final EventLoop loop;
    private final Receiver receiver;
    private final FrameBatch batch;
    private Channel channel;
    private boolean closed;
    private long drops;

    TcpPath(LoadContext ctx, EventLoop loop, Receiver receiver) {
        this.ctx = ctx;
        this.loop = loop;
        this.receiver = receiver;
        this.batch = new FrameBatch(ctx.allocator());
    }

    @Override
    public void open(InetSocketAddress remote, Runnable ready, Consumer<Throwable> failed) {
        Bootstrap b = new Bootstrap().group(loop)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 1024 * 1024))
                .handler(new TcpFrameReader(ctx.allocator(), remote, receiver));
        ChannelFuture f = b.connect(remote, new InetSocketAddress(ctx.bindAddress(), 0));
        channel = f.channel();
        f.addListener(done -> { // on the loop
            if (closed) {
                channel.close();
            } else if (done.isSuccess()) {
                ready.run();
            } else {
                failed.accept(done.cause());
            }
        });
    }

    @Override
    public void write(ByteBuf packet) {
        Channel c = channel;
        if (closed || c == null || !c.isActive() || !c.isWritable()) {
            packet.release();
            drops++;
            return;
        }
        batch.append(packet);
        if (batch.pendingBytes() >= WRITE_AT_BYTES) {
            c.write(batch.take(), c.voidPromise());
        }
    }

    @Override
    public void writeNow(ByteBuf packet) {
        write(packet);
        flush();
    }

    @Override
    public void reply(ByteBuf packet, InetSocketAddress to) {
        writeNow(packet); // a TCP connection answers on itself
    }

    @Override
    public void flush() {
        Channel c = channel;
        if (c == null) {
            return;
        }
        ByteBuf frames = batch.take();
        if (frames != null) {
            c.writeAndFlush(frames, c.voidPromise());
        } else {
            c.flush();
        }
    }

    @Override
    public String localCandidate() {
        // What a browser lists for ICE-TCP: an active candidate, port 9 (it connects; it never listens).
        return "1 1 tcp 1518280447 " + ctx.bindAddress() + " 9 typ host tcptype active generation 0";
    }

    @Override
    public long sendDrops() {
        return drops;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        batch.close();
        if (channel != null) {
            channel.close();
        }
    }
}
