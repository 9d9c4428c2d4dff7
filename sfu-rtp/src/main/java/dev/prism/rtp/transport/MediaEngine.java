package dev.prism.rtp.transport;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.clock.Timers;
import dev.prism.rtp.pacer.PacingLoop;
import dev.prism.core.rtp.IceCandidate;
import dev.prism.core.rtp.IceParameters;
import dev.prism.core.text.RepeatingLog;
import dev.prism.rtp.dtls.DtlsCertificate;
import dev.prism.rtp.dtls.DtlsHandshakePool;
import dev.prism.rtp.dtls.DtlsSession;
import dev.prism.srtp.SrtpImplementation;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media plane of one node: one UDP socket for every participant, demultiplexed by first byte (RFC 7983) into
 * STUN (routed by ICE username), DTLS and SRTP/SRTCP (routed by the remote address that passed an ICE check).
 *
 * <p>Threading: all media state of this engine (transports, routers, rooms) lives on one event loop,
 * {@link #eventLoop()}; the forwarding path needs no locks. A node runs one engine per core in a {@link MediaPlane},
 * each with its own loop and socket; a room and all its transports stay on one engine.
 *
 * <p>Buffers: the socket handler owns each received datagram and releases it after dispatch; everything it calls
 * borrows it.
 */
public final class MediaEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MediaEngine.class);

    private final MediaEngineConfig config;
    private final EventLoopGroup group;
    private final EventLoop loop;
    /** Where this engine's and its endpoints' timers run: the loop in production, a fake clock's in tests. */
    private final Timers timers;
    private final Channel channel;
    /** IPv6 dual stack: the engine's IPv6 socket on the same loop, or null (IPv4 only). */
    private final Channel channel6;
    private final DtlsCertificate certificate;
    private final DtlsHandshakePool handshakeExecutor;
    private final boolean ownsHandshakeExecutor;
    private final MediaCounters counters = new MediaCounters();
    private final ByteBufAllocator allocator;
    private final OutboundDatagramPool outbound;
    private final SecureRandom random = new SecureRandom();
    private final List<IceCandidate> candidates;
    /** Routes each received packet to its transport (event loop only). */
    private final PacketDemux demux = new PacketDemux(counters);
    private final List<WebRtcTransport> transports = new ArrayList<>();
    /** {@code transports.size()} for other threads (room placement). */
    private final AtomicInteger liveTransports = new AtomicInteger();
    /** Handshakes refused by a full pool come in bursts: one line per 10 s (event loop only). */
    private final RepeatingLog dtlsRefusedLog;
    /** Handshake settings of new transports (the deadline is {@link DtlsSession#DEFAULT_HANDSHAKE_DEADLINE}). */
    private volatile DtlsSession.Options dtlsOptions = DtlsSession.Options.DEFAULT;
    private boolean flushPending;
    /** ICE-TCP: the listener, or null when off. */
    private final TcpMediaListener tcp;
    /** ICE-TCP connections with packets queued since the last flush (event loop only). */
    private final List<TcpConnection> tcpWritesPending = new ArrayList<>();
    private long lastHandlerFailureLogNanos;
    /** The drain timer of this loop's pacers, made on first use; stays null while the pacer is off. */
    private PacingLoop pacing;

    private MediaEngine(MediaEngineConfig config, ByteBufAllocator allocator, DtlsCertificate certificate,
                        DtlsHandshakePool sharedHandshakeExecutor, String threadName) throws InterruptedException {
        this.config = config;
        config.srtp().prepare(); // loads and warms it up here, not on the media loop at the first connection
        this.allocator = allocator;
        this.dtlsRefusedLog = new RepeatingLog(config.clock(), 10_000);
        this.outbound = new OutboundDatagramPool(allocator);
        this.certificate = certificate != null ? certificate : DtlsCertificate.generate();
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadName),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.ownsHandshakeExecutor = sharedHandshakeExecutor == null;
        this.handshakeExecutor = ownsHandshakeExecutor ? new DtlsHandshakePool() : sharedHandshakeExecutor;
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
                .option(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024)
                .option(ChannelOption.ALLOCATOR, allocator)
                .handler(new DatagramHandler());
        // The advertised address rather than the wildcard when it is local: replies leave from where checks arrived.
        String bindAddress = MediaBindAddress.choose(config.bindAddress(), config.advertiseAddress());
        try {
            this.channel = b.bind(bindAddress, config.port()).sync().channel();
        } catch (Exception e) { // bind failures arrive as Netty's (checked) NativeIoException
            // A failed start leaves nothing running when it returns.
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            if (ownsHandshakeExecutor) {
                handshakeExecutor.close();
            }
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new IllegalStateException("cannot bind the media UDP socket " + bindAddress + ":"
                    + config.port() + ": " + e.getMessage(), e);
        }
        this.loop = channel.eventLoop();
        int port = ((InetSocketAddress) channel.localAddress()).getPort();
        this.timers = new EventLoopTimers(loop);
        String bindAddress6 = null;
        try {
            if (config.advertiseAddress6() != null) {
                // A socket of its own, on the same loop: its own handler instance, the same port number when fixed.
                bindAddress6 = MediaBindAddress.choose("::", config.advertiseAddress6());
                this.channel6 = bind6(b.clone().handler(new DatagramHandler()), bindAddress6,
                        config.port() == 0 ? 0 : port);
            } else {
                this.channel6 = null;
            }
            IceTcpConfig tcpConfig = config.iceTcp();
            if (tcpConfig.enabled()) {
                int tcpPort = tcpConfig.port() == IceTcpConfig.SAME_AS_UDP ? port : tcpConfig.port();
                // The same port number as UDP by default; when the UDP port was picked at random (0: tests), the same
                // number may be taken for TCP, and then any free one will do.
                this.tcp = TcpMediaListener.bind(this, group, epoll, bindAddress, tcpPort,
                        tcpConfig.port() == IceTcpConfig.SAME_AS_UDP && config.port() == 0, bindAddress6,
                        tcpConfig.limits());
            } else {
                this.tcp = null;
            }
        } catch (RuntimeException | InterruptedException e) {
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            if (ownsHandshakeExecutor) {
                handshakeExecutor.close();
            }
            throw e;
        }
        this.candidates = HostCandidates.of(config, port, tcp,
                channel6 == null ? -1 : ((InetSocketAddress) channel6.localAddress()).getPort());
        timers.scheduleAtFixedRate(this::checkConsent, 1, 1, TimeUnit.SECONDS);
        log.info("media: UDP {}:{}{}{} ({}, loop {}), advertising {}, SRTP {}, DTLS fingerprint {}",
                bindAddress, port, channel6 == null ? "" : ", UDP [" + bindAddress6 + "]:" + localPort6(),
                tcp == null ? ", ICE-TCP off" : ", ICE-TCP " + tcp.localPort()
                        + (channel6 == null ? "" : " and [" + bindAddress6 + "]:" + tcp.localPort6()),
                epoll ? "epoll" : "nio", threadName, channel6 == null ? config.advertiseAddress()
                        : config.advertiseAddress() + " and " + config.advertiseAddress6(), config.srtp(),
                this.certificate.fingerprint().value());
    }

    private static Channel bind6(Bootstrap b, String address, int port) throws InterruptedException {
        try {
            return b.bind(address, port).sync().channel();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // NativeIoException is checked
            throw new IllegalStateException("cannot bind the IPv6 media UDP socket [" + address + "]:" + port + ": "
                    + e.getMessage() + (address.equals("::") ? " (advertise an IPv6 address of this host to bind it"
                    + " alone)" : ""), e);
        }
    }

    /**
     * An engine on a channel the caller created and registered (an {@code EmbeddedChannel}: the test kit's
     * {@code EmbeddedMedia}, which perf's benchmarks use too), with no socket bound and no loop of its own: the real receive and send path, driven from the
     * channel's pipeline. The channel's event loop is the media loop. No candidates; {@link #localPort()} is
     * unsupported.
     */
    MediaEngine(MediaEngineConfig config, Channel channel) {
        this(config, channel, PooledByteBufAllocator.DEFAULT);
    }

    /** The same with another allocator (tests count its outstanding buffers). */
    MediaEngine(MediaEngineConfig config, Channel channel, ByteBufAllocator allocator) {
        this(config, channel, allocator, null);
    }

    /**
     * The same with the engine's timers given ({@code ManualTimers} on the config's fake clock in tests): then the
     * engine's own consent check runs on them too (every second, as in production). With {@code null}, timers run on
     * the channel's loop and the engine schedules no consent check of its own.
     */
    MediaEngine(MediaEngineConfig config, Channel channel, ByteBufAllocator allocator, Timers timers) {
        this.config = config;
        config.srtp().prepare();
        this.allocator = allocator;
        this.dtlsRefusedLog = new RepeatingLog(config.clock(), 10_000);
        this.outbound = new OutboundDatagramPool(allocator);
        this.certificate = DtlsCertificate.generate();
        this.group = null;
        this.ownsHandshakeExecutor = true;
        this.handshakeExecutor = new DtlsHandshakePool();
        this.channel = channel;
        this.channel6 = null;
        this.loop = channel.eventLoop();
        this.candidates = List.of();
        this.timers = timers != null ? timers : new EventLoopTimers(loop);
        // ICE-TCP without a socket: the test kit hands it connections on embedded channels (adoptTcp).
        this.tcp = config.iceTcp().enabled() ? new TcpMediaListener(this, config.iceTcp().limits()) : null;
        if (timers != null) {
            timers.scheduleAtFixedRate(this::checkConsent, 1, 1, TimeUnit.SECONDS);
        }
        channel.pipeline().addLast(new DatagramHandler());
    }

    /** Binds the socket and starts the loop. */
    public static MediaEngine start(MediaEngineConfig config) {
        return start(config, PooledByteBufAllocator.DEFAULT);
    }

    /** The same with another allocator for every buffer of the media plane (tests count its outstanding buffers). */
    static MediaEngine start(MediaEngineConfig config, ByteBufAllocator allocator) {
        return start(config, allocator, null, null, "prism-media");
    }

    /**
     * One engine of a {@link MediaPlane}: the plane's certificate and DTLS pool (null: its own), its loop's thread
     * named {@code threadName}.
     */
    static MediaEngine start(MediaEngineConfig config, ByteBufAllocator allocator, DtlsCertificate certificate,
                             DtlsHandshakePool handshakeExecutor, String threadName) {
        try {
            return new MediaEngine(config, allocator, certificate, handshakeExecutor, threadName);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the media socket", e);
        }
    }

    /** The loop that owns all media state; rooms run their control logic here too. */
    public EventLoop eventLoop() {
        return loop;
    }

    public int localPort() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** The IPv6 socket's port, or -1 without IPv6. */
    public int localPort6() {
        return channel6 == null ? -1 : ((InetSocketAddress) channel6.localAddress()).getPort();
    }

    /** The socket that sends to {@code to}: the IPv6 one for an IPv6 peer when there is one. */
    private Channel channelFor(InetSocketAddress to) {
        return channel6 != null && to.getAddress() instanceof Inet6Address ? channel6 : channel;
    }

    public List<IceCandidate> localCandidates() {
        return candidates;
    }

    /** The ICE-TCP port, or -1 when ICE-TCP is off (0 for an engine without sockets). */
    public int localTcpPort() {
        return tcp == null ? -1 : tcp.localPort();
    }

    /** The IPv6 ICE-TCP port, or -1 when ICE-TCP is off or the engine has no IPv6 socket. */
    public int localTcpPort6() {
        return tcp == null ? -1 : tcp.localPort6();
    }

    /** The ICE-TCP listener, or null when off. */
    TcpMediaListener tcpListener() {
        return tcp;
    }

    public DtlsCertificate certificate() {
        return certificate;
    }

    public MediaCounters counters() {
        return counters;
    }

    /**
     * The engine's timers: tasks run on {@link #eventLoop()} (in production; on the test's thread under a fake clock).
     * Endpoints and rooms on this engine schedule their periodic work here, never on the loop directly.
     */
    public Timers timers() {
        return timers;
    }

    /**
     * The coalesced drain timer shared by the pacers of this engine's subscribers (one per loop), or null when the
     * config turned the pacer off. Event loop only.
     */
    public PacingLoop pacing() {
        if (pacing == null && config.pacer()) {
            pacing = new PacingLoop(timers, config.clock(), this::flushPendingWrites, counters);
        }
        return pacing;
    }

    public MonoClock clock() {
        return config.clock();
    }

    /** The SRTP implementation this engine's transports use. */
    public SrtpImplementation srtp() {
        return config.srtp();
    }

    public ByteBufAllocator allocator() {
        return allocator;
    }

    /** The DTLS handshake threads (shared by the engines of a plane); its {@code rejected()} count is a metric. */
    public DtlsHandshakePool handshakeExecutor() {
        return handshakeExecutor;
    }

    DtlsSession.Options dtlsOptions() {
        return dtlsOptions;
    }

    /** Tests: a shorter handshake deadline for transports created from now on. */
    void setDtlsOptions(DtlsSession.Options options) {
        dtlsOptions = options;
    }

    /** Rate limit for the log line of a handshake refused by a full pool; event loop only. */
    RepeatingLog dtlsRefusedLog() {
        return dtlsRefusedLog;
    }

    /** Number of live transports; event loop only. */
    public int transportCount() {
        return transports.size();
    }

    /** Number of live transports; any thread. */
    public int liveTransports() {
        return liveTransports.get();
    }

    /**
     * Creates a transport with fresh ICE credentials. Event loop only.
     *
     * @param id a label for logs
     */
    public WebRtcTransport createTransport(String id, TransportListener listener) {
        assert loop.inEventLoop();
        String ufrag;
        do {
            ufrag = randomToken(8);
        } while (demux.transportOfUfrag(ufrag) != null);
        WebRtcTransport t = new WebRtcTransport(this, id, new IceParameters(ufrag, randomToken(24)), listener);
        demux.routeUfrag(ufrag, t);
        transports.add(t);
        liveTransports.incrementAndGet();
        return t;
    }

    /** Gives {@code t} fresh ICE credentials (ICE restart); the old ufrag stops routing to it. Event loop only. */
    void restartIce(WebRtcTransport t) {
        assert loop.inEventLoop();
        demux.unrouteUfrag(t.localIceParameters().ufrag(), t);
        String ufrag;
        do {
            ufrag = randomToken(8);
        } while (demux.transportOfUfrag(ufrag) != null);
        t.replaceIce(new IceParameters(ufrag, randomToken(24)));
        demux.routeUfrag(ufrag, t);
    }

    /**
     * Routes datagrams from {@code address} to {@code transport}. Returns true when the address was not routed to it
     * before (the transport then remembers it, and bounds how many it keeps). Event loop only.
     */
    boolean bindAddress(InetSocketAddress address, WebRtcTransport transport) {
        return demux.routeAddress(address, transport);
    }

    /** Stops routing {@code address} to {@code transport} (if it still is). Event loop only. */
    void unbindAddress(InetSocketAddress address, WebRtcTransport transport) {
        demux.unrouteAddress(address, transport);
    }

    /** Addresses routed to any transport (tests: the table stays bounded). Event loop only. */
    int routedAddressCount() {
        return demux.routedAddressCount();
    }

    void unregister(WebRtcTransport t) {
        demux.unrouteAll(t);
        if (transports.remove(t)) {
            liveTransports.decrementAndGet();
        }
    }

    /** Queues a datagram; flushed when the current read batch completes. Takes ownership. Event loop only. */
    void write(ByteBuf data, InetSocketAddress to) {
        counters.sent(data.readableBytes());
        Channel out = channelFor(to);
        out.write(envelope(data, to), out.voidPromise());
        flushPending = true;
    }

    /** {@code c} has packets queued: flush it with the rest of this read batch. Event loop only. */
    void tcpWritePending(TcpConnection c) {
        tcpWritesPending.add(c);
    }

    /**
     * Flushes what this read batch queued, on the UDP socket and on every ICE-TCP connection written to: a fan-out
     * reaches UDP and TCP subscribers alike whichever protocol the packet came in on. Event loop only.
     */
    void flushPendingWrites() {
        if (flushPending) {
            flushPending = false;
            channel.flush();
            if (channel6 != null) {
                channel6.flush(); // nothing queued costs a check of its outbound buffer
            }
        }
        if (!tcpWritesPending.isEmpty()) {
            for (int i = 0; i < tcpWritesPending.size(); i++) {
                tcpWritesPending.get(i).flushIfPending();
            }
            tcpWritesPending.clear();
        }
    }

    /** Sends a datagram now. Takes ownership. Event loop only. */
    void writeAndFlush(ByteBuf data, InetSocketAddress to) {
        counters.sent(data.readableBytes());
        Channel out = channelFor(to);
        out.writeAndFlush(envelope(data, to), out.voidPromise());
    }

    /**
     * A reused envelope holding {@code data} in direct memory, which the socket sends from (SRTP works on heap
     * arrays; Netty's channel would otherwise make this copy itself, with a new envelope per packet). Takes ownership
     * of {@code data}.
     */
    private OutboundDatagram envelope(ByteBuf data, InetSocketAddress to) {
        return outbound.copyOf(data, to);
    }

    /** The send path's envelopes; package-private so an engine on an embedded channel can release them. */
    OutboundDatagramPool outboundPool() {
        return outbound;
    }

    /** Sends a copy of {@code data}; any thread (DTLS handshake threads). */
    void writeAndFlushFromAnyThread(byte[] data, int offset, int length, InetSocketAddress to) {
        ByteBuf copy = Unpooled.copiedBuffer(data, offset, length);
        counters.sent(length);
        Channel out = channelFor(to);
        out.writeAndFlush(new DatagramPacket(copy, to), out.voidPromise());
    }

    /** One RFC 4571 frame from an ICE-TCP connection (lent for the call); see {@link PacketDemux#onTcpFrame}. */
    void onTcpFrame(ByteBuf frame, TcpConnection from, long readNanos) {
        demux.onTcpFrame(frame, from, readNanos);
    }

    /** A bug in handling one packet: counted, logged at most once a minute; costs the packet, not the socket. */
    void handlerFailed(RuntimeException e, InetSocketAddress from) {
        counters.drop(DropReason.HANDLER_FAILED);
        long now = config.clock().nanos();
        if (lastHandlerFailureLogNanos == 0 || now - lastHandlerFailureLogNanos > 60_000_000_000L) {
            lastHandlerFailureLogNanos = now;
            log.warn("media: failed to handle a packet from {} (logged at most once a minute; counted as "
                    + "drop.handler_failed)", from, e);
        }
    }

    private void checkConsent() {
        long now = config.clock().nanos();
        long limit = config.consentTimeout().toNanos();
        for (WebRtcTransport t : new ArrayList<>(transports)) {
            if (now - t.ice().lastValidRequestNanos() > limit) {
                t.close("ice consent expired");
            }
        }
    }

    private String randomToken(int length) {
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** One line with the totals and every non-zero drop counter, for logs. */
    public String countersSummary() {
        StringBuilder sb = new StringBuilder();
        sb.append("in=").append(counters.packetsIn()).append(" out=").append(counters.packetsOut())
                .append(" forwarded=").append(counters.rtpForwarded())
                .append(" keyframeRequests=").append(counters.keyframeRequests())
                .append(" nacks=").append(counters.nacksSent()).append('/').append(counters.nacksReceived())
                .append(" rtx=").append(counters.rtxReceived()).append('/').append(counters.retransmissions())
                .append(" dtls=").append(counters.dtlsHandshakes()).append('/').append(counters.dtlsFailures());
        counters.dropsSnapshot().forEach((reason, n) -> {
            if (n > 0) {
                sb.append(" drop.").append(reason.metricName()).append('=').append(n);
            }
        });
        return sb.toString();
    }

    @Override
    public void close() {
        log.info("media: closing; {}", countersSummary());
        try {
            loop.submit(() -> {
                for (WebRtcTransport t : new ArrayList<>(transports)) {
                    t.close("server shutting down");
                }
                if (tcp != null) {
                    tcp.closeConnections();
                }
            }).await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (tcp != null) {
            tcp.closeSocket();
        }
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (channel6 != null) {
            channel6.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        // The channel has released what it had queued; the idle envelopes' buffers go back to the allocator.
        loop.submit(outbound::close).awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
        if (ownsHandshakeExecutor) {
            handshakeExecutor.close();
        }
    }

    private final class DatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        DatagramHandler() {
            super(true); // releases each datagram after channelRead0: the handler owns it, the rest borrow it.
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            // Read the clock before any work on the datagram: transport-wide feedback reports this as its arrival, and
            // time spent decrypting or routing it must not look like network queueing to the sender's estimator.
            long readNanos = config.clock().nanos();
            try {
                demux.onDatagram(packet.content(), packet.sender(), readNanos);
            } catch (RuntimeException e) {
                // A bug must cost one packet, not the socket; and its log line must not flood the disk.
                handlerFailed(e, packet.sender());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            flushPendingWrites();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.warn("media: socket error", cause);
        }
    }
}
