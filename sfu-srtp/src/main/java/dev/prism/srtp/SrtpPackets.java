package dev.prism.srtp;

import io.netty.buffer.ByteBuf;

/**
 * The header checks and fields SRTP needs before it transforms a packet (the transforms trust header lengths). Pure
 * functions over the readable bytes of a buffer; the checks never throw on malformed input, and the field reads are
 * made only after a check passed.
 */
final class SrtpPackets {
    static final int RTP_FIXED_HEADER = 12;
    static final int RTCP_FIXED_HEADER = 8;

    private SrtpPackets() {
    }

    /**
     * Length of the RTP header (fixed part, CSRCs and header extension), or -1 if the readable bytes are not a
     * version-2 RTP packet whose header fits inside them.
     */
    static int rtpHeaderLength(ByteBuf buf) {
        int len = buf.readableBytes();
        if (len < RTP_FIXED_HEADER) {
            return -1;
        }
        int r = buf.readerIndex();
        int b0 = buf.getUnsignedByte(r);
        if ((b0 >> 6) != 2) {
            return -1;
        }
        int header = RTP_FIXED_HEADER + 4 * (b0 & 0x0F);
        if ((b0 & 0x10) != 0) {
            if (header + 4 > len) {
                return -1;
            }
            header += 4 + 4 * buf.getUnsignedShort(r + header + 2);
        }
        return header <= len ? header : -1;
    }

    /** True if the readable bytes start like a version-2 RTCP packet (RFC 3550 6.4). */
    static boolean isRtcp(ByteBuf buf, int minLength) {
        return buf.readableBytes() >= minLength && (buf.getUnsignedByte(buf.readerIndex()) >> 6) == 2;
    }

    static int rtpSequenceNumber(ByteBuf buf) {
        return buf.getUnsignedShort(buf.readerIndex() + 2);
    }

    static int rtpSsrc(ByteBuf buf) {
        return buf.getInt(buf.readerIndex() + 8);
    }

    /**
     * Copies {@code len} bytes at {@code index} of a buffer without a backing array into {@code dst}. Through the
     * buffer's reused internal NIO view where it has one: on JDK 24 and later Netty reaches direct memory without
     * {@code sun.misc.Unsafe}, and its {@code getBytes} then makes a {@code ByteBuffer} duplicate per call (64 B).
     */
    static void copyOut(ByteBuf buf, int index, byte[] dst, int len) {
        if (buf.nioBufferCount() == 1) {
            buf.internalNioBuffer(index, len).get(dst, 0, len);
        } else {
            buf.getBytes(index, dst, 0, len);
        }
    }

    /** The SSRC of the first RTCP packet's sender, which keys the SRTCP context (RFC 3711 3.4). */
    static int rtcpSenderSsrc(ByteBuf buf) {
        return buf.getInt(buf.readerIndex() + 4);
    }
}
