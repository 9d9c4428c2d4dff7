package dev.prism.rtp.dtls;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.srtp.SrtpKeyingMaterial;
import dev.prism.srtp.SrtpProfile;
import dev.prism.srtp.SrtpSession;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;

/**
 * DTLS 1.2 with the use_srtp extension (RFC 5764) for one WebRTC transport, in either role, on BouncyCastle's bctls.
 * It authenticates the peer by the certificate fingerprint from SDP and hands SRTP keys to its {@link Listener}.
 *
 * <h2>Life cycle</h2>
 * <ol>
 *   <li>Construct, then {@link #setExpectedRemoteFingerprint} and {@link #start()} in either order.</li>
 *   <li>The transport feeds every DTLS datagram from the peer to {@link #onDatagram}, also before {@code start()}.</li>
 *   <li>The blocking bctls handshake runs as one task on the handshake executor: a client starts it at
 *       {@code start()}; a server when it has been started and the first datagram (the ClientHello) is there, so no
 *       thread waits for a peer that has not connected yet. bctls retransmits lost flights (1 s, doubling).</li>
 *   <li>On success: {@link Listener#onHandshakeComplete} with the negotiated profile and exported keys. The task
 *       ends; no thread stays with the session. Later datagrams are read by bctls on the caller's thread inside
 *       {@code onDatagram}: that resends our last flight if the peer lost it, and notices close_notify.</li>
 *   <li>{@link #close()} sends close_notify if connected and stops everything.</li>
 * </ol>
 *
 * <h2>Threads</h2>
 * {@code onDatagram} is called from the transport's event loop; it copies the datagram and never blocks. The other
 * methods may be called from any thread. Listener callbacks come from the handshake thread, except
 * {@link Listener#onClosed()} (the thread that delivered the close_notify, usually the event loop) and a rejected
 * executor (the caller of {@code start}/{@code onDatagram}). After {@code close()} no callback starts.
 *
 * <h2>Not covered</h2>
 * DTLS application data (SCTP for data channels) is read and dropped. No session resumption, no renegotiation, no
 * HelloVerifyRequest cookie: ICE connectivity checks have already proven the peer's address.
 */
public final class DtlsSession {

    /** Sends one datagram to the peer. Called from the handshake thread and from the caller of onDatagram/close. */
    @FunctionalInterface
    public interface DatagramSender {
        /** Must copy what it keeps; must be thread-safe. */
        void send(byte[] data, int offset, int length);
    }

    /** Outcome of the session. The implementer hops to its own thread. */
    public interface Listener {
        /** Keys for SRTP; called at most once. */
        void onHandshakeComplete(SrtpProfile profile, SrtpKeyingMaterial keys);

        /**
         * The handshake failed; called at most once, never after {@link #onHandshakeComplete}. {@code reason} is
         * human-readable, for example {@value RemoteCertificateCheck#MISMATCH}.
         */
        void onHandshakeFailed(String reason, Throwable cause);

        /** The peer ended a completed session (close_notify or a fatal alert). Called at most once. */
        void onClosed();
    }

    /**
     * Tunables.
     *
     * @param srtpProfiles     profiles to offer (client) or accept (server), most preferred first
     * @param fingerprintWait  how long the handshake waits for {@link #setExpectedRemoteFingerprint} once the peer's
     *                         certificate has arrived (never past the handshake deadline)
     * @param handshakeTimeout the handshake deadline, from the moment its thread starts (the first datagram for a
     *                         server, {@code start()} for a client): then the handshake fails with
     *                         {@code "handshake timed out after N ms"} and its thread is free. Default
     *                         {@link #DEFAULT_HANDSHAKE_DEADLINE}
     * @param sendLimit        largest datagram we send; bctls fragments handshake messages to fit
     */
    public record Options(List<SrtpProfile> srtpProfiles, Duration fingerprintWait, Duration handshakeTimeout,
                          int sendLimit) {
        public static final Options DEFAULT = new Options(SrtpProfile.preferenceOrder(), Duration.ofSeconds(10),
            DEFAULT_HANDSHAKE_DEADLINE, 1200);

        public Options {
            srtpProfiles = List.copyOf(srtpProfiles);
            if (srtpProfiles.isEmpty()) {
                throw new IllegalArgumentException("at least one SRTP profile");
            }
            Objects.requireNonNull(fingerprintWait, "fingerprintWait");
            Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
            if (sendLimit < 256 || sendLimit > QueueDatagramTransport.RECEIVE_LIMIT) {
                throw new IllegalArgumentException("sendLimit out of range: " + sendLimit);
            }
        }

        public Options withSrtpProfiles(SrtpProfile... profiles) {
            return new Options(List.of(profiles), fingerprintWait, handshakeTimeout, sendLimit);
        }

        public Options withFingerprintWait(Duration wait) {
            return new Options(srtpProfiles, wait, handshakeTimeout, sendLimit);
        }

        public Options withHandshakeTimeout(Duration timeout) {
            return new Options(srtpProfiles, fingerprintWait, timeout, sendLimit);
        }
    }

    /**
     * How long a handshake may hold its thread. Long enough for bctls's retransmissions at 1 and 3 s after a lost
     * flight; short enough that peers which send a ClientHello and go silent give their threads back quickly (see
     * {@link DtlsHandshakePool}).
     */
    public static final Duration DEFAULT_HANDSHAKE_DEADLINE = Duration.ofSeconds(5);

    /** Wait passed to bctls after the handshake; never actually waited, the transport does not block then. */
    private static final int NON_BLOCKING_WAIT_MILLIS = 1000;

    private final DtlsCertificate certificate;
    private final boolean serverRole;
    private final Executor handshakeExecutor;
    private final Listener listener;
    private final MonoClock clock;
    private final Options options;
    private final QueueDatagramTransport transport;
    private final RemoteCertificateCheck certificateCheck;

    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean launched = new AtomicBoolean();
    /** Set when onHandshakeFailed or onClosed has been delivered (or suppressed by close). */
    private final AtomicBoolean ended = new AtomicBoolean();

    /** Guards {@link #connection} and every use of it: post-handshake reads and close_notify. */
    private final Object lock = new Object();
    private DTLSTransport connection;
    private byte[] readBuffer;

    private volatile boolean closed;
    private volatile boolean readable;
    private volatile boolean handshakeComplete;
    private volatile boolean peerSentCloseNotify;
    private volatile long handshakeStartNanos;
    private volatile long handshakeNanos = -1;

    public DtlsSession(DtlsCertificate cert, boolean serverRole, DatagramSender sender, Executor handshakeExecutor,
                       Listener listener) {
        this(cert, serverRole, sender, handshakeExecutor, listener, MonoClock.SYSTEM, Options.DEFAULT);
    }

    public DtlsSession(DtlsCertificate cert, boolean serverRole, DatagramSender sender, Executor handshakeExecutor,
                       Listener listener, MonoClock clock) {
        this(cert, serverRole, sender, handshakeExecutor, listener, clock, Options.DEFAULT);
    }

    /**
     * @param serverRole        true when Prism is the DTLS server ({@code a=setup:passive} on our side)
     * @param handshakeExecutor runs the blocking handshake, one task per session, at once (a task blocks through
     *                          retransmission waits up to the deadline, so a queue would let stalled peers delay
     *                          others): a {@link DtlsHandshakePool}
     * @param clock             times the handshake ({@link #handshakeDurationNanos()})
     */
    public DtlsSession(DtlsCertificate cert, boolean serverRole, DatagramSender sender, Executor handshakeExecutor,
                       Listener listener, MonoClock clock, Options options) {
        this.certificate = Objects.requireNonNull(cert, "cert");
        this.serverRole = serverRole;
        this.handshakeExecutor = Objects.requireNonNull(handshakeExecutor, "handshakeExecutor");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
        this.transport = new QueueDatagramTransport(Objects.requireNonNull(sender, "sender"), options.sendLimit());
        this.certificateCheck = new RemoteCertificateCheck(options.fingerprintWait());
    }

    /**
     * The fingerprint from the peer's SDP ({@code a=fingerprint}). May come before or after {@link #start()} and
     * before or after the peer's certificate: the check waits up to {@link Options#fingerprintWait()} for it.
     */
    public void setExpectedRemoteFingerprint(DtlsFingerprint fp) {
        certificateCheck.expect(fp);
    }

    /** Client: sends the ClientHello now. Server: handshakes as soon as a ClientHello is (or was) received. */
    public void start() {
        if (closed || !started.compareAndSet(false, true)) {
            return;
        }
        if (!serverRole || transport.hasPending()) {
            launch();
        }
    }

    /**
     * One DTLS datagram from the peer (the readable bytes of {@code datagram}). Copies what it needs; the caller
     * keeps ownership of the buffer and its reference count. Never blocks. Malformed datagrams (see
     * {@link DtlsDatagramFilter}) and datagrams that find the queue full (64 not yet read) are dropped.
     */
    public void onDatagram(ByteBuf datagram) {
        if (closed || !DtlsDatagramFilter.isAcceptable(datagram) || !transport.offer(datagram)) {
            return;
        }
        if (readable) {
            readAfterHandshake();
        } else if (started.get()) {
            launch();
        }
    }

    public boolean isHandshakeComplete() {
        return handshakeComplete;
    }

    public boolean isServerRole() {
        return serverRole;
    }

    /** How long the handshake took, from its first datagram to the keys, or -1 if it has not completed. */
    public long handshakeDurationNanos() {
        return handshakeNanos;
    }

    /** True while the handshake is blocked waiting for {@link #setExpectedRemoteFingerprint} (for tests and stats). */
    boolean isWaitingForFingerprint() {
        return certificateCheck.isWaiting();
    }

    /** Sends close_notify if connected, stops the handshake if one runs, and suppresses later callbacks. Idempotent. */
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            ended.set(true);
            if (connection != null) {
                closeQuietly(connection);
            }
        }
        transport.close();
        certificateCheck.cancel();
    }

    private void launch() {
        if (!launched.compareAndSet(false, true)) {
            return;
        }
        try {
            handshakeExecutor.execute(this::runHandshake);
        } catch (RejectedExecutionException e) {
            fail("handshake executor rejected the task", e);
        }
    }

    private void runHandshake() {
        handshakeStartNanos = clock.nanos();
        // The deadline is enforced where the thread waits: the datagram queue and the fingerprint wait.
        long deadline = System.nanoTime() + options.handshakeTimeout().toNanos();
        transport.setDeadline(deadline);
        certificateCheck.setDeadline(deadline);
        DtlsSrtpPeer peer = null;
        DTLSTransport dtls = null;
        SrtpProfile profile;
        SrtpKeyingMaterial keys;
        try {
            DtlsSrtpPeer.AlertSink alerts = this::alertReceived;
            int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, options.handshakeTimeout().toMillis());
            if (serverRole) {
                PrismDtlsServer server = new PrismDtlsServer(certificate, options.srtpProfiles(), certificateCheck,
                    timeoutMillis, alerts);
                peer = server;
                DTLSServerProtocol protocol = new DTLSServerProtocol();
                protocol.setVerifyRequests(false);
                dtls = protocol.accept(server, transport);
            } else {
                PrismDtlsClient client = new PrismDtlsClient(certificate, options.srtpProfiles(), certificateCheck,
                    timeoutMillis, alerts);
                peer = client;
                dtls = new DTLSClientProtocol().connect(client, transport);
            }
            if (!certificateCheck.isVerified()) {
                throw new TlsFatalAlert(AlertDescription.bad_certificate, "peer certificate was not checked");
            }
            profile = peer.selectedProfile();
            keys = peer.keys();
            if (profile == null || keys == null) {
                throw new TlsFatalAlert(AlertDescription.internal_error, "no SRTP keys negotiated");
            }
            // First-use set-up of the SRTP library belongs on this blocking thread, not on the event loop.
            SrtpSession.prepareBackend();
        } catch (IOException | RuntimeException e) {
            if (dtls != null) {
                closeQuietly(dtls);
            }
            fail(reasonFor(e, peer), e);
            return;
        }

        synchronized (lock) {
            if (closed) {
                closeQuietly(dtls);
                return;
            }
            transport.switchToNonBlocking();
            connection = dtls;
            handshakeNanos = clock.nanos() - handshakeStartNanos;
            handshakeComplete = true;
        }
        listener.onHandshakeComplete(profile, keys);
        readable = true;
        readAfterHandshake(); // datagrams that came while we were finishing
    }

    /** Lets bctls process queued datagrams after the handshake: retransmit requests, alerts, close_notify. */
    private void readAfterHandshake() {
        boolean peerEnded = false;
        synchronized (lock) {
            DTLSTransport dtls = connection;
            if (dtls == null || closed) {
                return;
            }
            if (readBuffer == null) {
                readBuffer = new byte[QueueDatagramTransport.RECEIVE_LIMIT];
            }
            try {
                while (!peerSentCloseNotify) {
                    // >= 0 is application data (SCTP for data channels), which Prism does not use yet: dropped.
                    dtls.receive(readBuffer, 0, readBuffer.length, NON_BLOCKING_WAIT_MILLIS);
                }
            } catch (InterruptedIOException e) {
                // QueueDatagramTransport.DRAINED: nothing more to read
            } catch (IOException | RuntimeException e) {
                peerEnded = true; // a fatal alert from the peer, or a record layer that failed
            }
            if (peerSentCloseNotify || peerEnded) {
                peerEnded = true;
                closed = true;
                closeQuietly(dtls);
            }
        }
        if (peerEnded) {
            transport.close();
            certificateCheck.cancel();
            if (ended.compareAndSet(false, true)) {
                listener.onClosed();
            }
        }
    }

    private void alertReceived(short level, short description) {
        if (description == AlertDescription.close_notify) {
            peerSentCloseNotify = true;
        }
    }

    private void fail(String reason, Throwable cause) {
        boolean report;
        synchronized (lock) {
            report = !closed;
            closed = true;
        }
        transport.close();
        certificateCheck.cancel();
        if (report && ended.compareAndSet(false, true)) {
            listener.onHandshakeFailed(reason, cause);
        }
    }

    private String reasonFor(Throwable e, DtlsSrtpPeer peer) {
        String own = certificateCheck.failure();
        if (own != null) {
            return own;
        }
        if (peer != null && peer.negotiationFailure() != null) {
            return peer.negotiationFailure();
        }
        if (e instanceof TlsFatalAlertReceived received) {
            return "peer sent fatal alert: " + AlertDescription.getText(received.getAlertDescription());
        }
        if (isTimeout(e)) {
            return "handshake timed out after " + options.handshakeTimeout().toMillis() + " ms";
        }
        if (e instanceof TlsFatalAlert alert) {
            return "handshake failed: " + AlertDescription.getText(alert.getAlertDescription());
        }
        if (e instanceof InterruptedIOException) {
            return "handshake thread interrupted";
        }
        return "handshake failed: " + e;
    }

    /** True when {@code cause} (from {@link Listener#onHandshakeFailed}) is the handshake deadline passing. */
    public static boolean isTimeout(Throwable cause) {
        return cause instanceof TlsTimeoutException;
    }

    /** True when {@code cause} (from {@link Listener#onHandshakeFailed}) is the handshake pool refusing the task. */
    public static boolean isRejected(Throwable cause) {
        return cause instanceof RejectedExecutionException;
    }

    private static void closeQuietly(DTLSTransport dtls) {
        try {
            dtls.close();
        } catch (IOException | RuntimeException ignored) {
            // closing is best effort: the peer also learns from ICE consent and timeouts
        }
    }

    @Override
    public String toString() {
        return "DtlsSession[" + (serverRole ? "server" : "client")
            + (handshakeComplete ? ", connected" : "") + (closed ? ", closed" : "") + "]";
    }
}
