package dev.prism.rtp.transport;

import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.IceCandidate;
import dev.prism.core.rtp.IceParameters;
import dev.prism.rtp.dtls.DtlsSession;
import dev.prism.rtp.ice.IceCheckResult;
import dev.prism.rtp.ice.IceLiteAgent;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.srtp.SrtpImplementation;
import dev.prism.srtp.SrtpKeyingMaterial;
import dev.prism.srtp.SrtpProfile;
import dev.prism.srtp.SrtpSession;
import dev.prism.srtp.SrtpStatus;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer connection's transport: ICE-lite, DTLS and SRTP for one remote browser connection, all on the UDP socket
 * of its {@link MediaEngine} (the engine of the transport's room).
 *
 * <p>Threading: every method runs on its engine's event loop ({@link MediaEngine#eventLoop()}), except the DTLS
 * callbacks, which arrive on a handshake thread and hop to the loop at once.
 *
 * <p>Buffers: inbound datagrams are lent by the engine; SRTP is decrypted into a pooled heap copy that the transport
 * owns and releases after its listener returns. {@link #sendRtp} and {@link #sendRtcp} take ownership of their
 * argument in every case (sent, or released on failure); the packet is encrypted in place, then the engine copies it
 * into a reused direct buffer for the socket.
 */
public final class WebRtcTransport {
    private static final Logger log = LoggerFactory.getLogger(WebRtcTransport.class);

    /** Ways a transport ends up; the admin view prints them. */
    public enum State { NEW, CHECKING, CONNECTING, CONNECTED, CLOSED }

    private final MediaEngine engine;
    private final String id;
    private IceLiteAgent ice;
    private int iceRestarts;
    private final TransportListener listener;
    private final RtpPacket rtpView = new RtpPacket();
    private DtlsSession dtls;
    private DtlsFingerprint remoteFingerprint;
    private DtlsRole remoteSetup;
    private SrtpSession srtp;
    private State state = State.NEW;
    private volatile InetSocketAddress remoteAddress;
    private String closeReason;

    WebRtcTransport(MediaEngine engine, String id, IceParameters localIce, TransportListener listener) {
        this.engine = engine;
        this.id = id;
        this.ice = new IceLiteAgent(localIce, engine.clock());
        this.listener = listener;
    }

    /** A label for logs: "room/participant/pub" or similar. */
    public String id() {
        return id;
    }

    public IceParameters localIceParameters() {
        return ice.localParameters();
    }

    public DtlsFingerprint localFingerprint() {
        return engine.certificate().fingerprint();
    }

    public List<IceCandidate> localCandidates() {
        return engine.localCandidates();
    }

    public State state() {
        return state;
    }

    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    /** The SRTP implementation protecting this transport's media, or null before DTLS finished. Event loop only. */
    SrtpImplementation srtpImplementation() {
        SrtpSession s = srtp;
        return s == null ? null : s.implementation();
    }

    /** The address media is sent to, or null before ICE. */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * The remote side's ICE and DTLS parameters from its SDP. May come after the first ICE checks and even after the
     * DTLS ClientHello (a subscriber answer races the browser's connectivity checks). {@code remoteSetup} ACTIVE or
     * ACTPASS makes Prism the DTLS server; PASSIVE makes it the client.
     */
    public void setRemoteParameters(IceParameters remoteIce, DtlsFingerprint fingerprint, DtlsRole remoteSetup) {
        ice.setRemoteParameters(remoteIce);
        this.remoteFingerprint = fingerprint;
        this.remoteSetup = remoteSetup;
        if (dtls != null) {
            dtls.setExpectedRemoteFingerprint(fingerprint);
        } else if (remoteSetup == DtlsRole.PASSIVE) {
            startDtls(false);
        }
    }

    /** The browser's ICE credentials from its last SDP, or null before any. */
    public IceParameters remoteIceParameters() {
        return ice.remoteParameters();
    }

    /**
     * ICE restart (RFC 8445 section 9): fresh local credentials, so the browser's checks under the old ones stop
     * counting and the pair it nominates next (possibly from a new network) becomes the media path. DTLS and SRTP carry
     * on untouched: a restart renews the path, not the keys. The caller puts the new credentials in its next SDP and
     * sets the browser's new ones with {@link #setRemoteParameters}. Event loop only.
     */
    public void restartIce() {
        if (state == State.CLOSED) {
            return;
        }
        engine.restartIce(this);
    }

    /** ICE restarts so far. */
    public int iceRestarts() {
        return iceRestarts;
    }

    /** Called by the engine with the new local credentials; consent is counted afresh from now. */
    void replaceIce(IceParameters local) {
        ice = new IceLiteAgent(local, engine.clock());
        iceRestarts++;
        log.info("transport={} ice restart, ufrag {}", id, local.ufrag());
    }

    void onStun(ByteBuf packet, InetSocketAddress from) {
        if (state == State.CLOSED) {
            return;
        }
        IceCheckResult r = ice.handleBindingRequest(packet, from, engine.allocator());
        switch (r.outcome()) {
            case OK -> {
                engine.bindAddress(from, this);
                if (remoteAddress == null || r.nominated() || from.equals(ice.selectedAddress())) {
                    if (remoteAddress != null && !from.equals(remoteAddress)) {
                        log.info("transport={} remote address changed {} -> {}", id, remoteAddress, from);
                    }
                    remoteAddress = from;
                }
                if (state == State.NEW) {
                    state = State.CHECKING;
                    log.info("transport={} ice checking from {}", id, from);
                }
                engine.writeAndFlush(r.response(), from);
            }
            case MALFORMED -> engine.counters().drop(DropReason.STUN_MALFORMED);
            case UNKNOWN_USERNAME -> engine.counters().drop(DropReason.STUN_UNKNOWN_USERNAME);
            case BAD_INTEGRITY -> engine.counters().drop(DropReason.STUN_BAD_INTEGRITY);
            case BAD_FINGERPRINT -> engine.counters().drop(DropReason.STUN_BAD_FINGERPRINT);
            default -> engine.counters().drop(DropReason.STUN_OTHER);
        }
    }

    void onDtls(ByteBuf datagram, InetSocketAddress from) {
        if (state == State.CLOSED) {
            return;
        }
        if (dtls == null) {
            startDtls(true);
        }
        if (state == State.CHECKING || state == State.NEW) {
            state = State.CONNECTING;
        }
        if (remoteAddress == null) {
            remoteAddress = from;
        }
        dtls.onDatagram(datagram);
    }

    void onSrtp(ByteBuf datagram, boolean rtcp) {
        SrtpSession s = srtp;
        if (s == null) {
            engine.counters().drop(DropReason.SRTP_NOT_READY);
            return;
        }
        // SRTP runs on arrays (the JDK's AES and GHASH take byte[]), the socket reads into direct memory. SrtpSession
        // accepts the direct datagram too, but through a scratch copy and back: one copy into a pooled heap buffer
        // here is cheaper, and leaves listeners that retain the packet an exact-size buffer.
        int len = datagram.readableBytes();
        ByteBuf plain = engine.allocator().heapBuffer(len);
        try {
            plain.writeBytes(datagram, datagram.readerIndex(), len);
            SrtpStatus status = rtcp ? s.unprotectRtcp(plain) : s.unprotectRtp(plain);
            if (status != SrtpStatus.OK) {
                engine.counters().drop(switch (status) {
                    case AUTH_FAIL -> DropReason.SRTP_AUTH_FAIL;
                    case REPLAY_FAIL, REPLAY_OLD -> DropReason.SRTP_REPLAY;
                    default -> DropReason.SRTP_OTHER;
                });
                return;
            }
            if (rtcp) {
                listener.onRtcp(this, plain);
            } else if (rtpView.wrap(plain)) {
                listener.onRtp(this, rtpView);
            } else {
                engine.counters().drop(DropReason.RTP_MALFORMED);
            }
        } finally {
            plain.release();
        }
    }

    /**
     * Encrypts and sends one RTP packet. Takes ownership of {@code packet}, which must have at least
     * {@link SrtpSession#MAX_TRAILER} writable bytes; a heap buffer is cheapest (see {@link SrtpSession}). Call on the
     * event loop, from a read (flushed at read-complete).
     */
    public void sendRtp(ByteBuf packet) {
        send(packet, false, false);
    }

    /** Encrypts and sends one compound RTCP packet now (flushes). Takes ownership of {@code packet}. */
    public void sendRtcp(ByteBuf packet) {
        send(packet, true, true);
    }

    private void send(ByteBuf packet, boolean rtcp, boolean flushNow) {
        InetSocketAddress to = remoteAddress;
        SrtpSession s = srtp;
        if (s == null || to == null || state != State.CONNECTED) {
            packet.release();
            engine.counters().drop(DropReason.SEND_NOT_CONNECTED);
            return;
        }
        if (packet.writableBytes() < SrtpSession.MAX_TRAILER) {
            packet.release();
            engine.counters().drop(DropReason.SEND_NO_ROOM);
            return;
        }
        SrtpStatus status = rtcp ? s.protectRtcp(packet) : s.protectRtp(packet);
        if (status != SrtpStatus.OK) {
            packet.release();
            engine.counters().drop(DropReason.SRTP_OTHER);
            return;
        }
        if (flushNow) {
            engine.writeAndFlush(packet, to);
        } else {
            engine.write(packet, to);
        }
    }

    /** Closes ICE, DTLS and SRTP and tells the listener once. Idempotent. */
    public void close(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        closeReason = reason;
        log.info("transport={} closed: {}", id, reason);
        if (dtls != null) {
            dtls.close();
        }
        if (srtp != null) {
            srtp.close();
            srtp = null;
        }
        engine.unregister(this);
        listener.onClosed(this, reason);
    }

    public String closeReason() {
        return closeReason;
    }

    IceLiteAgent ice() {
        return ice;
    }

    private void startDtls(boolean serverRole) {
        dtls = new DtlsSession(engine.certificate(), serverRole, this::sendDtls, engine.handshakeExecutor(),
                new DtlsSession.Listener() {
                    @Override
                    public void onHandshakeComplete(SrtpProfile profile, SrtpKeyingMaterial keys) {
                        engine.eventLoop().execute(() -> dtlsConnected(profile, keys, serverRole));
                    }

                    @Override
                    public void onHandshakeFailed(String reason, Throwable cause) {
                        engine.eventLoop().execute(() -> {
                            engine.counters().dtlsFailed();
                            log.warn("transport={} DTLS handshake failed: {}", id, reason);
                            close("dtls failed: " + reason);
                        });
                    }

                    @Override
                    public void onClosed() {
                        engine.eventLoop().execute(() -> close("dtls close_notify"));
                    }
                });
        if (remoteFingerprint != null) {
            dtls.setExpectedRemoteFingerprint(remoteFingerprint);
        }
        dtls.start();
    }

    /** DTLS is done: SRTP with these keys from now on. Package-private for the perf module's benchmarks. */
    void dtlsConnected(SrtpProfile profile, SrtpKeyingMaterial keys, boolean serverRole) {
        if (state == State.CLOSED) {
            return;
        }
        srtp = engine.srtp().create(profile, keys, serverRole);
        state = State.CONNECTED;
        engine.counters().dtlsSucceeded();
        log.info("transport={} connected remote={} srtp={} ({})", id, remoteAddress, profile, srtp.implementation());
        listener.onConnected(this);
    }

    /** DTLS records leave from the handshake thread: a copy in an unpooled buffer, written through the channel. */
    private void sendDtls(byte[] data, int offset, int length) {
        InetSocketAddress to = remoteAddress;
        if (to != null) {
            engine.writeAndFlushFromAnyThread(data, offset, length, to);
        }
    }

    /** Runs {@code task} on the media loop every {@code period}, first after one period; cancel it on close. */
    public io.netty.util.concurrent.ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long period,
                                                                          java.util.concurrent.TimeUnit unit) {
        return engine.eventLoop().scheduleAtFixedRate(task, period, period, unit);
    }

    DtlsRole remoteSetup() {
        return remoteSetup;
    }

    @Override
    public String toString() {
        return "WebRtcTransport[" + id + " " + state + "]";
    }
}
