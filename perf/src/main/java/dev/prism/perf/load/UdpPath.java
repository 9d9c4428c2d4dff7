package dev.prism.perf.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * A participant's own UDP socket, bound before its SDP is written (the host candidate it lists). Writes are queued
 * in the channel and leave at {@link #flush()} (one sendmmsg for a batch). Threads and buffers: {@link PeerPath}.
 */
final class UdpPath implements PeerPath {
    private final Channel channel;
    private InetSocketAddress remote;

    private UdpPath(Channel channel) {
        this.channel = channel;
    }

    /** Binds a socket on {@code loop}; blocks briefly. */
    static UdpPath bind(LoadContext ctx, EventLoop loop, Receiver receiver) throws InterruptedException {
        Bootstrap b = new Bootstrap().group(loop) // this loop, not the group's next one
                .channel(Epoll.isAvailable() ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 2 * 1024 * 1024)
                .option(ChannelOption.SO_SNDBUF, 2 * 1024 * 1024)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext c, DatagramPacket p) {
                        receiver.onPacket(p.content(), p.sender(), System.nanoTime());
                    }

                    @Override
                    public void channelReadComplete(ChannelHandlerContext c) {
                        receiver.onReadComplete();
                    }
                });
        return new UdpPath(b.bind(ctx.bindAddress(), 0).sync().channel());
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void open(InetSocketAddress r, Runnable ready, Consumer<Throwable> failed) {
        this.remote = r;
        ready.run();
    }

    @Override
    public void write(ByteBuf packet) {
        channel.write(new DatagramPacket(packet, remote), channel.voidPromise());
    }

    @Override
    public void writeNow(ByteBuf packet) {
        channel.writeAndFlush(new DatagramPacket(packet, remote), channel.voidPromise());
    }

    @Override
    public void reply(ByteBuf packet, InetSocketAddress to) {
        channel.writeAndFlush(new DatagramPacket(packet, to), channel.voidPromise());
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public String localCandidate() {
        InetSocketAddress a = localAddress();
        return "1 1 udp 2122260223 " + a.getAddress().getHostAddress() + " " + a.getPort() + " typ host generation 0";
    }

    @Override
    public long sendDrops() {
        return 0;
    }

    @Override
    public void close() {
        channel.close();
    }
}
