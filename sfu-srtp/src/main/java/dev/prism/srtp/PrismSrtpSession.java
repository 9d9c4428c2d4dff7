package dev.prism.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prism's own {@link SrtpSession} ({@link SrtpImplementation#PRISM}): session keys are derived once per direction and
 * kind when the session is created (the key derivation rate is 0, so every SSRC shares them); each SSRC only adds a
 * small {@link ReplayWindow} (its rollover counter and replay bitmap), kept in primitive-keyed maps. The buffer,
 * replay and thread rules are the interface's.
 *
 * <h2>Allocation</h2>
 * Protect and unprotect allocate nothing, except once per new SSRC (its replay window) and in one case:
 * AEAD_AES_128_GCM needs the JDK's GHASH intrinsic ({@code Ghash}, the one class that reaches into the JDK), reachable
 * only when the JVM runs with {@code --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED} on a JDK whose GHASH
 * has the expected shape; otherwise the JDK's own AES/GCM cipher is used ({@code JdkGcm}), portable, as fast but with
 * about 1 KB of garbage per packet. {@link #prepare()} logs once which one runs.
 */
public final class PrismSrtpSession implements SrtpSession {
    /** Highest SRTCP index (31 bits); past it the keys must be renewed. */
    private static final long MAX_SRTCP_INDEX = 0x7FFFFFFFL;

    private static final Logger log = LoggerFactory.getLogger(PrismSrtpSession.class);

    private final SrtpProfile profile;
    private SrtpTransform rtpOut;
    private SrtpTransform rtpIn;
    private SrtpTransform rtcpOut;
    private SrtpTransform rtcpIn;
    private final IntObjectHashMap<ReplayWindow> rtpSend = new IntObjectHashMap<>();
    private final IntObjectHashMap<ReplayWindow> rtpReceive = new IntObjectHashMap<>();
    private final IntObjectHashMap<ReplayWindow> rtcpSend = new IntObjectHashMap<>();
    private final IntObjectHashMap<ReplayWindow> rtcpReceive = new IntObjectHashMap<>();
    /** State for a packet of an SSRC not seen yet; kept (and replaced) only if the packet authenticates. */
    private ReplayWindow probe = new ReplayWindow();
    private boolean closed;

    // The packet being transformed, valid during one call: its array and offset, and whether that is a bounce copy.
    private byte[] array;
    private int offset;
    private boolean bounced;

    private PrismSrtpSession(SrtpProfile profile, SrtpTransform rtpOut, SrtpTransform rtpIn, SrtpTransform rtcpOut,
                        SrtpTransform rtcpIn) {
        this.profile = profile;
        this.rtpOut = rtpOut;
        this.rtpIn = rtpIn;
        this.rtcpOut = rtcpOut;
        this.rtcpIn = rtcpIn;
    }

    /** {@link SrtpImplementation#prepare()} for this implementation. */
    static void prepare() {
        WarmUp.done();
    }

    private static final class WarmUp {
        static {
            if (GcmCipher.allocationFree()) {
                log.info("srtp: AES-GCM is Prism's own over the JDK's AES and GHASH intrinsics (no allocation)");
            } else if (!Ghash.available()) {
                log.warn("srtp: AES-GCM falls back to the JDK's cipher, about 1 KB of garbage per packet: the JDK's "
                    + "GHASH is not reachable (run the JVM with --add-opens "
                    + "java.base/com.sun.crypto.provider=ALL-UNNAMED; ./prism does)");
            } else {
                log.warn("srtp: AES-GCM falls back to the JDK's cipher, about 1 KB of garbage per packet: this JDK's "
                    + "GHASH does not give the JDK's own AES/GCM results through Prism's call");
            }
            SrtpWarmUp.run(PrismSrtpSession::createPrepared);
        }

        static void done() {
            // the static initializer does the work
        }
    }

    /** {@link SrtpImplementation#create} for this implementation. */
    static PrismSrtpSession create(SrtpProfile profile, SrtpKeyingMaterial keys, boolean weAreDtlsServer) {
        SrtpWarmUp.checkKeys(profile, keys);
        prepare();
        return createPrepared(profile, keys, weAreDtlsServer);
    }

    private static PrismSrtpSession createPrepared(SrtpProfile profile, SrtpKeyingMaterial keys, boolean weAreDtlsServer) {
        byte[] localKey = keys.localMasterKey(weAreDtlsServer);
        byte[] localSalt = keys.localMasterSalt(weAreDtlsServer);
        byte[] remoteKey = keys.remoteMasterKey(weAreDtlsServer);
        byte[] remoteSalt = keys.remoteMasterSalt(weAreDtlsServer);
        try {
            return new PrismSrtpSession(profile,
                SrtpTransform.create(profile, localKey, localSalt, false),
                SrtpTransform.create(profile, remoteKey, remoteSalt, false),
                SrtpTransform.create(profile, localKey, localSalt, true),
                SrtpTransform.create(profile, remoteKey, remoteSalt, true));
        } finally {
            // Copies made for this call: the transforms hold what they need.
            Arrays.fill(localKey, (byte) 0);
            Arrays.fill(remoteKey, (byte) 0);
            Arrays.fill(localSalt, (byte) 0);
            Arrays.fill(remoteSalt, (byte) 0);
        }
    }

    @Override
    public SrtpProfile profile() {
        return profile;
    }

    @Override
    public SrtpImplementation implementation() {
        return SrtpImplementation.PRISM;
    }

    /** Encrypts an RTP packet in place and appends its tag. */
    @Override
    public SrtpStatus protectRtp(ByteBuf packet) {
        SrtpStatus pre = precheck(packet);
        if (pre != null) {
            return pre;
        }
        int header = SrtpPackets.rtpHeaderLength(packet);
        if (header < 0) {
            return SrtpStatus.INVALID_PACKET;
        }
        int tag = profile.rtpTrailerLength();
        if (!ensureTrailerRoom(packet, tag)) {
            return SrtpStatus.FAIL;
        }
        int ssrc = SrtpPackets.rtpSsrc(packet);
        ReplayWindow stream = rtpSend.get(ssrc);
        if (stream == null) {
            if (rtpSend.size() >= MAX_STREAMS) {
                return SrtpStatus.FAIL;
            }
            stream = new ReplayWindow();
            rtpSend.put(ssrc, stream);
        }
        long index = stream.rtpIndex(SrtpPackets.rtpSequenceNumber(packet));
        SrtpStatus replay = stream.check(index);
        if (replay != SrtpStatus.OK) {
            return replay;
        }
        int len = packet.readableBytes();
        try {
            view(packet, tag);
            rtpOut.protectRtp(array, offset, len, header, ssrc, index);
            commit(packet, header, len + tag);
        } catch (RuntimeException e) {
            return SrtpStatus.FAIL;
        } finally {
            array = null;
        }
        stream.accept(index);
        return SrtpStatus.OK;
    }

    /** Authenticates, replay-checks and decrypts an SRTP packet in place; on OK the tag is cut off. */
    @Override
    public SrtpStatus unprotectRtp(ByteBuf packet) {
        SrtpStatus pre = precheck(packet);
        if (pre != null) {
            return pre;
        }
        int header = SrtpPackets.rtpHeaderLength(packet);
        int tag = profile.rtpTrailerLength();
        int len = packet.readableBytes();
        if (header < 0 || header + tag > len) {
            return SrtpStatus.INVALID_PACKET;
        }
        int ssrc = SrtpPackets.rtpSsrc(packet);
        ReplayWindow stream = rtpReceive.get(ssrc);
        boolean fresh = stream == null;
        if (fresh) {
            if (rtpReceive.size() >= MAX_STREAMS) {
                return SrtpStatus.FAIL;
            }
            stream = probe;
            stream.reset();
        }
        long index = stream.rtpIndex(SrtpPackets.rtpSequenceNumber(packet));
        SrtpStatus replay = stream.check(index);
        if (replay != SrtpStatus.OK) {
            return replay;
        }
        try {
            view(packet, 0);
            if (!rtpIn.unprotectRtp(array, offset, len, header, ssrc, index)) {
                return SrtpStatus.AUTH_FAIL;
            }
            commit(packet, header, len - tag);
        } catch (RuntimeException e) {
            return SrtpStatus.FAIL;
        } finally {
            array = null;
        }
        stream.accept(index);
        if (fresh) {
            rtpReceive.put(ssrc, stream);
            probe = new ReplayWindow();
        }
        return SrtpStatus.OK;
    }

    /** Encrypts a (compound) RTCP packet in place and appends E flag, SRTCP index and tag. */
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
        ReplayWindow stream = rtcpSend.get(ssrc);
        if (stream == null) {
            if (rtcpSend.size() >= MAX_STREAMS) {
                return SrtpStatus.FAIL;
            }
            stream = new ReplayWindow();
            rtcpSend.put(ssrc, stream);
        }
        // The first SRTCP index sent is 1, as libsrtp (and so Chrome) sends it.
        long index = stream.highest() < 0 ? 1 : stream.highest() + 1;
        if (index > MAX_SRTCP_INDEX) {
            return SrtpStatus.FAIL;
        }
        int len = packet.readableBytes();
        try {
            view(packet, trailer);
            rtcpOut.protectRtcp(array, offset, len, ssrc, (int) index);
            commit(packet, SrtpPackets.RTCP_FIXED_HEADER, len + trailer);
        } catch (RuntimeException e) {
            return SrtpStatus.FAIL;
        } finally {
            array = null;
        }
        stream.accept(index);
        return SrtpStatus.OK;
    }

    /** Authenticates, replay-checks and decrypts an SRTCP packet in place; on OK index and tag are cut off. */
    @Override
    public SrtpStatus unprotectRtcp(ByteBuf packet) {
        SrtpStatus pre = precheck(packet);
        if (pre != null) {
            return pre;
        }
        int trailer = profile.rtcpTrailerLength();
        if (!SrtpPackets.isRtcp(packet, SrtpPackets.RTCP_FIXED_HEADER + trailer)) {
            return SrtpStatus.INVALID_PACKET;
        }
        int len = packet.readableBytes();
        int ssrc = SrtpPackets.rtcpSenderSsrc(packet);
        int word = packet.getInt(packet.readerIndex() + len - rtcpIn.rtcpIndexFromEnd());
        long index = word & MAX_SRTCP_INDEX;
        ReplayWindow stream = rtcpReceive.get(ssrc);
        boolean fresh = stream == null;
        if (fresh) {
            if (rtcpReceive.size() >= MAX_STREAMS) {
                return SrtpStatus.FAIL;
            }
            stream = probe;
            stream.reset();
        }
        SrtpStatus replay = stream.check(index);
        if (replay != SrtpStatus.OK) {
            return replay;
        }
        try {
            view(packet, 0);
            if (!rtcpIn.unprotectRtcp(array, offset, len, ssrc, word)) {
                return SrtpStatus.AUTH_FAIL;
            }
            commit(packet, SrtpPackets.RTCP_FIXED_HEADER, len - trailer);
        } catch (RuntimeException e) {
            return SrtpStatus.FAIL;
        } finally {
            array = null;
        }
        stream.accept(index);
        if (fresh) {
            rtcpReceive.put(ssrc, stream);
            probe = new ReplayWindow();
        }
        return SrtpStatus.OK;
    }

    /** Forgets all streams and drops the session keys (the JDK ciphers holding them become unreachable). */
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
        rtpOut = null;
        rtpIn = null;
        rtcpOut = null;
        rtcpIn = null;
    }

    /** Number of SRTP streams the peer has authenticated so far (for tests and stats). */
    int receiveRtpStreams() {
        return rtpReceive.size();
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

    /**
     * Points {@link #array}/{@link #offset} at the readable bytes: a heap buffer's own array, or a copy in this
     * thread's scratch with {@code room} bytes to spare after it.
     */
    private void view(ByteBuf packet, int room) {
        if (packet.hasArray()) {
            array = packet.array();
            offset = packet.arrayOffset() + packet.readerIndex();
            bounced = false;
        } else {
            int len = packet.readableBytes();
            array = CryptoScratch.get().bounce(len + room);
            offset = 0;
            SrtpPackets.copyOut(packet, packet.readerIndex(), array, len);
            bounced = true;
        }
    }

    /** Sets the new packet length; for a scratch copy, first writes back bytes {@code [from, newLength)}. */
    private void commit(ByteBuf packet, int from, int newLength) {
        int r = packet.readerIndex();
        if (bounced) {
            packet.setBytes(r + from, array, offset + from, newLength - from);
        }
        packet.writerIndex(r + newLength);
    }

    private static boolean ensureTrailerRoom(ByteBuf packet, int trailer) {
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
