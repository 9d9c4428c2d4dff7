package dev.prism.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * One reception report block of an SR or RR (RFC 3550 section 6.4.1).
 *
 * <pre>
 * |                 SSRC of the reported source                   |
 * | fraction lost |       cumulative number of packets lost       |
 * |           extended highest sequence number received           |
 * |                      interarrival jitter                      |
 * |                         last SR (LSR)                         |
 * |                   delay since last SR (DLSR)                  |
 * </pre>
 *
 * @param ssrc reported source, unsigned 32 bits
 * @param fractionLost loss since the previous report in 1/256 units, 0..255
 * @param cumulativeLost signed 24 bits (duplicates can make it negative)
 * @param extendedHighestSeq cycles << 16 | highest sequence number, unsigned 32 bits
 * @param jitter interarrival jitter in RTP timestamp units, unsigned 32 bits
 * @param lastSr middle 32 bits of the last SR's NTP timestamp, 0 if none
 * @param delaySinceLastSr in units of 1/65536 s, unsigned 32 bits
 */
public record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSeq, long jitter,
                          long lastSr, long delaySinceLastSr) {
    public static final int LENGTH = 24;

    public ReportBlock {
        Rtcp.checkU32("ssrc", ssrc);
        if (fractionLost < 0 || fractionLost > 255) {
            throw new IllegalArgumentException("fractionLost " + fractionLost);
        }
        if (cumulativeLost < -(1 << 23) || cumulativeLost >= 1 << 23) {
            throw new IllegalArgumentException("cumulativeLost " + cumulativeLost);
        }
        Rtcp.checkU32("extendedHighestSeq", extendedHighestSeq);
        Rtcp.checkU32("jitter", jitter);
        Rtcp.checkU32("lastSr", lastSr);
        Rtcp.checkU32("delaySinceLastSr", delaySinceLastSr);
    }

    /** The block at an absolute offset, or null when fewer than 24 written bytes are there. */
    public static ReportBlock parse(ByteBuf buf, int offset) {
        if (offset < 0 || offset > buf.writerIndex() - LENGTH) {
            return null;
        }
        int lost = buf.getMedium(offset + 5); // signed 24 bits
        return new ReportBlock(buf.getUnsignedInt(offset), buf.getUnsignedByte(offset + 4), lost,
                buf.getUnsignedInt(offset + 8), buf.getUnsignedInt(offset + 12), buf.getUnsignedInt(offset + 16),
                buf.getUnsignedInt(offset + 20));
    }

    /** Appends the 24 bytes; returns 24. */
    public int write(ByteBuf dst) {
        dst.writeInt((int) ssrc);
        dst.writeByte(fractionLost);
        dst.writeMedium(cumulativeLost);
        dst.writeInt((int) extendedHighestSeq);
        dst.writeInt((int) jitter);
        dst.writeInt((int) lastSr);
        dst.writeInt((int) delaySinceLastSr);
        return LENGTH;
    }
}
