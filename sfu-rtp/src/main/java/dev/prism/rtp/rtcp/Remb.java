package dev.prism.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Receiver estimated maximum bitrate, PSFB FMT 15 with identifier "REMB" (draft-alvestrand-rmcat-remb-03).
 *
 * <pre>
 * |V=2|P| FMT=15  |   PT=206      |             length            |
 * |                  SSRC of packet sender                        |
 * |                  SSRC of media source (0)                     |
 * |  Unique identifier 'R' 'E' 'M' 'B'                            |
 * |  Num SSRC     | BR Exp    |  BR Mantissa (18 bits)            |
 * |   SSRC feedback (Num SSRC times)                              |
 * </pre>
 *
 * The bitrate is {@code mantissa << exponent} bits per second. Exponent and mantissa are kept as received, so a parsed
 * message writes back the same bytes; {@link #of} picks the smallest exponent, as libwebrtc does.
 */
public record Remb(long senderSsrc, long mediaSsrc, int exponent, int mantissa, List<Long> ssrcs)
        implements RtcpMessage {
    /** "REMB" in ASCII. */
    public static final int IDENTIFIER = 0x52454D42;
    private static final int MAX_MANTISSA = (1 << 18) - 1;
    private static final int FIXED = Rtcp.FEEDBACK_HEADER + 8;

    public Remb {
        Rtcp.checkU32("senderSsrc", senderSsrc);
        Rtcp.checkU32("mediaSsrc", mediaSsrc);
        if (exponent < 0 || exponent > 63 || mantissa < 0 || mantissa > MAX_MANTISSA) {
            throw new IllegalArgumentException("exponent " + exponent + " mantissa " + mantissa);
        }
        ssrcs = List.copyOf(ssrcs);
        Rtcp.checkSsrcs(ssrcs);
        if (ssrcs.size() > 255) {
            throw new IllegalArgumentException(ssrcs.size() + " SSRCs; at most 255 fit");
        }
    }

    /** A REMB for the given bitrate (rounded down to what 18 bits of mantissa can say) and media sources. */
    public static Remb of(long senderSsrc, long bitrateBps, List<Long> ssrcs) {
        if (bitrateBps < 0) {
            throw new IllegalArgumentException("bitrate " + bitrateBps);
        }
        int exp = 0;
        while ((bitrateBps >>> exp) > MAX_MANTISSA) {
            exp++;
        }
        return new Remb(senderSsrc, 0, exp, (int) (bitrateBps >>> exp), ssrcs);
    }

    /** Bits per second; saturates at {@code Long.MAX_VALUE} for encodings beyond 63 bits. */
    public long bitrate() {
        if (mantissa != 0 && exponent > Long.numberOfLeadingZeros(mantissa) - 1) {
            return Long.MAX_VALUE;
        }
        return (long) mantissa << exponent;
    }

    public static Remb parse(ByteBuf buf) {
        return parse(buf, buf.readerIndex(), buf.readableBytes());
    }

    /**
     * The REMB at {@code offset} with at most {@code length} bytes available; null when malformed, not PSFB/AFB, or an
     * application feedback message other than REMB.
     */
    public static Remb parse(ByteBuf buf, int offset, int length) {
        int end = Rtcp.feedbackEnd(buf, offset, length, RtcpHeader.PT_PSFB, RtcpHeader.FMT_AFB);
        if (end < 0 || end - offset < FIXED || buf.getInt(offset + 12) != IDENTIFIER) {
            return null;
        }
        int num = buf.getUnsignedByte(offset + 16);
        if (end - offset < FIXED + 4 * num) {
            return null;
        }
        int expMantissa = buf.getMedium(offset + 17) & 0xFFFFFF;
        List<Long> ssrcs = new ArrayList<>(num);
        for (int i = 0; i < num; i++) {
            ssrcs.add(buf.getUnsignedInt(offset + FIXED + 4 * i));
        }
        return new Remb(buf.getUnsignedInt(offset + 4), buf.getUnsignedInt(offset + 8), expMantissa >>> 18,
                expMantissa & MAX_MANTISSA, ssrcs);
    }

    @Override
    public int length() {
        return FIXED + 4 * ssrcs.size();
    }

    @Override
    public int write(ByteBuf dst) {
        int len = length();
        Rtcp.writeFeedbackHeader(dst, RtcpHeader.FMT_AFB, RtcpHeader.PT_PSFB, len, senderSsrc, mediaSsrc);
        dst.writeInt(IDENTIFIER);
        dst.writeByte(ssrcs.size());
        dst.writeMedium(exponent << 18 | mantissa);
        for (long s : ssrcs) {
            dst.writeInt((int) s);
        }
        return len;
    }

    @Override
    public String toString() {
        return "Remb[sender=" + senderSsrc + " bitrate=" + bitrate() + " ssrcs=" + ssrcs + "]";
    }
}
