package dev.prism.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Picture loss indication, PSFB FMT 1 (RFC 4585 section 6.3.1): "send me a key frame". No FCI.
 *
 * <pre>
 * |V=2|P|  FMT=1  |   PT=206      |          length=2             |
 * |                  SSRC of packet sender                        |
 * |                  SSRC of media source                         |
 * </pre>
 */
public record Pli(long senderSsrc, long mediaSsrc) implements RtcpMessage {
    private static final int LENGTH = Rtcp.FEEDBACK_HEADER;

    public Pli {
        Rtcp.checkU32("senderSsrc", senderSsrc);
        Rtcp.checkU32("mediaSsrc", mediaSsrc);
    }

    public static Pli parse(ByteBuf buf) {
        return parse(buf, buf.readerIndex(), buf.readableBytes());
    }

    /** The PLI at {@code offset} with at most {@code length} bytes available; null when malformed or not a PLI. */
    public static Pli parse(ByteBuf buf, int offset, int length) {
        int end = Rtcp.feedbackEnd(buf, offset, length, RtcpHeader.PT_PSFB, RtcpHeader.FMT_PLI);
        if (end < 0) {
            return null;
        }
        return new Pli(buf.getUnsignedInt(offset + 4), buf.getUnsignedInt(offset + 8));
    }

    @Override
    public int length() {
        return LENGTH;
    }

    @Override
    public int write(ByteBuf dst) {
        Rtcp.writeFeedbackHeader(dst, RtcpHeader.FMT_PLI, RtcpHeader.PT_PSFB, LENGTH, senderSsrc, mediaSsrc);
        return LENGTH;
    }
}
