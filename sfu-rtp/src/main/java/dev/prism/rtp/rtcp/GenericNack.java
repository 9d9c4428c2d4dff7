package dev.prism.rtp.rtcp;

import dev.prism.rtp.packet.SeqNum;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Generic NACK, RTPFB FMT 1 (RFC 4585 section 6.2.1): lost RTP sequence numbers of one media source.
 *
 * <pre>
 * |V=2|P|  FMT=1  |   PT=205      |          length               |
 * |                  SSRC of packet sender                        |
 * |                  SSRC of media source                         |
 * |            PID                |             BLP               |   FCI entry, repeated
 * </pre>
 *
 * Each entry reports packet {@code PID} lost, and {@code PID + i + 1} lost for every set bit {@code i} of {@code BLP}
 * (least significant bit first), modulo 2^16.
 */
public record GenericNack(long senderSsrc, long mediaSsrc, List<Entry> entries) implements RtcpMessage {
    private static final int ENTRY = 4;

    /** One FCI entry: packet id and bitmask of the 16 following lost packets. */
    public record Entry(int pid, int blp) {
        public Entry {
            if (pid < 0 || pid > 0xFFFF || blp < 0 || blp > 0xFFFF) {
                throw new IllegalArgumentException("pid " + pid + " blp " + blp);
            }
        }
    }

    public GenericNack {
        Rtcp.checkU32("senderSsrc", senderSsrc);
        Rtcp.checkU32("mediaSsrc", mediaSsrc);
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a NACK needs at least one entry");
        }
    }

    /**
     * Builds the NACK for the given lost sequence numbers. Listed oldest first (as a NACK generator keeps them) they
     * pack into the fewest entries; any order still yields a correct, possibly longer, message. Duplicates are harmless.
     *
     * @throws IllegalArgumentException when {@code lost} is empty
     */
    public static GenericNack of(long senderSsrc, long mediaSsrc, int... lost) {
        List<Entry> entries = new ArrayList<>();
        int pid = -1;
        int blp = 0;
        for (int s : lost) {
            int seq = s & SeqNum.MASK;
            int d = pid < 0 ? -1 : SeqNum.diff(seq, pid);
            if (d == 0) {
                continue;
            }
            if (d >= 1 && d <= 16) {
                blp |= 1 << (d - 1);
            } else {
                if (pid >= 0) {
                    entries.add(new Entry(pid, blp));
                }
                pid = seq;
                blp = 0;
            }
        }
        if (pid >= 0) {
            entries.add(new Entry(pid, blp));
        }
        return new GenericNack(senderSsrc, mediaSsrc, entries);
    }

    /** Every sequence number reported lost, in entry order (oldest first for a well-formed NACK). */
    public int[] lostSequenceNumbers() {
        int n = 0;
        for (Entry e : entries) {
            n += 1 + Integer.bitCount(e.blp());
        }
        int[] lost = new int[n];
        int k = 0;
        for (Entry e : entries) {
            lost[k++] = e.pid();
            for (int i = 0; i < 16; i++) {
                if ((e.blp() & (1 << i)) != 0) {
                    lost[k++] = SeqNum.add(e.pid(), i + 1);
                }
            }
        }
        return lost;
    }

    public static GenericNack parse(ByteBuf buf) {
        return parse(buf, buf.readerIndex(), buf.readableBytes());
    }

    /** The NACK at {@code offset} with at most {@code length} bytes available; null when malformed or not a NACK. */
    public static GenericNack parse(ByteBuf buf, int offset, int length) {
        int end = Rtcp.feedbackEnd(buf, offset, length, RtcpHeader.PT_RTPFB, RtcpHeader.FMT_NACK);
        if (end < 0) {
            return null;
        }
        int fci = end - offset - Rtcp.FEEDBACK_HEADER;
        if (fci == 0 || fci % ENTRY != 0) {
            return null;
        }
        List<Entry> entries = new ArrayList<>(fci / ENTRY);
        for (int pos = offset + Rtcp.FEEDBACK_HEADER; pos < end; pos += ENTRY) {
            entries.add(new Entry(buf.getUnsignedShort(pos), buf.getUnsignedShort(pos + 2)));
        }
        return new GenericNack(buf.getUnsignedInt(offset + 4), buf.getUnsignedInt(offset + 8), entries);
    }

    @Override
    public int length() {
        return Rtcp.FEEDBACK_HEADER + ENTRY * entries.size();
    }

    @Override
    public int write(ByteBuf dst) {
        int len = length();
        Rtcp.writeFeedbackHeader(dst, RtcpHeader.FMT_NACK, RtcpHeader.PT_RTPFB, len, senderSsrc, mediaSsrc);
        for (Entry e : entries) {
            dst.writeShort(e.pid());
            dst.writeShort(e.blp());
        }
        return len;
    }
}
