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
 * One engine's ICE-TCP listener: accepts browsers' active TCP connections to the engine's passive candidate (one per
 * address family with IPv6 dual stack) on the engine's own event loop (the engine's group has one thread, which is
 * both the acceptor and every connection's loop), so a room's packets still arrive on the loop that owns the room,
 * whichever protocol and family carry them.
 *
 * <p>It enforces {@link TcpLimits}: checking connections per remote address and in all, connections in all, and the
 * ICE deadline; every refusal or forced close is counted by a bounded {@link DropReason} and logged at most once per
 * 10 s with the number not logged.
 *
 * <p>Threads: the engine's event loop only (accept, limits, bookkeeping); {@link #localPort()},
 * {@link #localPort6()} and {@link #closeSocket()} from any thread.
 */
final class TcpMediaListener {
    private static final Logger log = LoggerFactory.getLogger(TcpMediaListener.class);

    private final MediaEngine engine;
    private final TcpLimits limits;
    private final Channel serverChannel;
    /** IPv6 dual stack: the listening socket on the engine's IPv6 address, or null. */
    private final Channel serverChannel6;
    private final RepeatingLog rejectLog;
    // Event-loop-only bookkeeping.
    private final Set<TcpConnection> connections = new LinkedHashSet<>();
    private final Map<InetAddress, Integer> checkingByAddress = new HashMap<>();
    private int checking;

    /** A listener whose connections come from {@link #adopt} only (tests: connections on embedded channels). */
    TcpMediaListener(MediaEngine engine, TcpLimits limits) {
        this(engine, limits, null, null);
    }

    private TcpMediaListener(MediaEngine engine, TcpLimits limits, Channel serverChannel, Channel serverChannel6) {
        this.engine = engine;
        this.limits = limits;
        this.serverChannel = serverChannel;
        this.serverChannel6 = serverChannel6;
        this.rejectLog = new RepeatingLog(engine.clock(), 10_000);
    }

    /**
     * Binds the listening socket(s) on {@code group} (the engine's one-thread group). With IPv6 dual stack a second
     * socket listens on {@code bindAddress6}, on the IPv4 socket's port number when it is free; both feed this one
     * listener, so the limits count the engine's connections of both families together.
     *
     * @param port            the port; when {@code anyPortFallback} and it is taken, any free port instead
     * @param bindAddress6    the IPv6 address to listen on too, or null (IPv4 only)
     * @throws IllegalStateException naming the address and port when it cannot bind (nothing is left listening)
     */
    static TcpMediaListener bind(MediaEngine engine, EventLoopGroup group, boolean epoll, String bindAddress, int port,
                                 boolean anyPortFallback, String bindAddress6, TcpLimits limits)
            throws InterruptedException {
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
        Channel server = listen(b, bindAddress, port, anyPortFallback);
        Channel server6 = null;
        if (bindAddress6 != null) {
            int port4 = ((InetSocketAddress) server.localAddress()).getPort();
            try {
                // The IPv4 socket's port number: one number per media thread for both families, as for UDP; any
                // free one when that number was itself picked at random and is taken on IPv6.
                server6 = listen(b, bindAddress6, port4, anyPortFallback || port == 0);
            } catch (RuntimeException | InterruptedException e) {
                server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
                throw e;
            }
        }
        self[0] = new TcpMediaListener(engine, limits, server, server6);
        return self[0];
    }

    private static Channel listen(ServerBootstrap b, String address, int port, boolean anyPortFallback)
            throws InterruptedException {
        String shown = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
        try {
            return b.bind(address, port).sync().channel();
        } catch (Exception e) { // bind failures arrive as Netty's (checked) NativeIoException
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            if (!anyPortFallback) {
                throw new IllegalStateException("cannot bind the ICE-TCP socket " + shown + ":" + port + ": "
                        + e.getMessage() + wildcardHint(address), e);
            }
            log.info("media: TCP port {} on {} is taken; ICE-TCP listens on any free port there", port, shown);
            try {
                return b.bind(address, 0).sync().channel();
            } catch (Exception again) {
                if (again instanceof InterruptedException interrupted) {
                    throw interrupted;
                }
                throw new IllegalStateException("cannot bind the ICE-TCP socket " + shown + ": "
                        + again.getMessage() + wildcardHint(address), again);
            }
        }
    }

    /** The IPv6 wildcard also takes IPv4 on Linux unless v6only: the same hint as the IPv6 UDP socket's. */
    private static String wildcardHint(String address) {
        return address.equals("::") ? " (advertise an IPv6 address of this host to bind it alone)" : "";
    }

    TcpLimits limits() {
        return limits;
    }

    /** The listening port (0 for a listener without a socket). */
    int localPort() {
        return serverChannel == null ? 0 : ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The IPv6 listening port, or -1 without an IPv6 socket. */
    int localPort6() {
        return serverChannel6 == null ? -1 : ((InetSocketAddress) serverChannel6.localAddress()).getPort();
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
        if (serverChannel6 != null) {
            serverChannel6.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
