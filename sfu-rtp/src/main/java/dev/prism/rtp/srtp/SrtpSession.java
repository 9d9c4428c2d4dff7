package dev.prism.rtp.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.collection.IntObjectHashMap;
import java.security.GeneralSecurityException;
import java.util.Objects;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;

/**
 * SRTP and SRTCP for one transport (one DTLS association), both directions: protect what we send with our side's
 * master key, unprotect what the peer sends with theirs. Crypto contexts are derived per SSRC on first use and kept in
 * primitive-keyed maps.
 *
 * <h2>Buffers</h2>
 * Every method transforms the readable bytes of the given buffer in place and borrows it: the caller keeps ownership
 * and the reference count is never touched. Only heap buffers ({@link ByteBuf#hasArray()}) are supported; a direct
 * buffer gets {@link SrtpStatus#UNSUPPORTED_BUFFER} rather than a hidden copy, so the cost stays visible (Prism's
 * transport allocates heap pooled buffers). On {@code OK} the reader index is unchanged and the writer index marks the
 * new end; on any failure the indices are unchanged but the bytes are unspecified: drop the packet.
 *
 * <h2>Trailer room</h2>
 * Protect appends up to {@link #MAX_TRAILER} bytes after the writer index. The caller allocates that tail room
 * ({@code writableBytes() >= MAX_TRAILER}); if it is missing, the buffer is grown within its max capacity, which
 * costs a reallocation, or the call fails with {@link SrtpStatus#FAIL}.
 *
 * <h2>Threads and allocation</h2>
 * Not thread-safe: one event-loop thread (the transport's) makes every call, including {@link #close()}. After a
 * stream's context exists, protect/unprotect allocate nothing in this class; jitsi-srtp itself creates a small
 * {@code GCMParameterSpec} per GCM packet.
 *
 * <h2>Replay</h2>
 * Unprotect refuses duplicates and packets older than a 64-packet window. Protect also refuses to protect the same RTP
 * sequence number twice (send retransmissions as RTX), because re-encrypting one index with different header bytes
 * would reuse an AES-GCM nonce.
 */
public final class SrtpSession {
    /** Most bytes any protect call appends: AES-GCM tag (16) plus the SRTCP E flag and index (4). */
    public static final int MAX_TRAILER = 20;

    /** Bound on contexts per direction and kind, so a peer cannot make us derive keys without limit. */
    static final int MAX_STREAMS = 1024;

    private final SrtpProfile profile;
    private final SrtpContextFactory sendFactory;
    private final SrtpContextFactory receiveFactory;
    private final IntObjectHashMap<SrtpCryptoContext> rtpSend = new IntObjectHashMap<>();
    private final IntObjectHashMap<SrtpCryptoContext> rtpReceive = new IntObjectHashMap<>();
    private final IntObjectHashMap<SrtcpCryptoContext> rtcpSend = new IntObjectHashMap<>();
    private final IntObjectHashMap<SrtcpCryptoContext> rtcpReceive = new IntObjectHashMap<>();
    private final ByteBufArrayBuffer view = new ByteBufArrayBuffer();
    private boolean closed;

    private SrtpSession(SrtpProfile profile, SrtpContextFactory sendFactory, SrtpContextFactory receiveFactory) {
        this.profile = profile;
        this.sendFactory = sendFactory;
        this.receiveFactory = receiveFactory;
    }

    /**
     * Configures jitsi-srtp (JDK crypto providers) and loads its classes. The first call takes a second or two; later
     * calls return at once. Call it at server start or on a blocking thread; {@link #create} calls it too, and
     * {@link dev.prism.rtp.dtls.DtlsSession} calls it on its handshake thread before reporting keys.
     */
    public static void prepareBackend() {
        WarmUp.done();
    }

    /** Runs each profile once, so first-use class loading and provider lookups do not land on an event loop. */
    private static final class WarmUp {
        static {
            JitsiSrtpBackend.init();
            for (SrtpProfile profile : SrtpProfile.values()) {
                SrtpKeyingMaterial keys =
                    SrtpKeyingMaterial.fromExporterOutput(profile, new byte[profile.keyingMaterialLength()]);
                SrtpSession tx = createPrepared(profile, keys, false);
                SrtpSession rx = createPrepared(profile, keys, true);
                ByteBuf packet = Unpooled.buffer(64 + MAX_TRAILER);
                try {
                    packet.writeByte(0x80).writeByte(96).writeZero(62);
                    tx.protectRtp(packet);
                    rx.unprotectRtp(packet);
                } finally {
                    packet.release();
                    tx.close();
                    rx.close();
                }
            }
        }

        static void done() {
            // the static initializer does the work
        }
    }

    /**
     * @param keys             keys exported by the DTLS handshake for {@code profile}
     * @param weAreDtlsServer  true if this side was the DTLS server: it then sends with the server key and salt
     * @throws IllegalArgumentException if the keys were made for another profile
     */
    public static SrtpSession create(SrtpProfile profile, SrtpKeyingMaterial keys, boolean weAreDtlsServer) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(keys, "keys");
        if (keys.profile() != profile) {
            throw new IllegalArgumentException("keys are for " + keys.profile() + ", not " + profile);
        }
        prepareBackend();
        return createPrepared(profile, keys, weAreDtlsServer);
    }

    private static SrtpSession createPrepared(SrtpProfile profile, SrtpKeyingMaterial keys, boolean weAreDtlsServer) {
        SrtpPolicy rtpPolicy = JitsiSrtpBackend.policy(profile);
        SrtpPolicy rtcpPolicy = JitsiSrtpBackend.policy(profile);
        SrtpContextFactory send = new SrtpContextFactory(true, keys.localMasterKey(weAreDtlsServer),
            keys.localMasterSalt(weAreDtlsServer), rtpPolicy, rtcpPolicy, JitsiSrtpBackend.LOGGER);
        SrtpContextFactory receive = new SrtpContextFactory(false, keys.remoteMasterKey(weAreDtlsServer),
            keys.remoteMasterSalt(weAreDtlsServer), rtpPolicy, rtcpPolicy, JitsiSrtpBackend.LOGGER);
        return new SrtpSession(profile, send, receive);
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** Encrypts an RTP packet in place and appends its tag. See the class notes on buffers and trailer room. */
    public SrtpStatus protectRtp(ByteBuf packet) {
        SrtpStatus pre = precheck(packet);
        if (pre != null) {
            return pre;
        }
        if (SrtpPackets.rtpHeaderLength(packet) < 0) {
            return SrtpStatus.INVALID_PACKET;
        }
        if (!ensureTrailerRoom(packet, profile.rtpTrailerLength())) {
            return SrtpStatus.FAIL;
        }
        int ssrc = SrtpPackets.rtpSsrc(packet);
        SrtpCryptoContext ctx = rtpSend.get(ssrc);
        if (ctx == null) {
            if (rtpSend.size() >= MAX_STREAMS || (ctx = deriveRtp(sendFactory, ssrc)) == null) {
                return SrtpStatus.FAIL;
            }
            rtpSend.put(ssrc, ctx);
        }
        view.wrap(packet);
        try {
            return finish(map(ctx.transformPacket(view)));
        } catch (GeneralSecurityException | RuntimeException e) {
            return SrtpStatus.FAIL;
        } finally {
            view.release();
        }
    }

    /** Authenticates, replay-checks and decrypts an SRTP packet in place; on OK the tag is cut off. */
    public SrtpStatus unprotectRtp(ByteBuf packet) {
        SrtpStatus pre = precheck(packet);
        if (pre != null) {
            return pre;
        }
        int header = SrtpPackets.rtpHeaderLength(packet);
        if (header < 0 || header + profile.rtpTrailerLength() > packet.readableBytes()) {
            return SrtpStatus.INVALID_PACKET;
        }
        int ssrc = SrtpPackets.rtpSsrc(packet);
        SrtpCryptoContext ctx = rtpReceive.get(ssrc);
        boolean fresh = ctx == null;
        if (fresh) {
            if (rtpReceive.size() >= MAX_STREAMS || (ctx = deriveRtp(receiveFactory, ssrc)) == null) {
                return SrtpStatus.FAIL;
            }
        }
        view.wrap(packet);
        try {
            SrtpStatus status = finish(map(ctx.reverseTransformPacket(view, false)));
            // Keep a new stream's context only once a packet authenticated: forged SSRCs leave nothing behind.
            if (fresh && status == SrtpStatus.OK) {
                rtpReceive.put(ssrc, ctx);
            }
            return status;
        } catch (GeneralSecurityException | RuntimeException e) {
            return SrtpStatus.FAIL;
        } finally {
            view.release();
        }
    }

    /** Encrypts a (compound) RTCP packet in place and appends E flag, SRTCP index and tag. */
    public SrtpStatus protectRtcp(ByteBuf packet) {
        SrtpStatus pre = precheck(packet);
        if (pre != null) {
            return pre;
        }
        if (!SrtpPackets.isRtcp(packet, SrtpPackets.RTCP_FIXED_HEADER)) {
            return SrtpStatus.INVALID_PACKET;
        }
        if (!ensureTrailerRoom(packet, profile.rtcpTrailerLength())) {
            return SrtpStatus.FAIL;
        }
        int ssrc = SrtpPackets.rtcpSenderSsrc(packet);
        SrtcpCryptoContext ctx = rtcpSend.get(ssrc);
        if (ctx == null) {
            if (rtcpSend.size() >= MAX_STREAMS || (ctx = deriveRtcp(sendFactory, ssrc)) == null) {
                return SrtpStatus.FAIL;
            }
            rtcpSend.put(ssrc, ctx);
        }
        view.wrap(packet);
        try {
            return finish(map(ctx.transformPacket(view)));
        } catch (GeneralSecurityException | RuntimeException e) {
            return SrtpStatus.FAIL;
        } finally {
            view.release();
        }
    }

    /** Authenticates, replay-checks and decrypts an SRTCP packet in place; on OK index and tag are cut off. */
    public SrtpStatus unprotectRtcp(ByteBuf packet) {
        SrtpStatus pre = precheck(packet);
        if (pre != null) {
            return pre;
        }
        if (!SrtpPackets.isRtcp(packet, SrtpPackets.RTCP_FIXED_HEADER + profile.rtcpTrailerLength())) {
            return SrtpStatus.INVALID_PACKET;
        }
        int ssrc = SrtpPackets.rtcpSenderSsrc(packet);
        SrtcpCryptoContext ctx = rtcpReceive.get(ssrc);
        boolean fresh = ctx == null;
        if (fresh) {
            if (rtcpReceive.size() >= MAX_STREAMS || (ctx = deriveRtcp(receiveFactory, ssrc)) == null) {
                return SrtpStatus.FAIL;
            }
        }
        view.wrap(packet);
        try {
            SrtpStatus status = finish(map(ctx.reverseTransformPacket(view)));
            if (fresh && status == SrtpStatus.OK) {
                rtcpReceive.put(ssrc, ctx);
            }
            return status;
        } catch (GeneralSecurityException | RuntimeException e) {
            return SrtpStatus.FAIL;
        } finally {
            view.release();
        }
    }

    /** Forgets all contexts and wipes the master keys. Idempotent; later calls return {@link SrtpStatus#FAIL}. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        rtpSend.clear();
        rtpReceive.clear();
        rtcpSend.clear();
        rtcpReceive.clear();
        sendFactory.close();
        receiveFactory.close();
    }

    /** Number of SRTP streams the peer has authenticated so far (for tests and stats). */
    int receiveRtpStreams() {
        return rtpReceive.size();
    }

    private SrtpStatus precheck(ByteBuf packet) {
        if (closed) {
            return SrtpStatus.FAIL;
        }
        if (!packet.hasArray()) {
            return SrtpStatus.UNSUPPORTED_BUFFER;
        }
        return null;
    }

    private SrtpStatus finish(SrtpStatus status) {
        if (status == SrtpStatus.OK) {
            view.commit();
        }
        return status;
    }

    private static boolean ensureTrailerRoom(ByteBuf packet, int trailer) {
        if (packet.writableBytes() >= trailer) {
            return true;
        }
        try {
            packet.ensureWritable(trailer);
            return packet.hasArray();
        } catch (RuntimeException e) { // beyond max capacity, or a buffer that cannot grow
            return false;
        }
    }

    private static SrtpCryptoContext deriveRtp(SrtpContextFactory factory, int ssrc) {
        try {
            return factory.deriveContext(ssrc, 0);
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    private static SrtcpCryptoContext deriveRtcp(SrtpContextFactory factory, int ssrc) {
        try {
            return factory.deriveControlContext(ssrc);
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    private static SrtpStatus map(SrtpErrorStatus status) {
        return switch (status) {
            case OK -> SrtpStatus.OK;
            case AUTH_FAIL -> SrtpStatus.AUTH_FAIL;
            case REPLAY_FAIL -> SrtpStatus.REPLAY_FAIL;
            case REPLAY_OLD -> SrtpStatus.REPLAY_OLD;
            case INVALID_PACKET -> SrtpStatus.INVALID_PACKET;
            case FAIL -> SrtpStatus.FAIL;
        };
    }
}
