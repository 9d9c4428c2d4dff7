package dev.prism.rtp.testkit;

import dev.prism.srtp.SrtpKeyingMaterial;
import dev.prism.srtp.SrtpProfile;
import dev.prism.srtp.SrtpSession;
import dev.prism.srtp.SrtpStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * The browser end of one Prism transport: its address and its SRTP session (the DTLS client's side of the keys Prism
 * was given). It encrypts what it sends as a browser would and decrypts what the engine wrote to it.
 *
 * <p>Over ICE-TCP (a real engine's TCP candidate), the same peer's packets travel as RFC 4571 frames through a
 * {@link TcpPeerSocket}: {@link #protect} and {@link #unprotect} work on the packet bytes alone, with no datagram.
 *
 * <p>Buffers: {@link #rtp}/{@link #rtcp} borrow the plain packet and return a new datagram whose ownership passes to
 * the caller (then to the engine's receive path). {@link #decrypt} borrows the datagram and returns a heap copy the
 * caller owns. Single-threaded.
 */
public final class FakePeer implements AutoCloseable {
    private final InetSocketAddress address;
    private final InetSocketAddress server;
    private final SrtpSession srtp;

    /**
     * @param address where this peer's datagrams come from
     * @param server  the engine's address (the recipient of what the peer sends)
     * @param keys    the keys the transport was connected with; Prism is the DTLS server, the peer the client
     */
    public FakePeer(InetSocketAddress address, InetSocketAddress server, SrtpKeyingMaterial keys) {
        this.address = address;
        this.server = server;
        this.srtp = SrtpSession.create(keys.profile(), keys, false);
    }

    /** Keying material as DTLS would export it, the same for the same {@code seed}. */
    public static SrtpKeyingMaterial keys(SrtpProfile profile, int seed) {
        byte[] material = new byte[profile.keyingMaterialLength()];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) (seed * 31 + 7 * i + 3);
        }
        return SrtpKeyingMaterial.fromExporterOutput(profile, material);
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Whether the engine wrote {@code d} to this peer. */
    public boolean isRecipientOf(DatagramPacket d) {
        return address.equals(d.recipient());
    }

    /** An SRTP datagram of {@code plainRtp} (borrowed) from this peer to the engine. */
    public DatagramPacket rtp(ByteBuf plainRtp) {
        ByteBuf b = copyWithTrailerRoom(plainRtp);
        check(srtp.protectRtp(b), b, "protect RTP");
        return new DatagramPacket(b, server, address);
    }

    /** An SRTCP datagram of {@code plainRtcp} (borrowed) from this peer to the engine. */
    public DatagramPacket rtcp(ByteBuf plainRtcp) {
        ByteBuf b = copyWithTrailerRoom(plainRtcp);
        check(srtp.protectRtcp(b), b, "protect RTCP");
        return new DatagramPacket(b, server, address);
    }

    /**
     * The plain RTP or RTCP packet in {@code d} (which the engine wrote to this peer), in a heap buffer the caller owns.
     * Throws when it does not decrypt (wrong keys, replay, corrupted).
     */
    public ByteBuf decrypt(DatagramPacket d) {
        if (!isRecipientOf(d)) {
            throw new IllegalStateException("datagram for " + d.recipient() + ", not this peer " + address);
        }
        ByteBuf b = Unpooled.copiedBuffer(d.content());
        check(isRtcp(b) ? srtp.unprotectRtcp(b) : srtp.unprotectRtp(b), b, "unprotect");
        return b;
    }

    /** The SRTP (or SRTCP, by its packet type) bytes of {@code plain} (borrowed): what this peer puts on the wire. */
    public byte[] protect(ByteBuf plain) {
        ByteBuf b = copyWithTrailerRoom(plain);
        try {
            check(isRtcp(b) ? srtp.protectRtcp(b) : srtp.protectRtp(b), b, "protect");
            byte[] out = new byte[b.readableBytes()];
            b.getBytes(b.readerIndex(), out);
            return out;
        } finally {
            if (b.refCnt() > 0) {
                b.release();
            }
        }
    }

    /** The plain packet in {@code wire} (SRTP or SRTCP the engine sent this peer), in a heap buffer the caller owns. */
    public ByteBuf unprotect(byte[] wire) {
        ByteBuf b = Unpooled.copiedBuffer(wire);
        check(isRtcp(b) ? srtp.unprotectRtcp(b) : srtp.unprotectRtp(b), b, "unprotect");
        return b;
    }

    /** RFC 5761 demultiplexing: RTCP packet types 192-223 where RTP has marker and payload type. */
    public static boolean isRtcp(ByteBuf packet) {
        int pt = packet.getUnsignedByte(packet.readerIndex() + 1);
        return pt >= 192 && pt <= 223;
    }

    @Override
    public void close() {
        srtp.close();
    }

    private static ByteBuf copyWithTrailerRoom(ByteBuf plain) {
        ByteBuf b = Unpooled.buffer(plain.readableBytes() + SrtpSession.MAX_TRAILER);
        b.writeBytes(plain, plain.readerIndex(), plain.readableBytes());
        return b;
    }

    private static void check(SrtpStatus status, ByteBuf b, String what) {
        if (status != SrtpStatus.OK) {
            b.release();
            throw new IllegalStateException(what + " failed: " + status);
        }
    }
}
