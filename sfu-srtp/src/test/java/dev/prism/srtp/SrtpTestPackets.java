package dev.prism.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;

/** Packets and keys shared by the SRTP tests. */
final class SrtpTestPackets {
    private SrtpTestPackets() {
    }

    /**
     * Makes {@code sender}'s next SRTCP index 1 for {@code ssrc}. Prism (like libsrtp, and so Chrome) sends index 1
     * first, jitsi-srtp index 0; both are valid, the receiver reads the index from the packet. A test that compares
     * protected bytes across implementations first spends jitsi's index 0 on a throwaway packet.
     */
    static void startSrtcpAtIndexOne(SrtpImplementation impl, SrtpSession sender, int ssrc) {
        if (impl != SrtpImplementation.JITSI) {
            return;
        }
        ByteBuf throwaway = withTailRoom(compoundRtcp(ssrc));
        try {
            if (!sender.protectRtcp(throwaway).isOk()) {
                throw new AssertionError("throwaway SRTCP packet not protected");
            }
        } finally {
            throwaway.release();
        }
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[\\s:]", ""));
    }

    /** Keys where the client side uses {@code key}/{@code salt} and the server side a different, fixed set. */
    static SrtpKeyingMaterial clientKeys(SrtpProfile profile, byte[] key, byte[] salt) {
        byte[] otherKey = new byte[profile.masterKeyLength()];
        byte[] otherSalt = new byte[profile.masterSaltLength()];
        java.util.Arrays.fill(otherKey, (byte) 0x5A);
        java.util.Arrays.fill(otherSalt, (byte) 0xA5);
        return SrtpKeyingMaterial.of(profile, key, salt, otherKey, otherSalt);
    }

    static SrtpKeyingMaterial sampleKeys(SrtpProfile profile) {
        byte[] material = new byte[profile.keyingMaterialLength()];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) (i * 7 + 3);
        }
        return SrtpKeyingMaterial.fromExporterOutput(profile, material);
    }

    /**
     * A VP8-sized RTP packet with a CSRC and a one-byte header extension, like a forwarded video packet.
     */
    static byte[] videoRtp(int seq, int ssrc) {
        byte[] header = hex(
            "91 e0"               // V=2 P=0 X=1 CC=1, M=1 PT=96
            + "0000"              // sequence number (patched below)
            + "decafbad"          // timestamp
            + "00000000"          // SSRC (patched below)
            + "11223344"          // CSRC
            + "bede 0002"         // one-byte extension profile, 2 words
            + "22 123456"         // id 2 (abs-send-time), 3 bytes
            + "51 0102 00");      // id 5 (transport-wide cc), 2 bytes, padding
        byte[] packet = new byte[header.length + 1000];
        System.arraycopy(header, 0, packet, 0, header.length);
        packet[2] = (byte) (seq >> 8);
        packet[3] = (byte) seq;
        packet[8] = (byte) (ssrc >> 24);
        packet[9] = (byte) (ssrc >> 16);
        packet[10] = (byte) (ssrc >> 8);
        packet[11] = (byte) ssrc;
        for (int i = header.length; i < packet.length; i++) {
            packet[i] = (byte) (i * 31);
        }
        return packet;
    }

    /** A compound RTCP packet: sender report (no report blocks) + SDES with a CNAME. */
    static byte[] compoundRtcp(int ssrc) {
        byte[] p = hex(
            "80 c8 0006"                  // SR, RC=0, length 6 words
            + "00000000"                  // sender SSRC (patched below)
            + "e8d4a510 00000000"         // NTP timestamp
            + "decafbad"                  // RTP timestamp
            + "00000064 0000fa00"         // packet count 100, octet count 64000
            + "81 ca 0003"                // SDES, SC=1, length 3 words
            + "00000000"                  // chunk SSRC (patched below)
            + "01 04 70726973 00 00");    // CNAME "pris", end, pad
        for (int at : new int[] {4, 32}) {
            p[at] = (byte) (ssrc >> 24);
            p[at + 1] = (byte) (ssrc >> 16);
            p[at + 2] = (byte) (ssrc >> 8);
            p[at + 3] = (byte) ssrc;
        }
        return p;
    }

    /** A heap buffer holding {@code bytes} with exactly {@link SrtpSession#MAX_TRAILER} bytes of tail room. */
    static ByteBuf withTailRoom(byte[] bytes) {
        ByteBuf buf = Unpooled.buffer(bytes.length + SrtpSession.MAX_TRAILER, bytes.length + SrtpSession.MAX_TRAILER);
        buf.writeBytes(bytes);
        return buf;
    }

    static byte[] readable(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }
}
