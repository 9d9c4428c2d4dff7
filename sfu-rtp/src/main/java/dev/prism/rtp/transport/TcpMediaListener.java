package dev.prism.rtp.transport;

import dev.prism.core.text.RepeatingLog;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engine's ICE-TCP listener: accepts browsers' active TCP connections to the engine's passive candidate on the
 * engine's own event loop (the engine's group has one thread, which is both the acceptor and every connection's
 * loop), so a room's packets still arrive on the loop that owns the room, whichever protocol carries them.
 *
 * <p>It enforces {@link TcpLimits}: checking connections per remote address and in all, connections in all, and the
 * ICE deadline; every refusal or forced close is counted by a bounded {@link DropReason} and logged at most once per
 * 10 s with the number not logged.
 *
 * <p>Threads: the engine's event loop only (accept, limits, bookkeeping); {@link #localPort()} and {@link #close()}
 * from any thread.
 */
final class TcpMediaListener {
    private static final Logger log = LoggerFactory.getLogger(TcpMediaListener.class);

    private final MediaEngine engine;
    private final TcpLimits limits;
    private final Channel serverChannel;
    private final RepeatingLog rejectLog;
    // Event-loop-only bookkeeping.
    private final Set<TcpConnection> connections = new LinkedHashSet<>();
    private final Map<InetAddress, Integer> checkingByAddress = new HashMap<>();
    private int checking;

    /** A listener whose connections come from {@link #adopt} only (tests: connections on embedded channels). */
    TcpMediaListener(MediaEngine engine, TcpLimits limits) {
        this(engine, limits, null);
    }

    private TcpMediaListener(MediaEngine engine, TcpLimits limits, Channel serverChannel) {
        this.engine = engine;
        this.limits = limits;
        this.serverChannel = serverChannel;
        this.rejectLog = new RepeatingLog(engine.clock(), 10_000);
    }

    /**
     * Binds the listening socket on {@code group} (the engine's one-thread group).
     *
     * @param port            the port; when {@code anyPortFallback} and it is taken, any free port instead
     * @throws IllegalStateException naming the address and port when it cannot bind
     */
    static TcpMediaListener bind(MediaEngine engine, EventLoopGroup group, boolean epoll, String bindAddress, int port,
                                 boolean anyPortFallback, TcpLimits limits) throws InterruptedException {
        TcpMediaListener[] self = new TcpMediaListener[1];
        ServerBootstrap b = new ServerBootstrap()
                .group(group, group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true) // media: no Nagle delay on small packets
                .childOption(ChannelOption.ALLOCATOR, engine.allocator())
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(limits.sendQueueBytes() / 2, limits.sendQueueBytes()))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        self[0].adopt(ch, (InetSocketAddress) ch.remoteAddress());
                    }
                });
        Channel server;
        try {
            server = b.bind(bindAddress, port).sync().channel();
        } catch (Exception e) {
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            if (!anyPortFallback) {
                throw new IllegalStateException("cannot bind the ICE-TCP socket " + bindAddress + ":" + port + ": "
                        + e.getMessage(), e);
            }
            log.info("media: TCP port {} is taken; ICE-TCP listens on any free port", port);
            try {
                server = b.bind(bindAddress, 0).sync().channel();
            } catch (Exception again) {
                if (again instanceof InterruptedException interrupted) {
                    throw interrupted;
                }
                throw new IllegalStateException("cannot bind the ICE-TCP socket " + bindAddress + ": "
                        + again.getMessage(), again);
            }
        }
        self[0] = new TcpMediaListener(engine, limits, server);
        return self[0];
    }

    TcpLimits limits() {
        return limits;
    }

    /** The listening port (0 for a listener without a socket). */
    int localPort() {
        return serverChannel == null ? 0 : ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * Takes a newly accepted connection: refused (closed, counted) beyond the limits, else its handler is installed
     * and its ICE deadline starts. Event loop only. Returns the connection, or null when refused.
     */
    TcpConnection adopt(Channel channel, InetSocketAddress remote) {
        InetAddress address = remote.getAddress();
        if (connections.size() >= limits.maxConnections() || checking >= limits.maxChecking()) {
            refuse(channel, remote, DropReason.TCP_CONNECTION_LIMIT);
            return null;
        }
        int fromAddress = checkingByAddress.getOrDefault(address, 0);
        if (fromAddress >= limits.maxCheckingPerAddress()) {
            refuse(channel, remote, DropReason.TCP_ADDRESS_LIMIT);
            return null;
        }
        TcpConnection c = new TcpConnection(engine, this, channel, remote, limits.maxFrameLength());
        checkingByAddress.put(address, fromAddress + 1);
        checking++;
        connections.add(c);
        engine.counters().tcpConnection(true);
        channel.pipeline().addLast(c);
        c.setIceDeadline(engine.timers().schedule(() -> {
            if (c.isOpen() && c.transport() == null) {
                reject(c, DropReason.TCP_ICE_TIMEOUT, "no ICE check passed within "
                        + limits.iceDeadline().toMillis() + " ms");
            }
        }, limits.iceDeadline().toMillis(), TimeUnit.MILLISECONDS));
        return c;
    }

    private void refuse(Channel channel, InetSocketAddress remote, DropReason reason) {
        engine.counters().drop(reason);
        logRejection(remote, reason, "refused at accept");
        channel.close();
    }

    /** Closes {@code c} for bad behaviour, counted as {@code reason}. Event loop only. */
    void reject(TcpConnection c, DropReason reason, String why) {
        engine.counters().drop(reason);
        logRejection(c.remoteAddress(), reason, why);
        c.close();
    }

    private void logRejection(InetSocketAddress remote, DropReason reason, String why) {
        long more = rejectLog.admit();
        if (more >= 0) {
            log.warn("media: ICE-TCP connection from {} closed: {} (+{} more closed or refused since the last line; "
                    + "counted as drop.{})", remote, why, more, reason.metricName());
        }
    }

    /** {@code c} passed an ICE check: no longer counted as checking. */
    void bound(TcpConnection c) {
        stopChecking(c.remoteAddress().getAddress());
    }

    /** {@code c}'s channel went inactive. */
    void closed(TcpConnection c) {
        if (connections.remove(c)) {
            engine.counters().tcpConnection(false);
            if (c.transport() == null) {
                stopChecking(c.remoteAddress().getAddress());
            }
        }
    }

    private void stopChecking(InetAddress address) {
        checking--;
        checkingByAddress.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
    }

    /** Open connections (tests, admin). Event loop only. */
    int connectionCount() {
        return connections.size();
    }

    /** Connections still checking (tests). Event loop only. */
    int checkingCount() {
        return checking;
    }

    /** Closes the connections (event loop) and the listening socket. */
    void closeConnections() {
        for (TcpConnection c : new ArrayList<>(connections)) {
            c.close();
        }
    }

    void closeSocket() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
