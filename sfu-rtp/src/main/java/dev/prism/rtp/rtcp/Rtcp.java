package dev.prism.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Small shared helpers of this package. */
final class Rtcp {
    private Rtcp() {
    }

    /** Header, packet sender SSRC and media source SSRC of an RFC 4585 feedback message. */
    static final int FEEDBACK_HEADER = RtcpHeader.LENGTH + 8;

    /**
     * Validates a feedback message of the given type and format with at least the common feedback header; returns the
     * end of its content (padding removed) or -1.
     */
    static int feedbackEnd(ByteBuf buf, int offset, int length, int packetType, int format) {
        int end = RtcpHeader.contentEnd(buf, offset, length, packetType);
        if (end < 0 || RtcpHeader.countOrFormat(buf, offset) != format || end - offset < FEEDBACK_HEADER) {
            return -1;
        }
        return end;
    }

    static void writeFeedbackHeader(ByteBuf dst, int format, int packetType, int length, long senderSsrc,
                                    long mediaSsrc) {
        RtcpHeader.write(dst, format, packetType, length);
        dst.writeInt((int) senderSsrc);
        dst.writeInt((int) mediaSsrc);
    }

    static void checkU32(String what, long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(what + " " + v + " is not an unsigned 32-bit value");
        }
    }

    static void checkSsrcs(List<Long> ssrcs) {
        for (Long s : ssrcs) {
            checkU32("ssrc", s);
        }
    }

    /**
     * Text of {@code len} bytes at {@code offset}, which RFC 3550 section 6.5 requires to be UTF-8; null when they are
     * not valid UTF-8 (so every parsed text encodes back to the same bytes).
     */
    static String text(ByteBuf buf, int offset, int len) {
        byte[] raw = new byte[len];
        buf.getBytes(offset, raw);
        String s = new String(raw, StandardCharsets.UTF_8);
        return Arrays.equals(raw, s.getBytes(StandardCharsets.UTF_8)) ? s : null;
    }

    /** UTF-8 bytes of an SDES item or BYE reason: at most 255. */
    static byte[] utf8Max255(String what, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 255) {
            throw new IllegalArgumentException(what + " is " + b.length + " bytes in UTF-8; at most 255 fit");
        }
        return b;
    }
}
