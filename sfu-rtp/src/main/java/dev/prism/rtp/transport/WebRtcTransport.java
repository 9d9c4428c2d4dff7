package dev.prism.rtp.transport;

import dev.prism.core.clock.Timers;
import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.text.RepeatingLog;
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
 * One peer connection's transport: ICE-lite, DTLS and SRTP for one remote browser connection, over the UDP socket of
 * its {@link MediaEngine} (the engine of the transport's room) or an ICE-TCP connection to that engine.
 *
 * <p>The media path is the source of the check ICE selected: a UDP address, or an ICE-TCP connection
 * ({@link TcpConnection}, bound to this transport by the first check that passed on it). STUN, DTLS and SRTP are the
 * same bytes on either; only where they are written differs ({@link #protocol()}).
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
    /** Logs the first check that passes under restarted credentials (where a recovery's time goes). */
    private boolean firstCheckAfterRestart;
    /** An ICE restart's first nominated path is still to come: if it moves, the listener hears onPathMoved. */
    private boolean pathMovePending;
    private final TransportListener listener;
    private final RtpPacket rtpView = new RtpPacket();
    /** When the datagram being handed to the listener was read from the socket. */
    private long receivedAtNanos;
    private DtlsSession dtls;
    private DtlsFingerprint remoteFingerprint;
    private DtlsRole remoteSetup;
    private SrtpSession srtp;
    private State state = State.NEW;
    private volatile InetSocketAddress remoteAddress;
    /** The ICE-TCP connection media goes to, or null when the path is UDP (or none yet). */
    private volatile TcpConnection remoteTcp;
    /** The connection of the last nominating check (null: it came over UDP). */
    private TcpConnection nominatedTcp;
    /** ICE-TCP connections bound to this transport, oldest first; at most {@link TcpLimits#maxPerTransport()}. */
    private final java.util.ArrayDeque<TcpConnection> tcpConnections = new java.util.ArrayDeque<>(2);
    private String closeReason;
    /** The addresses routed to this transport, oldest first; at most {@link #MAX_ADDRESSES}. */
    private final java.util.ArrayDeque<InetSocketAddress> boundAddresses = new java.util.ArrayDeque<>();
    private final RepeatingLog addressLog;

    /**
     * Source addresses one transport may have routed to it at once. A browser checks from a few candidates (host,
     * server-reflexive, relayed; IPv4 and IPv6); a peer that checks from thousands of ports, each with valid
     * credentials, must not grow the engine's address table: the oldest address not in use is forgotten.
     */
    static final int MAX_ADDRESSES = 8;

    WebRtcTransport(MediaEngine engine, String id, IceParameters localIce, TransportListener listener) {
        this.engine = engine;
        this.id = id;
        this.ice = new IceLiteAgent(localIce, engine.clock());
        this.listener = listener;
        this.addressLog = new RepeatingLog(engine.clock(), 10_000);
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

    /**
     * When the datagram now being handed to the listener ({@code onRtp}/{@code onRtcp}) was read from the socket, on
     * the engine's clock: taken before decryption and routing, so per-packet work on the loop does not show as network
     * delay in transport-wide feedback. Only meaningful during that call. Event loop only.
     */
    public long receivedAtNanos() {
        return receivedAtNanos;
    }

    /** The engine's pacer drain timer ({@link MediaEngine#pacing()}), null when the pacer is off. Event loop only. */
    public dev.prism.rtp.pacer.PacingLoop pacing() {
        return engine.pacing();
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

    /** {@code "tcp"} when media goes over an ICE-TCP connection, else {@code "udp"}; any thread. */
    public String protocol() {
        return remoteTcp != null ? "tcp" : "udp";
    }

    /**
     * The remote side's ICE and DTLS parameters from its SDP. May come after the first ICE checks and even after the
     * DTLS ClientHello (a subscriber answer races the browser's connectivity checks). {@code remoteSetup} ACTIVE or
     * ACTPASS makes Prism the DTLS server; PASSIVE (an answer may choose it, RFC 8842 5.3) makes it the client, which
     * sends its ClientHello as soon as an ICE check has given it the peer's address (now, if one already has). The
     * role is fixed by the first DTLS session: a later call only updates the fingerprint.
     */
    public void setRemoteParameters(IceParameters remoteIce, DtlsFingerprint fingerprint, DtlsRole remoteSetup) {
        ice.setRemoteParameters(remoteIce);
        this.remoteFingerprint = fingerprint;
        this.remoteSetup = remoteSetup;
        if (dtls != null) {
            dtls.setExpectedRemoteFingerprint(fingerprint);
        } else {
            startClientDtlsIfReady();
        }
    }

    /** Prism is the DTLS client (the peer said passive) and ICE has given it an address: the handshake starts. */
    private void startClientDtlsIfReady() {
        if (dtls == null && remoteSetup == DtlsRole.PASSIVE && remoteAddress != null && state != State.CLOSED) {
            state = State.CONNECTING;
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
        firstCheckAfterRestart = true;
        pathMovePending = remoteAddress != null;
        log.info("transport={} ice restart, ufrag {}", id, local.ufrag());
    }

    void onStun(ByteBuf packet, InetSocketAddress from) {
        onStun(packet, from, null);
    }

    /** A STUN request from {@code from}, over UDP ({@code via} null) or the ICE-TCP connection {@code via}. */
    void onStun(ByteBuf packet, InetSocketAddress from, TcpConnection via) {
        if (state == State.CLOSED) {
            return;
        }
        IceCheckResult r = ice.handleBindingRequest(packet, from, engine.allocator());
        switch (r.outcome()) {
            case OK -> {
                if (firstCheckAfterRestart) {
                    firstCheckAfterRestart = false;
                    log.info("transport={} ice restart: first check from {}{}{}", id, from, via == null ? "" : " over TCP",
                            r.nominated() ? " (nominated)" : "");
                }
                if (via == null) {
                    if (engine.bindAddress(from, this)) {
                        rememberAddress(from);
                    }
                } else if (via.transport() == null) {
                    via.bind(this);
                    rememberConnection(via);
                }
                if (r.nominated()) {
                    nominatedTcp = via;
                }
                boolean moved = false;
                if (remoteAddress == null || r.nominated()
                        || from.equals(ice.selectedAddress()) && via == nominatedTcp) {
                    moved = remoteAddress != null && (!from.equals(remoteAddress) || via != remoteTcp);
                    selectPath(from, via);
                }
                boolean firstCheck = state == State.NEW;
                if (firstCheck) {
                    state = State.CHECKING;
                    log.info("transport={} ice checking from {}{}", id, from, via == null ? "" : " over TCP");
                }
                if (via == null) {
                    engine.writeAndFlush(r.response(), from);
                } else {
                    via.send(r.response(), true);
                }
                startClientDtlsIfReady();
                if (firstCheck) {
                    listener.onIceChecking(this); // after the response: its work must not delay the handshake
                }
                if (pathMovePending && r.nominated()) {
                    pathMovePending = false;
                    if (moved && state == State.CONNECTED) {
                        pathMovedAfterRestart(from, via, "nominated");
                    }
                }
            }
            case MALFORMED -> engine.counters().drop(DropReason.STUN_MALFORMED);
            case UNKNOWN_USERNAME -> engine.counters().drop(DropReason.STUN_UNKNOWN_USERNAME);
            case BAD_INTEGRITY -> engine.counters().drop(DropReason.STUN_BAD_INTEGRITY);
            case BAD_FINGERPRINT -> engine.counters().drop(DropReason.STUN_BAD_FINGERPRINT);
            default -> engine.counters().drop(DropReason.STUN_OTHER);
        }
    }

    /** Media goes to {@code from}, over {@code via} when it is an ICE-TCP connection. */
    private void selectPath(InetSocketAddress from, TcpConnection via) {
        if (remoteAddress != null && (!from.equals(remoteAddress) || via != remoteTcp)) {
            long suppressed = addressLog.admit();
            if (suppressed >= 0) {
                log.info("transport={} remote address changed {} -> {}{} ({} changes not logged)", id,
                        remoteAddress, from, via == null ? "" : " over TCP", suppressed);
            }
        }
        setTcpPath(via);
        remoteAddress = from;
    }

    /** Sets the ICE-TCP connection of the path, keeping the count of transports on TCP. */
    private void setTcpPath(TcpConnection via) {
        if ((remoteTcp == null) != (via == null)) {
            engine.counters().transportsOnTcp(via == null ? -1 : 1);
        }
        remoteTcp = via;
    }

    /** A connection bound to this transport; closes the oldest one not carrying media beyond the limit. */
    private void rememberConnection(TcpConnection c) {
        tcpConnections.addLast(c);
        TcpMediaListener listener = engine.tcpListener();
        int max = listener == null ? TcpLimits.DEFAULT.maxPerTransport() : listener.limits().maxPerTransport();
        if (tcpConnections.size() <= max) {
            return;
        }
        for (TcpConnection old : tcpConnections) {
            if (old != remoteTcp && old != c && old != nominatedTcp) {
                tcpConnections.remove(old);
                old.close();
                return;
            }
        }
    }

    /** An ICE-TCP connection bound to this transport closed: media stops going to it. Event loop only. */
    void tcpClosed(TcpConnection c) {
        tcpConnections.remove(c);
        if (nominatedTcp == c) {
            nominatedTcp = null;
        }
        if (remoteTcp == c) {
            // No path until the browser's next check picks one (its consent checks, or an ICE restart).
            setTcpPath(null);
            remoteAddress = null;
        }
    }

    /** ICE-TCP connections bound to this transport (tests). Event loop only. */
    int tcpConnectionCount() {
        return tcpConnections.size();
    }

    /** A new address routed to this transport; forgets the oldest unused one beyond {@link #MAX_ADDRESSES}. */
    private void rememberAddress(InetSocketAddress from) {
        boundAddresses.addLast(from);
        if (boundAddresses.size() <= MAX_ADDRESSES) {
            return;
        }
        InetSocketAddress selected = ice.selectedAddress();
        for (java.util.Iterator<InetSocketAddress> it = boundAddresses.iterator(); it.hasNext(); ) {
            InetSocketAddress old = it.next();
            if (!old.equals(remoteAddress) && !old.equals(selected) && !old.equals(from)) {
                it.remove();
                engine.unbindAddress(old, this);
                return;
            }
        }
    }

    /** Addresses routed to this transport now (tests, admin). Event loop only. */
    int boundAddressCount() {
        return boundAddresses.size();
    }

    void onDtls(ByteBuf datagram, InetSocketAddress from) {
        onDtls(datagram, from, null);
    }

    /** A DTLS record from {@code from}, over UDP ({@code via} null) or the ICE-TCP connection {@code via}. */
    void onDtls(ByteBuf datagram, InetSocketAddress from, TcpConnection via) {
        if (state == State.CLOSED) {
            return;
        }
        if (dtls == null) {
            if (remoteSetup == DtlsRole.PASSIVE) {
                // The peer said it is the DTLS server: a ClientHello from it breaks the SDP's contract.
                engine.counters().drop(DropReason.DTLS_UNEXPECTED_ROLE);
                return;
            }
            startDtls(true);
        }
        if (state == State.CHECKING || state == State.NEW) {
            state = State.CONNECTING;
        }
        if (remoteAddress == null) {
            selectPath(from, via);
        }
        dtls.onDatagram(datagram);
    }

    /**
     * {@link #onSrtp(ByteBuf, boolean, long)} for a datagram from {@code from} (UDP). After an ICE restart, before the
     * browser nominates a pair, authenticated media from another address that ICE checked (the demux routes only
     * those here) is where the browser already sends: it has switched to a new path and nominates it on a later check,
     * up to half a second on. The path follows the media at once (what mediasoup does for ICE-lite).
     */
    void onSrtp(ByteBuf datagram, boolean rtcp, long readNanos, InetSocketAddress from) {
        if (onSrtp(datagram, rtcp, readNanos) && pathMovePending && state == State.CONNECTED
                && !from.equals(remoteAddress)) {
            pathMovePending = false;
            selectPath(from, null);
            pathMovedAfterRestart(from, null, "media arrived there first");
        }
    }

    /** The first path after an ICE restart is another one: the listener measures it afresh and asks for key frames. */
    private void pathMovedAfterRestart(InetSocketAddress to, TcpConnection via, String how) {
        log.info("transport={} ice restart: media path moved to {}{} ({})", id, to, via == null ? "" : " over TCP", how);
        listener.onPathMoved(this);
    }

    /**
     * SRTP or SRTCP for this transport: decrypted into a pooled heap copy and handed to the listener.
     *
     * @return true when it authenticated (and was handed on, unless malformed)
     */
    boolean onSrtp(ByteBuf datagram, boolean rtcp, long readNanos) {
        receivedAtNanos = readNanos;
        SrtpSession s = srtp;
        if (s == null) {
            engine.counters().drop(DropReason.SRTP_NOT_READY);
            return false;
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
                return false;
            }
            if (rtcp) {
                listener.onRtcp(this, plain);
            } else if (rtpView.wrap(plain)) {
                listener.onRtp(this, rtpView);
            } else {
                engine.counters().drop(DropReason.RTP_MALFORMED);
            }
            return true;
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
        TcpConnection tcp = remoteTcp;
        if (tcp != null) {
            tcp.send(packet, flushNow);
        } else if (flushNow) {
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
        setTcpPath(null);
        for (TcpConnection c : tcpConnections.toArray(TcpConnection[]::new)) {
            c.close();
        }
        tcpConnections.clear();
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
                            if (DtlsSession.isTimeout(cause)) {
                                engine.counters().drop(DropReason.DTLS_HANDSHAKE_TIMEOUT);
                            }
                            if (!DtlsSession.isRejected(cause)) {
                                log.warn("transport={} DTLS handshake failed: {}", id, reason);
                            } else {
                                engine.counters().drop(DropReason.DTLS_POOL_FULL);
                                long more = engine.dtlsRefusedLog().admit();
                                if (more >= 0) {
                                    log.warn("transport={} DTLS handshake refused: {} handshakes already running "
                                            + "(+{} more refused since the last line; counted as drop.dtls_pool_full)",
                                            id, engine.handshakeExecutor().maxHandshakes(), more);
                                }
                            }
                            close("dtls failed: " + reason);
                        });
                    }

                    @Override
                    public void onClosed() {
                        engine.eventLoop().execute(() -> close("dtls close_notify"));
                    }
                }, engine.clock(), engine.dtlsOptions());
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
        TcpConnection tcp = remoteTcp;
        InetSocketAddress to = remoteAddress;
        if (tcp != null) {
            tcp.sendCopyFromAnyThread(data, offset, length);
        } else if (to != null) {
            engine.writeAndFlushFromAnyThread(data, offset, length, to);
        }
    }

    /**
     * Runs {@code task} on the media loop every {@code period}, first after one period, through the engine's
     * {@link MediaEngine#timers() timers} (a fake clock's in tests); cancel it on close.
     */
    public Timers.Handle scheduleAtFixedRate(Runnable task, long period, java.util.concurrent.TimeUnit unit) {
        return engine.timers().scheduleAtFixedRate(task, period, period, unit);
    }

    DtlsRole remoteSetup() {
        return remoteSetup;
    }

    @Override
    public String toString() {
        return "WebRtcTransport[" + id + " " + state + "]";
    }
}
