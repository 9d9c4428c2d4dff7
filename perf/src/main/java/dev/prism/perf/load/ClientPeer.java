package dev.prism.perf.load;

import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.IceParameters;
import dev.prism.rtp.dtls.DtlsSession;
import dev.prism.rtp.packet.PacketClassifier;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.stun.StunIntegrity;
import dev.prism.rtp.stun.StunMessage;
import dev.prism.rtp.stun.StunMessageWriter;
import dev.prism.srtp.SrtpKeyingMaterial;
import dev.prism.srtp.SrtpProfile;
import dev.prism.srtp.SrtpSession;
import dev.prism.srtp.SrtpStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The client end of one WebRTC peer connection, as a browser would run it against an SFU: its own UDP socket or one
 * ICE-TCP connection to the SFU's passive TCP candidate ({@link PeerPath}: the rest is the same over both), ICE as
 * the controlling agent (nominating checks to the SFU's host candidate, then consent checks; it also answers the SFU's
 * checks, for full-ICE servers), DTLS-SRTP in either role, and SRTP both ways. It uses Prism's own STUN writer,
 * {@link DtlsSession} and {@link SrtpSession}.
 *
 * <p>Threads: everything runs on the event loop given at construction (its socket is registered there), except the
 * DTLS handshake, whose callbacks hop onto it. Its counters are read on that loop too. Buffers: {@link #sendRtp} and
 * {@link #sendRtcp} take ownership; handlers borrow what they are given.
 */
final class ClientPeer {
    /** What the peer reports; every call on the loop. */
    interface Handler {
        default void onConnected(ClientPeer peer) {
        }

        /** A decrypted RTP packet, borrowed; {@code arrivalNanos} is when the datagram was read. */
        default void onRtp(ClientPeer peer, RtpPacket packet, long arrivalNanos) {
        }

        /** A decrypted compound RTCP packet, borrowed. */
        default void onRtcp(ClientPeer peer, ByteBuf compound) {
        }
    }

    /** What the remote side's SDP says about its transport. */
    record Remote(IceParameters ice, DtlsFingerprint fingerprint, boolean remoteIsDtlsServer,
                  InetSocketAddress candidate, InetSocketAddress tcpCandidate) {
        /** The UDP host candidate, and no TCP one. */
        Remote(IceParameters ice, DtlsFingerprint fingerprint, boolean remoteIsDtlsServer, InetSocketAddress candidate) {
            this(ice, fingerprint, remoteIsDtlsServer, candidate, null);
        }

        /** The candidate a peer over {@code t} connects to, or null when the SDP has none. */
        InetSocketAddress candidate(PeerTransport t) {
            return t == PeerTransport.TCP ? tcpCandidate : candidate;
        }
    }

    private static final long CHECK_INTERVAL_MILLIS = 50;
    private static final long CONSENT_INTERVAL_MILLIS = 2_500;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LoadContext ctx;
    private final EventLoop loop;
    private final String name;
    private final Handler handler;
    private final PeerTransport transport;
    private final IceParameters localIce;
    private final long tieBreaker = RANDOM.nextLong() & Long.MAX_VALUE;
    private final RtpPacket view = new RtpPacket();
    private final CompletableFuture<ClientPeer> connected = new CompletableFuture<>();
    private PeerPath path;
    private Remote remote;
    private StunIntegrity remoteIntegrity;
    private final StunIntegrity localIntegrity;
    private ScheduledFuture<?> iceTimer;
    private boolean iceConnected;
    private DtlsSession dtls;
    private SrtpSession srtp;
    private SrtpProfile profile;
    private boolean closed;
    private long srtpFailures;
    private long packetsIn;
    private long packetsOut;
    private long datagramsIn;
    private long rtpIn;

    /** A peer over UDP. @param loop the event loop the socket, timers and handler calls run on */
    ClientPeer(LoadContext ctx, EventLoop loop, String name, Handler handler) {
        this(ctx, loop, name, handler, PeerTransport.UDP);
    }

    /** @param loop the event loop the socket, timers and handler calls run on */
    ClientPeer(LoadContext ctx, EventLoop loop, String name, Handler handler, PeerTransport transport) {
        this.ctx = ctx;
        this.loop = loop;
        this.name = name;
        this.handler = handler;
        this.transport = transport;
        this.localIce = new IceParameters(token(8), token(24));
        this.localIntegrity = StunIntegrity.forPassword(localIce.pwd());
    }

    /**
     * Binds the UDP socket (blocks briefly) or prepares the TCP connection (made by {@link #start}). Call before
     * writing the local SDP.
     */
    ClientPeer bind() throws InterruptedException {
        Inbound inbound = new Inbound();
        path = transport == PeerTransport.TCP ? new TcpPath(ctx, loop, inbound) : UdpPath.bind(ctx, loop, inbound);
        return this;
    }

    PeerTransport transport() {
        return transport;
    }

    String name() {
        return name;
    }

    IceParameters localIce() {
        return localIce;
    }

    DtlsFingerprint localFingerprint() {
        return ctx.certificate().fingerprint();
    }

    /** The UDP socket's address; null over TCP (the connection is made later, from an ephemeral port). */
    InetSocketAddress localAddress() {
        return path instanceof UdpPath u ? u.localAddress() : null;
    }

    /** The candidate our SDP lists (value of {@code a=candidate:}). */
    String localCandidate() {
        return path.localCandidate();
    }

    /** Packets dropped because the TCP connection's send buffer was full (0 over UDP). */
    long sendDrops() {
        return path == null ? 0 : path.sendDrops();
    }

    /** Completes on the loop once DTLS is done and SRTP keys are installed. */
    CompletableFuture<ClientPeer> connected() {
        return connected;
    }

    boolean isConnected() {
        return srtp != null && !closed;
    }

    /** The SRTP profile DTLS negotiated, or null before. */
    SrtpProfile srtpProfile() {
        return profile;
    }

    long srtpFailures() {
        return srtpFailures;
    }

    long packetsIn() {
        return packetsIn;
    }

    long packetsOut() {
        return packetsOut;
    }

    /** Every datagram read from the socket (STUN, DTLS, SRTP, SRTCP, anything), before any check. */
    long datagramsIn() {
        return datagramsIn;
    }

    /** RTP packets decrypted and well-framed, each handed to {@link Handler#onRtp}. */
    long rtpIn() {
        return rtpIn;
    }

    /**
     * Starts ICE towards the remote candidate of this peer's transport (over TCP: once connected); DTLS follows the
     * first successful check. Loop only.
     */
    void start(Remote r) {
        assert loop.inEventLoop();
        InetSocketAddress to = r.candidate(transport);
        if (to == null) {
            connected.completeExceptionally(new IllegalStateException(name + ": the remote SDP has no "
                    + transport.label() + " candidate"));
            close();
            return;
        }
        this.remote = r;
        this.remoteIntegrity = StunIntegrity.forPassword(r.ice().pwd());
        path.open(to, this::beginIce, cause -> {
            connected.completeExceptionally(new IllegalStateException(name + ": cannot reach " + to, cause));
            close();
        });
    }

    private void beginIce() {
        if (closed) {
            return;
        }
        iceTimer = loop.scheduleAtFixedRate(this::sendCheck, 0, CHECK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        if (!remote.remoteIsDtlsServer()) {
            startDtls(); // we are the DTLS server: be ready for the ClientHello
        }
    }

    /** Encrypts and queues one RTP packet (a heap buffer with SRTP trailer room). Takes ownership. Loop only. */
    void sendRtp(ByteBuf packet) {
        send(packet, false);
    }

    /** Encrypts and queues one compound RTCP packet. Takes ownership. Loop only. */
    void sendRtcp(ByteBuf packet) {
        send(packet, true);
    }

    /** Sends everything queued since the last flush (one sendmmsg where the transport has it). */
    void flush() {
        if (path != null && !closed) {
            path.flush();
        }
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (iceTimer != null) {
            iceTimer.cancel(false);
        }
        if (dtls != null) {
            dtls.close();
        }
        if (srtp != null) {
            srtp.close();
            srtp = null;
        }
        if (path != null) {
            path.close();
        }
        if (!connected.isDone()) {
            connected.completeExceptionally(new IllegalStateException(name + " closed before connecting"));
        }
    }

    private void send(ByteBuf packet, boolean rtcp) {
        SrtpSession s = srtp;
        if (s == null || closed) {
            packet.release();
            return;
        }
        SrtpStatus status = rtcp ? s.protectRtcp(packet) : s.protectRtp(packet);
        if (status != SrtpStatus.OK) {
            packet.release();
            srtpFailures++;
            return;
        }
        packetsOut++;
        path.write(packet);
    }

    private void sendCheck() {
        if (closed) {
            return;
        }
        byte[] txid = new byte[StunMessage.TRANSACTION_ID_LENGTH];
        RANDOM.nextBytes(txid);
        ByteBuf check = StunMessageWriter.start(ctx.allocator(), StunMessage.BINDING_REQUEST, txid)
                .username(remote.ice().ufrag() + ":" + localIce.ufrag())
                .priority(1845501695L)
                .iceControlling(tieBreaker)
                .useCandidate()
                .finish(remoteIntegrity, true);
        path.writeNow(check);
    }

    private void onStun(ByteBuf buf, InetSocketAddress from) {
        StunMessage m = StunMessage.parse(buf);
        if (m == null) {
            return;
        }
        if (m.isBindingRequest()) {
            // A full-ICE server checks our side too: answer it (we never verify its role; we are controlling).
            if (localIntegrity.verify(buf, m)) {
                ByteBuf response = StunMessageWriter.bindingSuccessResponse(ctx.allocator(), m.transactionId(), from,
                        localIntegrity);
                path.reply(response, from);
            }
            return;
        }
        if (m.messageType() == StunMessage.BINDING_SUCCESS_RESPONSE && !iceConnected && iceTimer != null) {
            iceConnected = true;
            iceTimer.cancel(false);
            iceTimer = loop.scheduleAtFixedRate(this::sendCheck, CONSENT_INTERVAL_MILLIS,
                    CONSENT_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
            if (remote.remoteIsDtlsServer()) {
                startDtls();
            }
        }
    }

    private void startDtls() {
        boolean serverRole = !remote.remoteIsDtlsServer();
        dtls = new DtlsSession(ctx.certificate(), serverRole, this::sendDtls, ctx.handshakes(),
                new DtlsSession.Listener() {
                    @Override
                    public void onHandshakeComplete(SrtpProfile profile, SrtpKeyingMaterial keys) {
                        loop.execute(() -> dtlsDone(profile, keys, serverRole));
                    }

                    @Override
                    public void onHandshakeFailed(String reason, Throwable cause) {
                        loop.execute(() -> {
                            connected.completeExceptionally(new IllegalStateException(
                                    name + ": DTLS failed: " + reason, cause));
                            close();
                        });
                    }

                    @Override
                    public void onClosed() {
                        loop.execute(ClientPeer.this::close);
                    }
                });
        dtls.setExpectedRemoteFingerprint(remote.fingerprint());
        dtls.start();
    }

    private void dtlsDone(SrtpProfile profile, SrtpKeyingMaterial keys, boolean serverRole) {
        if (closed) {
            return;
        }
        srtp = SrtpSession.create(profile, keys, serverRole);
        this.profile = profile;
        connected.complete(this);
        handler.onConnected(this);
    }

    /** From the handshake thread: a copy, written on the loop (the path is the loop's). */
    private void sendDtls(byte[] data, int offset, int length) {
        ByteBuf copy = Unpooled.copiedBuffer(data, offset, length);
        try {
            loop.execute(() -> {
                if (closed) {
                    copy.release();
                } else {
                    path.writeNow(copy);
                }
            });
        } catch (RejectedExecutionException e) {
            copy.release(); // the run is shutting down
        }
    }

    private void onSrtp(ByteBuf datagram, boolean rtcp, long arrivalNanos) {
        SrtpSession s = srtp;
        if (s == null) {
            return;
        }
        int len = datagram.readableBytes();
        ByteBuf plain = ctx.allocator().heapBuffer(len);
        try {
            plain.writeBytes(datagram, datagram.readerIndex(), len);
            SrtpStatus status = rtcp ? s.unprotectRtcp(plain) : s.unprotectRtp(plain);
            if (status != SrtpStatus.OK) {
                srtpFailures++;
                return;
            }
            packetsIn++;
            if (rtcp) {
                handler.onRtcp(this, plain);
            } else if (view.wrap(plain)) {
                rtpIn++;
                handler.onRtp(this, view, arrivalNanos);
            }
        } finally {
            plain.release();
        }
    }

    /** Every datagram or frame the path reads, classified once (RFC 7983). */
    private final class Inbound implements PeerPath.Receiver {
        @Override
        public void onPacket(ByteBuf buf, InetSocketAddress from, long now) {
            datagramsIn++;
            switch (PacketClassifier.classify(buf)) {
                case PacketClassifier.STUN -> onStun(buf, from);
                case PacketClassifier.DTLS -> {
                    if (dtls != null) {
                        dtls.onDatagram(buf);
                    }
                }
                case PacketClassifier.RTP -> onSrtp(buf, false, now);
                case PacketClassifier.RTCP -> onSrtp(buf, true, now);
                default -> { }
            }
        }

        @Override
        public void onReadComplete() {
            flush(); // feedback written while handling the batch
        }
    }

    private static String token(int length) {
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = alphabet.charAt(RANDOM.nextInt(alphabet.length()));
        }
        return new String(c);
    }

    @Override
    public String toString() {
        return "ClientPeer[" + name + (isConnected() ? " connected" : "") + "]";
    }
}
