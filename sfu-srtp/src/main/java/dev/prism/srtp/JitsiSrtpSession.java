package dev.prism.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.logging.Level;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;
import org.jitsi.utils.logging2.LoggerImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SrtpSession} of jitsi-srtp ({@link SrtpImplementation#JITSI}), the SRTP library Jitsi Videobridge ships:
 * one {@link SrtpContextFactory} per direction holds the master key, and each SSRC gets its own crypto context, with
 * its own session keys, derived on its first packet. This class adds what the interface promises on top: the header
 * checks ({@link SrtpPackets}), the stream bound, contexts of received streams kept only once a packet authenticated,
 * and the buffer rules, through a reused {@link JitsiPacketView} (jitsi works on arrays).
 *
 * <p>Costs that are jitsi's: per packet some allocation (see the benchmarks in {@code perf/README.md}) and an
 * uncontended lock per context; a packet of an unknown SSRC costs a key derivation even when it turns out forged.
 *
 * <p>jitsi picks its AES provider by timing every one it finds on first use (seconds); {@link #prepare()} names it
 * instead: OpenSSL through the native library jitsi-srtp bundles, as Jitsi Videobridge runs, when it loads (Linux with
 * OpenSSL 1.1 or 3), else the JDK's SunJCE ciphers.
 */
final class JitsiSrtpSession implements SrtpSession {
    private static final Logger log = LoggerFactory.getLogger(JitsiSrtpSession.class);

    private final SrtpProfile profile;
    private final SrtpContextFactory sender;
    private final SrtpContextFactory receiver;
    private final IntObjectHashMap<SrtpCryptoContext> rtpSend = new IntObjectHashMap<>();
    private final IntObjectHashMap<SrtpCryptoContext> rtpReceive = new IntObjectHashMap<>();
    private final IntObjectHashMap<SrtcpCryptoContext> rtcpSend = new IntObjectHashMap<>();
    private final IntObjectHashMap<SrtcpCryptoContext> rtcpReceive = new IntObjectHashMap<>();
    private final JitsiPacketView view = new JitsiPacketView();
    private boolean closed;

    private JitsiSrtpSession(SrtpProfile profile, SrtpContextFactory sender, SrtpContextFactory receiver) {
        this.profile = profile;
        this.sender = sender;
        this.receiver = receiver;
    }

    /** {@link SrtpImplementation#prepare()} for this implementation. */
    static void prepare() {
        WarmUp.done();
    }

    private static final class WarmUp {
        static {
            // As Jitsi runs it: OpenSSL through jitsi-srtp's own native library when it loads (it bundles one for
            // OpenSSL 1.1 and 3 on Linux), else the JDK's ciphers. Named here, instead of jitsi timing every
            // provider on first use, which takes seconds.
            boolean openSsl = JitsiOpenSslProvider.isLoaded();
            Aes.setFactoryClassName(openSsl ? Aes.OpenSSLCipherFactory.class.getName()
                : Aes.SunJCECipherFactory.class.getName());
            log.info("srtp: jitsi-srtp over {}", openSsl ? "OpenSSL (jitsi-srtp's native library)"
                : "the JDK's SunJCE ciphers (jitsi-srtp's OpenSSL library did not load)");
            SrtpWarmUp.run(JitsiSrtpSession::createPrepared);
        }

        static void done() {
            // the static initializer does the work
        }
    }

    /** {@link SrtpImplementation#create} for this implementation. */
    static JitsiSrtpSession create(SrtpProfile profile, SrtpKeyingMaterial keys, boolean weAreDtlsServer) {
        SrtpWarmUp.checkKeys(profile, keys);
        prepare();
        return createPrepared(profile, keys, weAreDtlsServer);
    }

    private static JitsiSrtpSession createPrepared(SrtpProfile profile, SrtpKeyingMaterial keys,
                                                   boolean weAreDtlsServer) {
        byte[] localKey = keys.localMasterKey(weAreDtlsServer);
        byte[] localSalt = keys.localMasterSalt(weAreDtlsServer);
        byte[] remoteKey = keys.remoteMasterKey(weAreDtlsServer);
        byte[] remoteSalt = keys.remoteMasterSalt(weAreDtlsServer);
        try {
            // jitsi keeps its own copies of the master keys
            return new JitsiSrtpSession(profile, factory(profile, localKey, localSalt, true),
                factory(profile, remoteKey, remoteSalt, false));
        } finally {
            Arrays.fill(localKey, (byte) 0);
            Arrays.fill(remoteKey, (byte) 0);
            Arrays.fill(localSalt, (byte) 0);
            Arrays.fill(remoteSalt, (byte) 0);
        }
    }

    private static SrtpContextFactory factory(SrtpProfile profile, byte[] key, byte[] salt, boolean sender) {
        SrtpPolicy policy = policy(profile);
        return new SrtpContextFactory(sender, key, salt, policy, policy,
            new LoggerImpl(JitsiSrtpSession.class.getName(), Level.WARNING));
    }

    /** The profile in jitsi's terms: cipher, key length, authentication, its key length, tag length, salt length. */
    static SrtpPolicy policy(SrtpProfile profile) {
        return switch (profile) {
            case AEAD_AES_128_GCM -> new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, profile.masterKeyLength(),
                SrtpPolicy.NULL_AUTHENTICATION, 0, profile.rtpTrailerLength(), profile.masterSaltLength());
            case AES_CM_128_HMAC_SHA1_80 -> new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, profile.masterKeyLength(),
                SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, profile.rtpTrailerLength(), profile.masterSaltLength());
        };
    }

    @Override
    public SrtpProfile profile() {
        return profile;
    }

    @Override
    public SrtpImplementation implementation() {
        return SrtpImplementation.JITSI;
    }

    @Override
    public SrtpStatus protectRtp(ByteBuf packet) {
        SrtpStatus pre = precheck(packet);
        if (pre != null) {
            return pre;
        }
        if (SrtpPackets.rtpHeaderLength(packet) < 0) {
            return SrtpStatus.INVALID_PACKET;
        }
        int tag = profile.rtpTrailerLength();
        if (!ensureTrailerRoom(packet, tag)) {
            return SrtpStatus.FAIL;
        }
        int ssrc = SrtpPackets.rtpSsrc(packet);
        try {
            SrtpCryptoContext context = rtpSend.get(ssrc);
            if (context == null) {
                if (rtpSend.size() >= MAX_STREAMS) {
                    return SrtpStatus.FAIL;
                }
                context = sender.deriveContext(ssrc, 0);
                rtpSend.put(ssrc, context);
            }
            view.point(packet, tag);
            return finish(packet, context.transformPacket(view));
        } catch (GeneralSecurityException | RuntimeException e) {
            return SrtpStatus.FAIL;
        } finally {
            view.clear();
        }
    }

    @Override
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
        try {
            SrtpCryptoContext context = rtpReceive.get(ssrc);
            boolean fresh = context == null;
            if (fresh) {
                if (rtpReceive.size() >= MAX_STREAMS) {
                    return SrtpStatus.FAIL;
                }
                context = receiver.deriveContext(ssrc, 0);
            }
            view.point(packet, 0);
            SrtpStatus status = finish(packet, context.reverseTransformPacket(view, false));
            if (fresh && status == SrtpStatus.OK) {
                rtpReceive.put(ssrc, context);
            }
            return status;
        } catch (GeneralSecurityException | RuntimeException e) {
            return SrtpStatus.FAIL;
        } finally {
            view.clear();
        }
    }

    @Override
    public SrtpStatus protectRtcp(ByteBuf packet) {
        SrtpStatus pre = precheck(packet);
        if (pre != null) {
            return pre;
        }
        if (!SrtpPackets.isRtcp(packet, SrtpPackets.RTCP_FIXED_HEADER)) {
            return SrtpStatus.INVALID_PACKET;
        }
        int trailer = profile.rtcpTrailerLength();
        if (!ensureTrailerRoom(packet, trailer)) {
            return SrtpStatus.FAIL;
        }
        int ssrc = SrtpPackets.rtcpSenderSsrc(packet);
        try {
            SrtcpCryptoContext context = rtcpSend.get(ssrc);
            if (context == null) {
                if (rtcpSend.size() >= MAX_STREAMS) {
                    return SrtpStatus.FAIL;
                }
                context = sender.deriveControlContext(ssrc);
                rtcpSend.put(ssrc, context);
            }
            view.point(packet, trailer);
            return finish(packet, context.transformPacket(view));
        } catch (GeneralSecurityException | RuntimeException e) {
            return SrtpStatus.FAIL;
        } finally {
            view.clear();
        }
    }

    @Override
    public SrtpStatus unprotectRtcp(ByteBuf packet) {
        SrtpStatus pre = precheck(packet);
        if (pre != null) {
            return pre;
        }
        if (!SrtpPackets.isRtcp(packet, SrtpPackets.RTCP_FIXED_HEADER + profile.rtcpTrailerLength())) {
            return SrtpStatus.INVALID_PACKET;
        }
        int ssrc = SrtpPackets.rtcpSenderSsrc(packet);
        try {
            SrtcpCryptoContext context = rtcpReceive.get(ssrc);
            boolean fresh = context == null;
            if (fresh) {
                if (rtcpReceive.size() >= MAX_STREAMS) {
                    return SrtpStatus.FAIL;
                }
                context = receiver.deriveControlContext(ssrc);
            }
            view.point(packet, 0);
            SrtpStatus status = finish(packet, context.reverseTransformPacket(view));
            if (fresh && status == SrtpStatus.OK) {
                rtcpReceive.put(ssrc, context);
            }
            return status;
        } catch (GeneralSecurityException | RuntimeException e) {
            return SrtpStatus.FAIL;
        } finally {
            view.clear();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        rtpSend.clear();
        rtpReceive.clear();
        rtcpSend.clear();
        rtcpReceive.clear();
        sender.close();
        receiver.close();
    }

    /** Number of SRTP streams the peer has authenticated so far (for tests). */
    int receiveRtpStreams() {
        return rtpReceive.size();
    }

    /** jitsi's outcome in Prism's terms; on OK the packet's new length (and bytes, for a copy) go to the buffer. */
    private SrtpStatus finish(ByteBuf packet, SrtpErrorStatus jitsi) {
        return switch (jitsi) {
            case OK -> view.commit(packet) ? SrtpStatus.OK : SrtpStatus.FAIL;
            case AUTH_FAIL -> SrtpStatus.AUTH_FAIL;
            case REPLAY_FAIL -> SrtpStatus.REPLAY_FAIL;
            case REPLAY_OLD -> SrtpStatus.REPLAY_OLD;
            case INVALID_PACKET -> SrtpStatus.INVALID_PACKET;
            default -> SrtpStatus.FAIL;
        };
    }

    private SrtpStatus precheck(ByteBuf packet) {
        if (closed) {
            return SrtpStatus.FAIL;
        }
        if (packet.isReadOnly()) {
            return SrtpStatus.UNSUPPORTED_BUFFER;
        }
        return null;
    }

    static boolean ensureTrailerRoom(ByteBuf packet, int trailer) {
        if (packet.writableBytes() >= trailer) {
            return true;
        }
        try {
            packet.ensureWritable(trailer);
            return true;
        } catch (RuntimeException e) { // beyond max capacity, or a buffer that cannot grow
            return false;
        }
    }
}
