package dev.prism.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * The common RTCP header (RFC 3550 section 6.4) and the type constants Prism uses.
 *
 * <pre>
 * |V=2|P| RC/FMT  |      PT       |  length (32-bit words - 1)    |
 * </pre>
 *
 * The static readers take an absolute offset and do not check bounds; validate with {@link RtcpCompoundParser} or a
 * message's {@code parse} first.
 */
public final class RtcpHeader {
    public static final int VERSION = 2;
    /** Header size in bytes. */
    public static final int LENGTH = 4;
    /** Largest value of the 5-bit count / format field. */
    public static final int MAX_COUNT = 31;

    public static final int PT_SR = 200;
    public static final int PT_RR = 201;
    public static final int PT_SDES = 202;
    public static final int PT_BYE = 203;
    public static final int PT_APP = 204;
    /** Transport layer feedback (RFC 4585). */
    public static final int PT_RTPFB = 205;
    /** Payload-specific feedback (RFC 4585). */
    public static final int PT_PSFB = 206;
    public static final int PT_XR = 207;

    /** RTPFB: generic NACK (RFC 4585 section 6.2.1). */
    public static final int FMT_NACK = 1;
    /** RTPFB: transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01). */
    public static final int FMT_TCC = 15;
    /** PSFB: picture loss indication (RFC 4585 section 6.3.1). */
    public static final int FMT_PLI = 1;
    /** PSFB: full intra request (RFC 5104 section 4.3.1). */
    public static final int FMT_FIR = 4;
    /** PSFB: application layer feedback (RFC 4585 section 6.4), carries REMB. */
    public static final int FMT_AFB = 15;

    private RtcpHeader() {
    }

    public static int version(ByteBuf buf, int offset) {
        return buf.getUnsignedByte(offset) >>> 6;
    }

    public static boolean padding(ByteBuf buf, int offset) {
        return (buf.getByte(offset) & 0x20) != 0;
    }

    /** Report/source count (SR, RR, SDES, BYE) or feedback message type (RTPFB, PSFB). */
    public static int countOrFormat(ByteBuf buf, int offset) {
        return buf.getByte(offset) & 0x1F;
    }

    public static int packetType(ByteBuf buf, int offset) {
        return buf.getUnsignedByte(offset + 1);
    }

    /** Whole packet length in bytes, header and padding included: {@code 4 * (length field + 1)}. */
    public static int packetLength(ByteBuf buf, int offset) {
        return 4 * (buf.getUnsignedShort(offset + 2) + 1);
    }

    /** Appends a header without padding. {@code packetLength} is the whole packet in bytes, a multiple of 4. */
    public static void write(ByteBuf dst, int countOrFormat, int packetType, int packetLength) {
        write(dst, false, countOrFormat, packetType, packetLength);
    }

    /**
     * Appends a header. {@code packetLength} is the whole packet in bytes including any padding, a multiple of 4; with
     * {@code padding} the caller ends the packet with padding whose last byte is its count.
     */
    public static void write(ByteBuf dst, boolean padding, int countOrFormat, int packetType, int packetLength) {
        if (countOrFormat < 0 || countOrFormat > MAX_COUNT) {
            throw new IllegalArgumentException("count/format " + countOrFormat);
        }
        if (packetLength < LENGTH || packetLength % 4 != 0 || packetLength > 4 * 65536) {
            throw new IllegalArgumentException("packet length " + packetLength);
        }
        dst.writeByte(VERSION << 6 | (padding ? 0x20 : 0) | countOrFormat);
        dst.writeByte(packetType);
        dst.writeShort(packetLength / 4 - 1);
    }

    /**
     * Validates the header of the packet at {@code offset}: the range lies inside the buffer's written bytes, version
     * 2, the wanted packet type, the declared length fits in {@code available}, and a padding count (when P is set)
     * between 1 and the bytes after the header.
     *
     * @return the end (exclusive) of the packet's content with padding removed, or -1
     */
    static int contentEnd(ByteBuf buf, int offset, int available, int packetType) {
        if (buf == null || offset < 0 || available < LENGTH || offset > buf.writerIndex() - available) {
            return -1;
        }
        if (version(buf, offset) != VERSION || packetType(buf, offset) != packetType) {
            return -1;
        }
        int len = packetLength(buf, offset);
        if (len > available) {
            return -1;
        }
        int end = offset + len;
        if (padding(buf, offset)) {
            int pad = buf.getUnsignedByte(end - 1);
            if (pad == 0 || pad > len - LENGTH) {
                return -1;
            }
            end -= pad;
        }
        return end;
    }

    /** A short name for logs and counters, e.g. "RTPFB/15". */
    public static String name(int packetType, int countOrFormat) {
        switch (packetType) {
            case PT_SR:
                return "SR";
            case PT_RR:
                return "RR";
            case PT_SDES:
                return "SDES";
            case PT_BYE:
                return "BYE";
            case PT_APP:
                return "APP";
            case PT_RTPFB:
                return "RTPFB/" + countOrFormat;
            case PT_PSFB:
                return "PSFB/" + countOrFormat;
            case PT_XR:
                return "XR";
            default:
                return "PT" + packetType;
        }
    }
}
