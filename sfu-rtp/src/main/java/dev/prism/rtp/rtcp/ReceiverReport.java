package dev.prism.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Receiver report, PT 201 (RFC 3550 section 6.4.2).
 *
 * <pre>
 * |V=2|P|    RC   |   PT=RR=201   |             length            |
 * |                     SSRC of packet sender                     |
 * |                 report blocks (RC x 24 bytes)                 |
 * </pre>
 *
 * Profile-specific extensions after the report blocks are skipped when parsing and not written.
 */
public record ReceiverReport(long senderSsrc, List<ReportBlock> reportBlocks) implements RtcpMessage {
    private static final int FIXED = RtcpHeader.LENGTH + 4;

    public ReceiverReport {
        Rtcp.checkU32("senderSsrc", senderSsrc);
        reportBlocks = List.copyOf(reportBlocks);
        if (reportBlocks.size() > RtcpHeader.MAX_COUNT) {
            throw new IllegalArgumentException(reportBlocks.size() + " report blocks; at most 31 fit");
        }
    }

    public static ReceiverReport parse(ByteBuf buf) {
        return parse(buf, buf.readerIndex(), buf.readableBytes());
    }

    /** The RR at {@code offset} with at most {@code length} bytes available; null when malformed or not an RR. */
    public static ReceiverReport parse(ByteBuf buf, int offset, int length) {
        int end = RtcpHeader.contentEnd(buf, offset, length, RtcpHeader.PT_RR);
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
        return new ReceiverReport(buf.getUnsignedInt(offset + 4), blocks);
    }

    @Override
    public int length() {
        return FIXED + reportBlocks.size() * ReportBlock.LENGTH;
    }

    @Override
    public int write(ByteBuf dst) {
        int len = length();
        RtcpHeader.write(dst, reportBlocks.size(), RtcpHeader.PT_RR, len);
        dst.writeInt((int) senderSsrc);
        for (ReportBlock b : reportBlocks) {
            b.write(dst);
        }
        return len;
    }
}
