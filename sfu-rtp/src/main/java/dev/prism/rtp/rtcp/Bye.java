package dev.prism.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Goodbye, PT 203 (RFC 3550 section 6.6).
 *
 * <pre>
 * |V=2|P|    SC   |   PT=BYE=203  |             length            |
 * |                           SSRC/CSRC (SC times)                |
 * |     length    |               reason for leaving (UTF-8)    ... zero padded
 * </pre>
 *
 * @param reason empty when absent
 */
public record Bye(List<Long> ssrcs, String reason) implements RtcpMessage {

    public Bye {
        ssrcs = List.copyOf(ssrcs);
        Rtcp.checkSsrcs(ssrcs);
        if (ssrcs.size() > RtcpHeader.MAX_COUNT) {
            throw new IllegalArgumentException(ssrcs.size() + " sources; at most 31 fit");
        }
        reason = reason == null ? "" : reason;
    }

    public static Bye of(long ssrc) {
        return new Bye(List.of(ssrc), "");
    }

    public static Bye parse(ByteBuf buf) {
        return parse(buf, buf.readerIndex(), buf.readableBytes());
    }

    /** The BYE at {@code offset} with at most {@code length} bytes available; null when malformed or not a BYE. */
    public static Bye parse(ByteBuf buf, int offset, int length) {
        int end = RtcpHeader.contentEnd(buf, offset, length, RtcpHeader.PT_BYE);
        if (end < 0) {
            return null;
        }
        int sc = RtcpHeader.countOrFormat(buf, offset);
        int pos = offset + RtcpHeader.LENGTH;
        if (pos + 4 * sc > end) {
            return null;
        }
        List<Long> ssrcs = new ArrayList<>(sc);
        for (int i = 0; i < sc; i++, pos += 4) {
            ssrcs.add(buf.getUnsignedInt(pos));
        }
        String reason = "";
        if (pos < end) {
            int len = buf.getUnsignedByte(pos);
            if (pos + 1 + len > end) {
                return null;
            }
            reason = Rtcp.text(buf, pos + 1, len);
            if (reason == null) {
                return null;
            }
        }
        return new Bye(ssrcs, reason);
    }

    @Override
    public int length() {
        int len = RtcpHeader.LENGTH + 4 * ssrcs.size();
        if (!reason.isEmpty()) {
            len += (1 + Rtcp.utf8Max255("BYE reason", reason).length + 3) & ~3;
        }
        return len;
    }

    @Override
    public int write(ByteBuf dst) {
        int len = length();
        RtcpHeader.write(dst, ssrcs.size(), RtcpHeader.PT_BYE, len);
        for (long s : ssrcs) {
            dst.writeInt((int) s);
        }
        if (!reason.isEmpty()) {
            byte[] text = Rtcp.utf8Max255("BYE reason", reason);
            dst.writeByte(text.length);
            dst.writeBytes(text);
            dst.writeZero(((1 + text.length + 3) & ~3) - 1 - text.length);
        }
        return len;
    }
}
