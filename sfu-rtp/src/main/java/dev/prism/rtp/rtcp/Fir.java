package dev.prism.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Full intra request, PSFB FMT 4 (RFC 5104 section 4.3.1). One FCI entry per target source; the sequence number goes
 * up by one for each new request to the same source, so a repeated request (same number) is not acted on twice.
 *
 * <pre>
 * |V=2|P|  FMT=4  |   PT=206      |          length               |
 * |                  SSRC of packet sender                        |
 * |             SSRC of media source (unused, 0)                  |
 * |                              SSRC                             |   FCI entry,
 * | Seq nr.       |    Reserved (0)                               |   repeated
 * </pre>
 */
public record Fir(long senderSsrc, long mediaSsrc, List<Entry> entries) implements RtcpMessage {
    private static final int ENTRY = 8;

    /** One FCI entry: the source asked for a key frame and the command sequence number (0..255). */
    public record Entry(long ssrc, int seqNr) {
        public Entry {
            Rtcp.checkU32("ssrc", ssrc);
            if (seqNr < 0 || seqNr > 255) {
                throw new IllegalArgumentException("seqNr " + seqNr);
            }
        }
    }

    public Fir {
        Rtcp.checkU32("senderSsrc", senderSsrc);
        Rtcp.checkU32("mediaSsrc", mediaSsrc);
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a FIR needs at least one entry");
        }
    }

    /** A FIR to one source, media SSRC 0 as RFC 5104 requires. */
    public static Fir of(long senderSsrc, long targetSsrc, int seqNr) {
        return new Fir(senderSsrc, 0, List.of(new Entry(targetSsrc, seqNr)));
    }

    public static Fir parse(ByteBuf buf) {
        return parse(buf, buf.readerIndex(), buf.readableBytes());
    }

    /** The FIR at {@code offset} with at most {@code length} bytes available; null when malformed or not a FIR. */
    public static Fir parse(ByteBuf buf, int offset, int length) {
        int end = Rtcp.feedbackEnd(buf, offset, length, RtcpHeader.PT_PSFB, RtcpHeader.FMT_FIR);
        if (end < 0) {
            return null;
        }
        int fci = end - offset - Rtcp.FEEDBACK_HEADER;
        if (fci == 0 || fci % ENTRY != 0) {
            return null;
        }
        List<Entry> entries = new ArrayList<>(fci / ENTRY);
        for (int pos = offset + Rtcp.FEEDBACK_HEADER; pos < end; pos += ENTRY) {
            entries.add(new Entry(buf.getUnsignedInt(pos), buf.getUnsignedByte(pos + 4)));
        }
        return new Fir(buf.getUnsignedInt(offset + 4), buf.getUnsignedInt(offset + 8), entries);
    }

    @Override
    public int length() {
        return Rtcp.FEEDBACK_HEADER + ENTRY * entries.size();
    }

    @Override
    public int write(ByteBuf dst) {
        int len = length();
        Rtcp.writeFeedbackHeader(dst, RtcpHeader.FMT_FIR, RtcpHeader.PT_PSFB, len, senderSsrc, mediaSsrc);
        for (Entry e : entries) {
            dst.writeInt((int) e.ssrc());
            dst.writeByte(e.seqNr());
            dst.writeMedium(0);
        }
        return len;
    }
}
