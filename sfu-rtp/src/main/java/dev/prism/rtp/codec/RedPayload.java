package dev.prism.rtp.codec;

import io.netty.buffer.ByteBuf;

/**
 * A reusable view of an RTP payload in the RED format of RFC 2198 (redundant audio data), as Chromium sends Opus RED:
 * block headers, then the blocks' data in the same order, the primary (newest) block last.
 *
 * <pre>
 *  redundant block header (F = 1), 4 bytes:   primary block header (F = 0), 1 byte:
 *  |1| block PT (7) | timestamp offset (14) | block length (10) |        |0| block PT (7) |
 *
 *  payload = header 1 .. header n (F = 1), primary header (F = 0), data 1 .. data n, primary data (the rest)
 * </pre>
 *
 * A redundant block's timestamp is the packet's minus its offset; the primary block has the packet's timestamp and
 * takes whatever the redundant blocks leave. {@link #wrap} checks that the headers end with an F = 0 header and that
 * the redundant lengths fit; the primary block may be empty.
 *
 * <p><b>Hot path.</b> One instance per user, re-pointed with {@link #wrap} for each packet; no method allocates.
 * Offsets are absolute indices in the wrapped buffer. <b>Ownership.</b> The view borrows the buffer: it never
 * retains, releases or moves its indices, and is valid only while the caller holds it. Not thread-safe.
 */
public final class RedPayload {
    /** Size of a redundant block's header. */
    public static final int REDUNDANT_HEADER_LENGTH = 4;

    private ByteBuf buf;
    private int offset;
    private int redundantBlocks;
    private int primaryPayloadType;
    private int primaryOffset;
    private int primaryLength;

    public RedPayload() {
        clear();
    }

    /**
     * Points this view at a RED payload of {@code length} bytes at {@code offset} of {@code buf}.
     *
     * @return true when the headers and redundant lengths are well formed; false (the view cleared) otherwise: an
     *     empty payload, a header cut short, no F = 0 header, or redundant blocks longer than the payload
     */
    public boolean wrap(ByteBuf buf, int offset, int length) {
        clear();
        if (length < 1) {
            return false;
        }
        int end = offset + length;
        int p = offset;
        int blocks = 0;
        long dataLength = 0;
        while (true) {
            if (p >= end) {
                return false; // no F = 0 header
            }
            int b = buf.getUnsignedByte(p);
            if ((b & 0x80) == 0) {
                p++;
                break;
            }
            if (end - p < REDUNDANT_HEADER_LENGTH) {
                return false;
            }
            dataLength += buf.getUnsignedShort(p + 2) & 0x3FF;
            blocks++;
            p += REDUNDANT_HEADER_LENGTH;
        }
        if (dataLength > end - p) {
            return false;
        }
        this.buf = buf;
        this.offset = offset;
        this.redundantBlocks = blocks;
        this.primaryPayloadType = buf.getUnsignedByte(p - 1) & 0x7F;
        this.primaryOffset = p + (int) dataLength;
        this.primaryLength = end - primaryOffset;
        return true;
    }

    /** Forgets the wrapped buffer; accessors must not be called until the next successful {@link #wrap}. */
    public void clear() {
        buf = null;
        offset = -1;
        redundantBlocks = 0;
        primaryPayloadType = -1;
        primaryOffset = -1;
        primaryLength = 0;
    }

    /** Redundant (older) blocks before the primary one, 0 when the packet carries the primary alone. */
    public int redundantBlocks() {
        return redundantBlocks;
    }

    /** Bytes of block headers: 4 per redundant block, 1 for the primary. */
    public int headerLength() {
        return redundantBlocks * REDUNDANT_HEADER_LENGTH + 1;
    }

    /** The primary block's payload type (the codec of the newest frame, Opus for Chromium). */
    public int primaryPayloadType() {
        return primaryPayloadType;
    }

    /** Absolute index of the primary block's data. */
    public int primaryOffset() {
        return primaryOffset;
    }

    /** Length of the primary block's data, possibly 0. */
    public int primaryLength() {
        return primaryLength;
    }

    /** Payload type of redundant block {@code i} (0 = the oldest, first header). */
    public int redundantPayloadType(int i) {
        return buf.getUnsignedByte(header(i)) & 0x7F;
    }

    /** Timestamp offset of redundant block {@code i}: its timestamp is the packet's minus this, in clock ticks. */
    public int redundantTimestampOffset(int i) {
        return buf.getUnsignedShort(header(i) + 1) >>> 2;
    }

    /** Data length of redundant block {@code i}. */
    public int redundantLength(int i) {
        return buf.getUnsignedShort(header(i) + 2) & 0x3FF;
    }

    /** Absolute index of redundant block {@code i}'s data. */
    public int redundantOffset(int i) {
        int at = offset + headerLength();
        for (int k = 0; k < i; k++) {
            at += redundantLength(k);
        }
        return at;
    }

    private int header(int i) {
        if (i < 0 || i >= redundantBlocks) {
            throw new IndexOutOfBoundsException("redundant block " + i + " of " + redundantBlocks);
        }
        return offset + i * REDUNDANT_HEADER_LENGTH;
    }

    /**
     * Rewrites in place, in the RED payload at {@code offset} of {@code dst} that {@link #wrap} accepted, the payload
     * type of every block header that says {@code from} to {@code to} (the F bit kept): a subscriber receives the
     * blocks under its own Opus payload type. {@code dst} is written, never retained.
     */
    public static void rewriteBlockPayloadTypes(ByteBuf dst, int offset, int from, int to) {
        int p = offset;
        while (true) {
            int b = dst.getUnsignedByte(p);
            if ((b & 0x7F) == from) {
                dst.setByte(p, (b & 0x80) | (to & 0x7F));
            }
            if ((b & 0x80) == 0) {
                return;
            }
            p += REDUNDANT_HEADER_LENGTH;
        }
    }
}
