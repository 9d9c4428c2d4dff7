package dev.prism.rtp.rtcp;

import dev.prism.rtp.packet.SeqNum;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Transport-wide congestion control feedback, RTPFB FMT 15 (draft-holmer-rmcat-transport-wide-cc-extensions-01,
 * section 3.1): for a range of transport-wide sequence numbers, whether each packet arrived and when.
 *
 * <pre>
 * |V=2|P|  FMT=15 |    PT=205     |           length              |
 * |                     SSRC of packet sender                     |
 * |                      SSRC of media source                     |
 * |      base sequence number     |      packet status count      |
 * |                 reference time                | fb pkt. count |
 * |          packet chunk         |         packet chunk          |  ...
 * |         recv delta (1 or 2 bytes each, received packets only) |  ...  padding
 * </pre>
 *
 * Packet chunks (16 bits) describe the status symbol of consecutive packets:
 * <ul>
 *   <li>run length: {@code 0 | S(2) | run(13)}: {@code run} packets with symbol S;</li>
 *   <li>status vector, 1 bit: {@code 1 | 0 | 14 x symbol(1)}: 0 not received, 1 small delta;</li>
 *   <li>status vector, 2 bits: {@code 1 | 1 | 7 x symbol(2)}.</li>
 * </ul>
 * Symbols: 0 not received, 1 received with a small delta (1 unsigned byte), 2 received with a large or negative delta
 * (2 signed bytes), 3 reserved (malformed). Deltas are in 250 µs ticks, each relative to the previous received packet,
 * the first relative to the reference time (signed 24 bits, 64 ms units).
 *
 * <p>Parsing keeps the chunks as received, so {@link #write} reproduces the input bytes; it pads like libwebrtc (P bit,
 * zero bytes, the count in the last byte). Packets built by {@link Builder} get chunks from this class's own encoder.
 * Feedback without receive deltas (allowed by libwebrtc, unused by browsers) is treated as malformed.
 */
public final class TransportCcFeedback implements RtcpMessage {
    public static final int NOT_RECEIVED = 0;
    public static final int SMALL_DELTA = 1;
    public static final int LARGE_DELTA = 2;
    /** Unit of receive deltas. */
    public static final int DELTA_TICK_MICROS = 250;
    /** Unit of the reference time. */
    public static final int REFERENCE_TICK_MICROS = 64_000;
    /** {@link #arrivalTimeMicros} of a packet that was not received. */
    public static final long NO_ARRIVAL = Long.MIN_VALUE;
    public static final int MAX_STATUS_COUNT = 0xFFFF;

    private static final int FIXED = Rtcp.FEEDBACK_HEADER + 8;
    private static final int MAX_RUN = (1 << 13) - 1;

    private final long senderSsrc;
    private final long mediaSsrc;
    private final int baseSeq;
    private final int referenceTime;
    private final int feedbackPacketCount;
    private final byte[] statuses;
    private final int[] deltas;
    private final int[] chunks;
    private final long[] arrivals;

    private TransportCcFeedback(long senderSsrc, long mediaSsrc, int baseSeq, int referenceTime,
                                int feedbackPacketCount, byte[] statuses, int[] deltas, int[] chunks) {
        this.senderSsrc = senderSsrc;
        this.mediaSsrc = mediaSsrc;
        this.baseSeq = baseSeq;
        this.referenceTime = referenceTime;
        this.feedbackPacketCount = feedbackPacketCount;
        this.statuses = statuses;
        this.deltas = deltas;
        this.chunks = chunks;
        this.arrivals = new long[statuses.length];
        long t = (long) referenceTime * REFERENCE_TICK_MICROS;
        for (int i = 0; i < statuses.length; i++) {
            if (statuses[i] == NOT_RECEIVED) {
                arrivals[i] = NO_ARRIVAL;
            } else {
                t += (long) deltas[i] * DELTA_TICK_MICROS;
                arrivals[i] = t;
            }
        }
    }

    public static TransportCcFeedback parse(ByteBuf buf) {
        return parse(buf, buf.readerIndex(), buf.readableBytes());
    }

    /**
     * The feedback at {@code offset} with at most {@code length} bytes available; null when malformed (zero status
     * count, chunks or deltas cut short, a reserved symbol) or not RTPFB/15.
     */
    public static TransportCcFeedback parse(ByteBuf buf, int offset, int length) {
        int end = Rtcp.feedbackEnd(buf, offset, length, RtcpHeader.PT_RTPFB, RtcpHeader.FMT_TCC);
        if (end < 0 || end - offset < FIXED) {
            return null;
        }
        int base = buf.getUnsignedShort(offset + 12);
        int count = buf.getUnsignedShort(offset + 14);
        int reference = buf.getMedium(offset + 16); // signed 24 bits
        int fbCount = buf.getUnsignedByte(offset + 19);
        if (count == 0) {
            return null;
        }
        byte[] statuses = new byte[count];
        // Sized by what fits in the packet, not by the count: zero-length runs are legal and cover nothing.
        int[] chunks = new int[(end - offset - FIXED) / 2];
        int chunkCount = 0;
        int filled = 0;
        int pos = offset + FIXED;
        while (filled < count) {
            if (pos + 2 > end) {
                return null;
            }
            int chunk = buf.getUnsignedShort(pos);
            pos += 2;
            chunks[chunkCount++] = chunk;
            if ((chunk & 0x8000) == 0) {
                int symbol = chunk >>> 13 & 3;
                int run = Math.min(chunk & MAX_RUN, count - filled);
                if (symbol == 3 && run > 0) {
                    return null;
                }
                Arrays.fill(statuses, filled, filled + run, (byte) symbol);
                filled += run;
            } else if ((chunk & 0x4000) == 0) {
                for (int k = 13; k >= 0 && filled < count; k--) {
                    statuses[filled++] = (byte) (chunk >>> k & 1);
                }
            } else {
                for (int k = 12; k >= 0 && filled < count; k -= 2) {
                    int symbol = chunk >>> k & 3;
                    if (symbol == 3) {
                        return null;
                    }
                    statuses[filled++] = (byte) symbol;
                }
            }
        }
        int[] deltas = new int[count];
        for (int i = 0; i < count; i++) {
            if (statuses[i] == SMALL_DELTA) {
                if (pos + 1 > end) {
                    return null;
                }
                deltas[i] = buf.getUnsignedByte(pos);
                pos += 1;
            } else if (statuses[i] == LARGE_DELTA) {
                if (pos + 2 > end) {
                    return null;
                }
                deltas[i] = buf.getShort(pos);
                pos += 2;
            }
        }
        // Up to 3 bytes of zero padding without the P bit are tolerated; more is something we do not understand.
        if (end - pos > 3) {
            return null;
        }
        return new TransportCcFeedback(buf.getUnsignedInt(offset + 4), buf.getUnsignedInt(offset + 8), base, reference,
                fbCount, statuses, deltas, Arrays.copyOf(chunks, chunkCount));
    }

    public long senderSsrc() {
        return senderSsrc;
    }

    public long mediaSsrc() {
        return mediaSsrc;
    }

    public int baseSequenceNumber() {
        return baseSeq;
    }

    /** Number of packets described, from the base sequence number on. */
    public int packetStatusCount() {
        return statuses.length;
    }

    /** Reference time in 64 ms units, signed 24 bits. */
    public int referenceTime() {
        return referenceTime;
    }

    public long referenceTimeMicros() {
        return (long) referenceTime * REFERENCE_TICK_MICROS;
    }

    /** Counts feedback packets (modulo 256) so the media sender can detect lost feedback. */
    public int feedbackPacketCount() {
        return feedbackPacketCount;
    }

    /** Transport-wide sequence number of the {@code i}-th packet described. */
    public int sequenceNumber(int i) {
        checkIndex(i);
        return SeqNum.add(baseSeq, i);
    }

    /** {@link #NOT_RECEIVED}, {@link #SMALL_DELTA} or {@link #LARGE_DELTA}. */
    public int status(int i) {
        checkIndex(i);
        return statuses[i];
    }

    public boolean received(int i) {
        return status(i) != NOT_RECEIVED;
    }

    /** Receive delta of the {@code i}-th packet in 250 µs ticks (0 when not received). */
    public int delta(int i) {
        checkIndex(i);
        return deltas[i];
    }

    /**
     * Arrival time of the {@code i}-th packet in µs on the feedback sender's clock (reference time plus the deltas so
     * far), or {@link #NO_ARRIVAL}. Only differences between feedback packets of one sender are meaningful.
     */
    public long arrivalTimeMicros(int i) {
        checkIndex(i);
        return arrivals[i];
    }

    public int receivedCount() {
        int n = 0;
        for (byte s : statuses) {
            if (s != NOT_RECEIVED) {
                n++;
            }
        }
        return n;
    }

    /** The encoded packet chunks (for diagnostics and tests). */
    public int chunkCount() {
        return chunks.length;
    }

    public int chunk(int i) {
        return chunks[i];
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= statuses.length) {
            throw new IndexOutOfBoundsException("packet " + i + " of " + statuses.length);
        }
    }

    private int unpaddedLength() {
        int len = FIXED + 2 * chunks.length;
        for (byte s : statuses) {
            len += s; // the symbol is also the delta size in bytes
        }
        return len;
    }

    @Override
    public int length() {
        return (unpaddedLength() + 3) & ~3;
    }

    @Override
    public int write(ByteBuf dst) {
        int raw = unpaddedLength();
        int len = (raw + 3) & ~3;
        int pad = len - raw;
        RtcpHeader.write(dst, pad > 0, RtcpHeader.FMT_TCC, RtcpHeader.PT_RTPFB, len);
        dst.writeInt((int) senderSsrc);
        dst.writeInt((int) mediaSsrc);
        dst.writeShort(baseSeq);
        dst.writeShort(statuses.length);
        dst.writeMedium(referenceTime);
        dst.writeByte(feedbackPacketCount);
        for (int c : chunks) {
            dst.writeShort(c);
        }
        for (int i = 0; i < statuses.length; i++) {
            if (statuses[i] == SMALL_DELTA) {
                dst.writeByte(deltas[i]);
            } else if (statuses[i] == LARGE_DELTA) {
                dst.writeShort(deltas[i]);
            }
        }
        if (pad > 0) {
            dst.writeZero(pad - 1);
            dst.writeByte(pad);
        }
        return len;
    }

    /** Packet chunks for the status symbols, see the class comment for the rules this encoder follows. */
    static int[] encodeChunks(byte[] statuses, int count) {
        int[] out = new int[count];
        int n = 0;
        int i = 0;
        while (i < count) {
            int symbol = statuses[i];
            int run = 1;
            while (i + run < count && statuses[i + run] == symbol && run < MAX_RUN) {
                run++;
            }
            int remaining = count - i;
            if (run >= 14 || run == remaining) {
                // A long run, or everything left is one symbol: one run-length chunk.
                out[n++] = symbol << 13 | run;
                i += run;
            } else if (fitsOneBit(statuses, i, Math.min(14, remaining))) {
                int take = Math.min(14, remaining);
                int chunk = 0x8000;
                for (int k = 0; k < take; k++) {
                    chunk |= statuses[i + k] << (13 - k);
                }
                out[n++] = chunk;
                i += take;
            } else if (run >= 7) {
                out[n++] = symbol << 13 | run;
                i += run;
            } else {
                int take = Math.min(7, remaining);
                int chunk = 0xC000;
                for (int k = 0; k < take; k++) {
                    chunk |= statuses[i + k] << (12 - 2 * k);
                }
                out[n++] = chunk;
                i += take;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static boolean fitsOneBit(byte[] statuses, int from, int n) {
        for (int k = 0; k < n; k++) {
            if (statuses[from + k] > SMALL_DELTA) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransportCcFeedback f && senderSsrc == f.senderSsrc && mediaSsrc == f.mediaSsrc
                && baseSeq == f.baseSeq && referenceTime == f.referenceTime
                && feedbackPacketCount == f.feedbackPacketCount && Arrays.equals(statuses, f.statuses)
                && Arrays.equals(deltas, f.deltas) && Arrays.equals(chunks, f.chunks);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(mediaSsrc) + baseSeq) + Arrays.hashCode(deltas);
    }

    @Override
    public String toString() {
        return "TransportCcFeedback[sender=" + senderSsrc + " media=" + mediaSsrc + " base=" + baseSeq + " count="
                + statuses.length + " received=" + receivedCount() + " ref=" + referenceTime + " fb=" + feedbackPacketCount
                + "]";
    }

    /**
     * Builds feedback from packet arrivals, as the receiving side of transport-cc does every ~50-100 ms. Add packets in
     * increasing transport-wide sequence number order; missing numbers in between are reported as not received.
     * Reusable through {@link #reset}. Not thread-safe.
     */
    public static final class Builder {
        private final long senderSsrc;
        private final long mediaSsrc;
        private int feedbackPacketCount;
        private byte[] statuses = new byte[64];
        private int[] deltas = new int[64];
        private int count;
        private int baseSeq;
        private int lastSeq;
        private long referenceUnits;
        private long lastTicks;

        /** @param feedbackPacketCount this feedback's number, incremented by the caller per feedback sent (mod 256) */
        public Builder(long senderSsrc, long mediaSsrc, int feedbackPacketCount) {
            Rtcp.checkU32("senderSsrc", senderSsrc);
            Rtcp.checkU32("mediaSsrc", mediaSsrc);
            this.senderSsrc = senderSsrc;
            this.mediaSsrc = mediaSsrc;
            this.feedbackPacketCount = feedbackPacketCount & 0xFF;
        }

        /** Forgets the packets added so far, to build the next feedback. */
        public Builder reset(int feedbackPacketCount) {
            this.feedbackPacketCount = feedbackPacketCount & 0xFF;
            count = 0;
            return this;
        }

        /**
         * Adds a received packet.
         *
         * @param seq transport-wide sequence number, newer than the previous one added
         * @param arrivalTimeMicros arrival time on the local monotonic clock (any epoch; the reference time keeps it
         *     modulo 2^24 x 64 ms)
         * @return false, adding nothing, when the packet does not fit this feedback: not newer than the previous one,
         *     more than 65535 packets in total, or an arrival delta beyond ±8.19 s. Send what was built and start
         *     a new feedback with it.
         */
        public boolean add(int seq, long arrivalTimeMicros) {
            seq &= SeqNum.MASK;
            long ticks = Math.floorDiv(arrivalTimeMicros, DELTA_TICK_MICROS);
            int gap = 1;
            long fromTicks;
            if (count == 0) {
                long units = Math.floorDiv(arrivalTimeMicros, REFERENCE_TICK_MICROS);
                fromTicks = units * (REFERENCE_TICK_MICROS / DELTA_TICK_MICROS);
                referenceUnits = units;
                baseSeq = seq;
            } else {
                gap = SeqNum.diff(seq, lastSeq);
                if (gap <= 0 || count + gap > MAX_STATUS_COUNT) {
                    return false;
                }
                fromTicks = lastTicks;
            }
            long delta = ticks - fromTicks;
            if (delta < Short.MIN_VALUE || delta > Short.MAX_VALUE) {
                return false;
            }
            ensureCapacity(count + gap);
            Arrays.fill(statuses, count, count + gap - 1, (byte) NOT_RECEIVED);
            Arrays.fill(deltas, count, count + gap - 1, 0);
            count += gap - 1;
            statuses[count] = (byte) (delta >= 0 && delta <= 255 ? SMALL_DELTA : LARGE_DELTA);
            deltas[count] = (int) delta;
            count++;
            lastSeq = seq;
            lastTicks = ticks;
            return true;
        }

        public boolean isEmpty() {
            return count == 0;
        }

        /** Packets described so far, received or not. */
        public int packetStatusCount() {
            return count;
        }

        /** The feedback for the packets added so far. */
        public TransportCcFeedback build() {
            if (count == 0) {
                throw new IllegalStateException("no packets added");
            }
            int reference = (int) (referenceUnits << 40 >> 40); // 24-bit signed, as on the wire
            byte[] s = Arrays.copyOf(statuses, count);
            return new TransportCcFeedback(senderSsrc, mediaSsrc, baseSeq, reference, feedbackPacketCount, s,
                    Arrays.copyOf(deltas, count), encodeChunks(s, count));
        }

        private void ensureCapacity(int n) {
            if (n > statuses.length) {
                int cap = Math.max(n, statuses.length * 2);
                statuses = Arrays.copyOf(statuses, cap);
                deltas = Arrays.copyOf(deltas, cap);
            }
        }
    }
}
