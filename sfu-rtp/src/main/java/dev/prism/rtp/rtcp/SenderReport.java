package dev.prism.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Sender report, PT 200 (RFC 3550 section 6.4.1).
 *
 * <pre>
 * |V=2|P|    RC   |   PT=SR=200   |             length            |
 * |                         SSRC of sender                        |
 * |              NTP timestamp, most significant word             |
 * |             NTP timestamp, least significant word             |
 * |                         RTP timestamp                         |
 * |                     sender's packet count                     |
 * |                      sender's octet count                     |
 * |                 report blocks (RC x 24 bytes)                 |
 * </pre>
 *
 * Profile-specific extensions after the report blocks are skipped when parsing and not written.
 *
 * @param ntpTimestamp 64-bit NTP timestamp (seconds since 1900 in the high word, fraction in the low word), as a raw
 *     bit pattern
 */
public record SenderReport(long senderSsrc, long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount,
                           List<ReportBlock> reportBlocks) implements RtcpMessage {
    private static final int FIXED = RtcpHeader.LENGTH + 24;
    /** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
    private static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;

    public SenderReport {
        Rtcp.checkU32("senderSsrc", senderSsrc);
        Rtcp.checkU32("rtpTimestamp", rtpTimestamp);
        Rtcp.checkU32("packetCount", packetCount);
        Rtcp.checkU32("octetCount", octetCount);
        reportBlocks = List.copyOf(reportBlocks);
        if (reportBlocks.size() > RtcpHeader.MAX_COUNT) {
            throw new IllegalArgumentException(reportBlocks.size() + " report blocks; at most 31 fit");
        }
    }

    public static SenderReport parse(ByteBuf buf) {
        return parse(buf, buf.readerIndex(), buf.readableBytes());
    }

    /** The SR at {@code offset} with at most {@code length} bytes available; null when malformed or not an SR. */
    public static SenderReport parse(ByteBuf buf, int offset, int length) {
        int end = RtcpHeader.contentEnd(buf, offset, length, RtcpHeader.PT_SR);
        if (end < 0) {
            return null;
        }
        int rc = RtcpHeader.countOrFormat(buf, offset);
        if (end - offset < FIXED + rc * ReportBlock.LENGTH) {
            return null;
        }
        List<ReportBlock> blocks = new ArrayList<>(rc);
        for (int i = 0; i < rc; i++) {
            blocks.add(ReportBlock.parse(buf, offset + FIXED + i * ReportBlock.LENGTH));
        }
        return new SenderReport(buf.getUnsignedInt(offset + 4), buf.getLong(offset + 8), buf.getUnsignedInt(offset + 16),
                buf.getUnsignedInt(offset + 20), buf.getUnsignedInt(offset + 24), blocks);
    }

    /** The middle 32 bits of the NTP timestamp, as echoed in the LSR field of report blocks. */
    public long compactNtp() {
        return (ntpTimestamp >>> 16) & 0xFFFF_FFFFL;
    }

    /** 64-bit NTP timestamp for a Unix time in milliseconds (e.g. {@code MonoClock.wallMillis()}). */
    public static long ntpFromUnixMillis(long unixMillis) {
        long seconds = Math.floorDiv(unixMillis, 1000) + NTP_UNIX_OFFSET_SECONDS;
        long fraction = (Math.floorMod(unixMillis, 1000) << 32) / 1000;
        return seconds << 32 | fraction;
    }

    @Override
    public int length() {
        return FIXED + reportBlocks.size() * ReportBlock.LENGTH;
    }

    @Override
    public int write(ByteBuf dst) {
        int len = length();
        RtcpHeader.write(dst, reportBlocks.size(), RtcpHeader.PT_SR, len);
        dst.writeInt((int) senderSsrc);
        dst.writeLong(ntpTimestamp);
        dst.writeInt((int) rtpTimestamp);
        dst.writeInt((int) packetCount);
        dst.writeInt((int) octetCount);
        for (ReportBlock b : reportBlocks) {
            b.write(dst);
        }
        return len;
    }
}
