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
 *
 * <p>Two ways to read: {@link #parse} returns a new instance (tests, tools, the generic compound parser); a
 * {@link #reusable()} instance is re-read in place by {@link #readFrom} into arrays it keeps and grows, so that the
 * feedback every subscriber sends ten times a second costs no allocation. A re-read instance is only valid until its
 * next read: whoever it is handed to borrows it for the call and must not keep it. Not thread-safe.
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

    private long senderSsrc;
    private long mediaSsrc;
    private int baseSeq;
    private int referenceTime;
    private int feedbackPacketCount;
    /** Packets described; the arrays below may be longer (a reusable instance keeps its capacity). */
    private int count;
    private int chunkCount;
    private byte[] statuses;
    private int[] deltas;
    private int[] chunks;
    private long[] arrivals;

    private TransportCcFeedback(long senderSsrc, long mediaSsrc, int baseSeq, int referenceTime,
                                int feedbackPacketCount, byte[] statuses, int[] deltas, int[] chunks) {
        this.senderSsrc = senderSsrc;
        this.mediaSsrc = mediaSsrc;
        this.baseSeq = baseSeq;
        this.referenceTime = referenceTime;
        this.feedbackPacketCount = feedbackPacketCount;
        this.count = statuses.length;
        this.chunkCount = chunks.length;
        this.statuses = statuses;
        this.deltas = deltas;
        this.chunks = chunks;
        this.arrivals = new long[count];
        computeArrivals();
    }

    /** An empty instance for {@link #readFrom}: describes no packets until a read succeeds. */
    private TransportCcFeedback(int capacity) {
        this.statuses = new byte[capacity];
        this.deltas = new int[capacity];
        this.chunks = new int[capacity];
        this.arrivals = new long[capacity];
    }

    /** An instance to {@link #readFrom} again and again (one per reader: not thread-safe). */
    public static TransportCcFeedback reusable() {
        return new TransportCcFeedback(128);
    }

    public static TransportCcFeedback parse(ByteBuf buf) {
        return parse(buf, buf.readerIndex(), buf.readableBytes());
    }

    /**
     * The feedback at {@code offset} with at most {@code length} bytes available, as a new instance; null when
     * malformed (zero status count, chunks or deltas cut short, a reserved symbol) or not RTPFB/15.
     */
    public static TransportCcFeedback parse(ByteBuf buf, int offset, int length) {
        TransportCcFeedback f = new TransportCcFeedback(0);
        return f.readFrom(buf, offset, length) ? f : null;
    }

    /**
     * Reads the feedback at {@code offset} into this instance, reusing its arrays (growing them when a message is
     * larger than any before). False, with this instance describing no packets, when the bytes are malformed as for
     * {@link #parse}. Nothing is allocated once the arrays are large enough.
     */
    public boolean readFrom(ByteBuf buf, int offset, int length) {
        count = 0;
        chunkCount = 0;
        int end = Rtcp.feedbackEnd(buf, offset, length, RtcpHeader.PT_RTPFB, RtcpHeader.FMT_TCC);
        if (end < 0 || end - offset < FIXED) {
            return false;
        }
        int base = buf.getUnsignedShort(offset + 12);
        int n = buf.getUnsignedShort(offset + 14);
        if (n == 0) {
            return false;
        }
        // Chunks are sized by what fits in the packet, not by the count: zero-length runs are legal and cover nothing.
        ensureCapacity(n, (end - offset - FIXED) / 2);
        if (!decode(buf, offset + FIXED, end, n)) {
            chunkCount = 0;
            return false;
        }
        senderSsrc = buf.getUnsignedInt(offset + 4);
        mediaSsrc = buf.getUnsignedInt(offset + 8);
        baseSeq = base;
        referenceTime = buf.getMedium(offset + 16); // signed 24 bits
        feedbackPacketCount = buf.getUnsignedByte(offset + 19);
        count = n;
        computeArrivals();
        return true;
    }

    private void ensureCapacity(int packets, int chunkSlots) {
        if (statuses.length < packets) {
            int cap = Math.max(packets, statuses.length * 2);
            statuses = new byte[cap];
            deltas = new int[cap];
            arrivals = new long[cap];
        }
        if (chunks.length < chunkSlots) {
            chunks = new int[Math.max(chunkSlots, chunks.length * 2)];
        }
    }

    private void computeArrivals() {
        long t = (long) referenceTime * REFERENCE_TICK_MICROS;
        for (int i = 0; i < count; i++) {
            if (statuses[i] == NOT_RECEIVED) {
                arrivals[i] = NO_ARRIVAL;
            } else {
                t += (long) deltas[i] * DELTA_TICK_MICROS;
                arrivals[i] = t;
            }
        }
    }

    /** Chunks and receive deltas of {@code packets} packets from {@code pos} to {@code end}; false when malformed. */
    private boolean decode(ByteBuf buf, int pos, int end, int packets) {
        int filled = 0;
        while (filled < packets) {
            if (pos + 2 > end) {
                return false;
            }
            int chunk = buf.getUnsignedShort(pos);
            pos += 2;
            chunks[chunkCount++] = chunk;
            if ((chunk & 0x8000) == 0) {
                int symbol = chunk >>> 13 & 3;
                int run = Math.min(chunk & MAX_RUN, packets - filled);
                if (symbol == 3 && run > 0) {
                    return false;
                }
                Arrays.fill(statuses, filled, filled + run, (byte) symbol);
                filled += run;
            } else if ((chunk & 0x4000) == 0) {
                for (int k = 13; k >= 0 && filled < packets; k--) {
                    statuses[filled++] = (byte) (chunk >>> k & 1);
                }
            } else {
                for (int k = 12; k >= 0 && filled < packets; k -= 2) {
                    int symbol = chunk >>> k & 3;
                    if (symbol == 3) {
                        return false;
                    }
                    statuses[filled++] = (byte) symbol;
                }
            }
        }
        for (int i = 0; i < packets; i++) {
            deltas[i] = 0;
            if (statuses[i] == SMALL_DELTA) {
                if (pos + 1 > end) {
                    return false;
                }
                deltas[i] = buf.getUnsignedByte(pos);
                pos += 1;
            } else if (statuses[i] == LARGE_DELTA) {
                if (pos + 2 > end) {
                    return false;
                }
                deltas[i] = buf.getShort(pos);
                pos += 2;
            }
        }
        // Up to 3 bytes of zero padding without the P bit are tolerated; more is something we do not understand.
        return end - pos <= 3;
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
        return count;
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
        for (int i = 0; i < count; i++) {
            if (statuses[i] != NOT_RECEIVED) {
                n++;
            }
        }
        return n;
    }

    /** The encoded packet chunks (for diagnostics and tests). */
    public int chunkCount() {
        return chunkCount;
    }

    public int chunk(int i) {
        if (i < 0 || i >= chunkCount) {
            throw new IndexOutOfBoundsException("chunk " + i + " of " + chunkCount);
        }
        return chunks[i];
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("packet " + i + " of " + count);
        }
    }

    private int unpaddedLength() {
        return unpaddedLength(statuses, count, chunkCount);
    }

    private static int unpaddedLength(byte[] statuses, int count, int chunkCount) {
        int len = FIXED + 2 * chunkCount;
        for (int i = 0; i < count; i++) {
            len += statuses[i]; // the symbol is also the delta size in bytes
        }
        return len;
    }

    @Override
    public int length() {
        return (unpaddedLength() + 3) & ~3;
    }

    @Override
    public int write(ByteBuf dst) {
        return write(dst, senderSsrc, mediaSsrc, baseSeq, referenceTime, feedbackPacketCount, statuses, deltas, count,
                chunks, chunkCount);
    }

    /** Writes one feedback message from its fields (shared by instances and {@link Builder#write}); its length. */
    private static int write(ByteBuf dst, long senderSsrc, long mediaSsrc, int baseSeq, int referenceTime,
                             int feedbackPacketCount, byte[] statuses, int[] deltas, int count, int[] chunks,
                             int chunkCount) {
        int raw = unpaddedLength(statuses, count, chunkCount);
        int len = (raw + 3) & ~3;
        int pad = len - raw;
        RtcpHeader.write(dst, pad > 0, RtcpHeader.FMT_TCC, RtcpHeader.PT_RTPFB, len);
        dst.writeInt((int) senderSsrc);
        dst.writeInt((int) mediaSsrc);
        dst.writeShort(baseSeq);
        dst.writeShort(count);
        dst.writeMedium(referenceTime);
        dst.writeByte(feedbackPacketCount);
        for (int i = 0; i < chunkCount; i++) {
            dst.writeShort(chunks[i]);
        }
        for (int i = 0; i < count; i++) {
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
        return Arrays.copyOf(out, encodeChunks(statuses, count, out));
    }

    /** As {@link #encodeChunks(byte[], int)} into {@code out} (at least {@code count} long); the chunks written. */
    static int encodeChunks(byte[] statuses, int count, int[] out) {
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
        return n;
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
                && feedbackPacketCount == f.feedbackPacketCount
                && Arrays.equals(statuses, 0, count, f.statuses, 0, f.count)
                && Arrays.equals(deltas, 0, count, f.deltas, 0, f.count)
                && Arrays.equals(chunks, 0, chunkCount, f.chunks, 0, f.chunkCount);
    }

    @Override
    public int hashCode() {
        int h = 31 * Long.hashCode(mediaSsrc) + baseSeq;
        for (int i = 0; i < count; i++) {
            h = 31 * h + deltas[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return "TransportCcFeedback[sender=" + senderSsrc + " media=" + mediaSsrc + " base=" + baseSeq + " count="
                + count + " received=" + receivedCount() + " ref=" + referenceTime + " fb=" + feedbackPacketCount
                + "]";
    }

    /**
     * Builds feedback from packet arrivals, as the receiving side of transport-cc does every ~50-100 ms. Add packets in
     * increasing transport-wide sequence number order; missing numbers in between are reported as not received.
     * Reusable through {@link #reset}: {@link #length} and {@link #write} put the message on the wire from the
     * builder's own arrays, so a builder kept by its owner builds feedback again and again without allocating (once
     * its arrays have grown to the largest feedback). Not thread-safe.
     */
    public static final class Builder {
        private final long senderSsrc;
        private long mediaSsrc;
        private int feedbackPacketCount;
        private byte[] statuses = new byte[64];
        private int[] deltas = new int[64];
        private int[] chunks = new int[64];
        /** Chunks encoded for the packets added so far, or -1 when packets were added since. */
        private int chunkCount = -1;
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
            chunkCount = -1;
            return this;
        }

        /** As {@link #reset(int)}, for feedback about another media source. */
        public Builder reset(long mediaSsrc, int feedbackPacketCount) {
            Rtcp.checkU32("mediaSsrc", mediaSsrc);
            this.mediaSsrc = mediaSsrc;
            return reset(feedbackPacketCount);
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
            chunkCount = -1;
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
            byte[] s = Arrays.copyOf(statuses, count);
            return new TransportCcFeedback(senderSsrc, mediaSsrc, baseSeq, reference(), feedbackPacketCount, s,
                    Arrays.copyOf(deltas, count), encodeChunks(s, count));
        }

        /** Bytes {@link #write} puts out (what {@link #build()}{@code .length()} would return); no allocation. */
        public int length() {
            return (unpaddedLength(statuses, count, encodedChunks()) + 3) & ~3;
        }

        /**
         * Writes the feedback for the packets added so far, the same bytes as {@link #build()}{@code .write(dst)},
         * without building an instance; allocates nothing once the builder's arrays are large enough.
         *
         * @return the bytes written
         */
        public int write(ByteBuf dst) {
            if (count == 0) {
                throw new IllegalStateException("no packets added");
            }
            return TransportCcFeedback.write(dst, senderSsrc, mediaSsrc, baseSeq, reference(), feedbackPacketCount,
                    statuses, deltas, count, chunks, encodedChunks());
        }

        private int reference() {
            return (int) (referenceUnits << 40 >> 40); // 24-bit signed, as on the wire
        }

        private int encodedChunks() {
            if (chunkCount < 0) {
                if (chunks.length < count) {
                    chunks = new int[Math.max(count, chunks.length * 2)];
                }
                chunkCount = encodeChunks(statuses, count, chunks);
            }
            return chunkCount;
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
