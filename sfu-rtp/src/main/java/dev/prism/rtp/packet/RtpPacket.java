package dev.prism.rtp.packet;

import io.netty.buffer.ByteBuf;

/**
 * A reusable, mutable view of one RTP packet (RFC 3550) in a {@link ByteBuf}, with RFC 8285 header extensions.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * |                           timestamp                           |
 * |                             SSRC                              |
 * |                     CSRC list (CC x 32 bits)                  |
 * |  profile (0xBEDE or 0x100x)   |   extension length in words   |   only when X
 * |                 extension elements, zero padded               |
 * |             payload ...               | padding ... | pad count |  pad only when P
 * </pre>
 *
 * <p><b>Hot path.</b> One instance is kept per pipeline stage and re-pointed with {@link #wrap} for each packet; no
 * method allocates. Offsets returned by this class are absolute indices in the wrapped buffer.
 *
 * <p><b>Ownership.</b> The view borrows the buffer: it never retains, releases or moves its indices. It is valid only
 * while the caller holds the buffer (see the package documentation). After a failed {@code wrap} or {@link #clear()},
 * accessors must not be called.
 *
 * <p><b>Header extension elements.</b> They are parsed lazily by {@link #findExtension} and {@link #copyRewritten}.
 * Padding bytes (id 0) between elements are skipped. In the one-byte form, id 15 ends the block (RFC 8285 section
 * 4.2). An element whose length runs past the end of the block ends the walk: the elements before it are still
 * usable. Blocks with any profile other than one-byte (0xBEDE) or two-byte (0x1000-0x100F) are opaque.
 *
 * <p>Not thread-safe; one owner thread (the room's event loop).
 */
public final class RtpPacket {
    /** Size of the fixed header. */
    public static final int FIXED_HEADER_LENGTH = 12;
    /** RFC 8285 one-byte header extension profile. */
    public static final int PROFILE_ONE_BYTE = 0xBEDE;
    /** RFC 8285 two-byte header extension profile; the low four bits ("appbits") are free for the application. */
    public static final int PROFILE_TWO_BYTE = 0x1000;
    /**
     * Largest buffer index a view can address, so that {@link #findExtension} can pack an absolute offset and a length
     * in one non-negative int. Datagrams live in buffers far smaller than this.
     */
    public static final int MAX_INDEX = (1 << 23) - 1;

    private static final int VERSION = 2;

    private ByteBuf buf;
    private int offset;
    private int length;
    /** Absolute index of the 4-byte extension header, or -1 when X is not set. */
    private int extHeaderOffset;
    /** Bytes of extension elements after the 4-byte extension header. */
    private int extDataLength;
    /** Where the latest {@link #copyRewritten} put its appended element's data in its destination; -1 for none. */
    private int appendedDataOffset = -1;
    private int payloadOffset;
    private int payloadLength;
    private int paddingLength;

    public RtpPacket() {
        clear();
    }

    /**
     * Points this view at the readable bytes of {@code buf}, {@code [readerIndex, writerIndex)}, after checking that
     * they form a well-framed RTP packet: at least 12 bytes, version 2, the CSRC list and the extension block (header
     * and declared length) inside the packet, and with P set a padding count between 1 and the bytes after the
     * headers. Extension elements are not validated here.
     *
     * @return true when the view is usable; false on malformed input, in which case the view is cleared. The buffer
     *     is never modified.
     */
    public boolean wrap(ByteBuf buf) {
        clear();
        int off = buf.readerIndex();
        int end = buf.writerIndex();
        int len = end - off;
        if (len < FIXED_HEADER_LENGTH || end > MAX_INDEX) {
            return false;
        }
        int b0 = buf.getUnsignedByte(off);
        if ((b0 >>> 6) != VERSION) {
            return false;
        }
        int pos = off + FIXED_HEADER_LENGTH + 4 * (b0 & 0x0F);
        if (pos > end) {
            return false;
        }
        int extHeader = -1;
        int extData = 0;
        if ((b0 & 0x10) != 0) {
            if (pos + 4 > end) {
                return false;
            }
            extHeader = pos;
            extData = 4 * buf.getUnsignedShort(pos + 2);
            pos += 4 + extData;
            if (pos > end) {
                return false;
            }
        }
        int padding = 0;
        if ((b0 & 0x20) != 0) {
            // The count includes itself (RFC 3550 section 5.1), so 0 is malformed; so is a count reaching into headers.
            padding = buf.getUnsignedByte(end - 1);
            if (padding == 0 || padding > end - pos) {
                return false;
            }
        }
        this.buf = buf;
        this.offset = off;
        this.length = len;
        this.extHeaderOffset = extHeader;
        this.extDataLength = extData;
        this.payloadOffset = pos;
        this.paddingLength = padding;
        this.payloadLength = end - pos - padding;
        return true;
    }

    /** Forgets the wrapped buffer (it is not released: the view never owned it). */
    public void clear() {
        buf = null;
        offset = 0;
        length = 0;
        extHeaderOffset = -1;
        extDataLength = 0;
        payloadOffset = 0;
        payloadLength = 0;
        paddingLength = 0;
    }

    /** True between a successful {@link #wrap} and the next {@link #clear()} or failed wrap. */
    public boolean isWrapped() {
        return buf != null;
    }

    /** The wrapped buffer, borrowed. */
    public ByteBuf buffer() {
        return buf;
    }

    /** Absolute index of the first header byte (the buffer's reader index at {@link #wrap}). */
    public int offset() {
        return offset;
    }

    /** Total packet length in bytes: headers, payload and padding. */
    public int length() {
        return length;
    }

    public int version() {
        return buf.getUnsignedByte(offset) >>> 6;
    }

    public boolean padding() {
        return (buf.getByte(offset) & 0x20) != 0;
    }

    public boolean marker() {
        return (buf.getByte(offset + 1) & 0x80) != 0;
    }

    public int payloadType() {
        return buf.getByte(offset + 1) & 0x7F;
    }

    public int sequenceNumber() {
        return buf.getUnsignedShort(offset + 2);
    }

    /** RTP timestamp, unsigned 32 bits. */
    public long timestamp() {
        return buf.getUnsignedInt(offset + 4);
    }

    /** SSRC, unsigned 32 bits. */
    public long ssrc() {
        return buf.getUnsignedInt(offset + 8);
    }

    public int csrcCount() {
        return buf.getByte(offset) & 0x0F;
    }

    /** The {@code i}-th contributing source, unsigned 32 bits; {@code 0 <= i < csrcCount()}. */
    public long csrc(int i) {
        if (i < 0 || i >= csrcCount()) {
            throw new IndexOutOfBoundsException("csrc " + i + " of " + csrcCount());
        }
        return buf.getUnsignedInt(offset + FIXED_HEADER_LENGTH + 4 * i);
    }

    /** Length of all headers: fixed header, CSRCs and extension block. */
    public int headerLength() {
        return payloadOffset - offset;
    }

    public boolean hasExtension() {
        return extHeaderOffset >= 0;
    }

    /**
     * The 16-bit "defined by profile" field of the extension block: {@link #PROFILE_ONE_BYTE},
     * {@code PROFILE_TWO_BYTE | appbits}, or something opaque; -1 when there is no extension block.
     */
    public int extensionProfile() {
        return extHeaderOffset < 0 ? -1 : buf.getUnsignedShort(extHeaderOffset);
    }

    /** Bytes of extension elements (including their padding) after the 4-byte extension header; 0 without X. */
    public int extensionDataLength() {
        return extDataLength;
    }

    /**
     * Looks up the header extension element with the given local id (1..14 in the one-byte form, 1..255 in the
     * two-byte form).
     *
     * @return {@code -1} when absent (or the block is missing or opaque), otherwise the element's data position packed
     *     as {@code absoluteOffset << 8 | length}; unpack with {@link #extensionOffset(int)} and
     *     {@link #extensionLength(int)}. The length is 1..16 in the one-byte form and 0..255 in the two-byte form.
     */
    public int findExtension(int id) {
        if (extHeaderOffset < 0 || id <= 0 || id > 255) {
            return -1;
        }
        int form = elementForm(buf.getUnsignedShort(extHeaderOffset));
        if (form == 0) {
            return -1;
        }
        int pos = extHeaderOffset + 4;
        int end = pos + extDataLength;
        while (true) {
            long e = nextElement(buf, pos, end, form);
            if (e < 0) {
                return -1;
            }
            int dataOffset = elementDataOffset(e);
            int len = elementLength(e);
            if (elementId(e) == id) {
                return dataOffset << 8 | len;
            }
            pos = dataOffset + len;
        }
    }

    /** Absolute data offset from a non-negative {@link #findExtension} result. */
    public static int extensionOffset(int found) {
        return found >>> 8;
    }

    /** Data length from a non-negative {@link #findExtension} result. */
    public static int extensionLength(int found) {
        return found & 0xFF;
    }

    /** Absolute index of the first payload byte. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** Payload bytes, without padding. */
    public int payloadLength() {
        return payloadLength;
    }

    /** Padding bytes at the end including the count byte; 0 when P is not set. */
    public int paddingLength() {
        return paddingLength;
    }

    /** Writes the SSRC in place (low 32 bits of {@code ssrc}). */
    public void setSsrc(long ssrc) {
        buf.setInt(offset + 8, (int) ssrc);
    }

    /** Writes the sequence number in place (low 16 bits). */
    public void setSequenceNumber(int seq) {
        buf.setShort(offset + 2, seq);
    }

    /** Writes the timestamp in place (low 32 bits). */
    public void setTimestamp(long timestamp) {
        buf.setInt(offset + 4, (int) timestamp);
    }

    /** Writes the payload type in place (low 7 bits), keeping the marker bit. */
    public void setPayloadType(int payloadType) {
        int b1 = buf.getByte(offset + 1);
        buf.setByte(offset + 1, (b1 & 0x80) | (payloadType & 0x7F));
    }

    /** Writes the marker bit in place. */
    public void setMarker(boolean marker) {
        int b1 = buf.getByte(offset + 1);
        buf.setByte(offset + 1, marker ? (b1 | 0x80) : (b1 & 0x7F));
    }

    /**
     * Copies this packet into {@code dst} from its writer index, with SSRC, sequence number, timestamp and payload
     * type replaced and header extension elements re-mapped; the marker bit, CSRCs, payload and padding are copied as
     * they are.
     *
     * <p>Extension mapping: an element with local id {@code in} is written as id {@code extIdMap[in] & 0xFF}; ids
     * outside the array and ids mapped to 0 are dropped, and a null map drops every element. The output uses the
     * one-byte form when every kept element has an output id of at most 14 and a length of 1..16, the two-byte form
     * ({@code 0x1000}, appbits 0) otherwise. When no element remains, the output has no extension block and X is clear.
     * An opaque extension block (neither RFC 8285 form) is dropped.
     *
     * <p>Zero allocation: {@code dst} is never grown (growing would reallocate). {@code dst} must not be the wrapped
     * buffer. Ownership of {@code dst} stays with the caller.
     *
     * @return bytes written (and the writer index of {@code dst} advanced by as much), or -1 when
     *     {@code dst.writableBytes()} is too small, in which case {@code dst} is unchanged.
     */
    public int copyRewritten(ByteBuf dst, long ssrc, int seq, long timestamp, int payloadType, byte[] extIdMap) {
        return copyRewritten(dst, ssrc, seq, timestamp, payloadType, extIdMap, 0, 0);
    }

    /**
     * As {@link #copyRewritten(ByteBuf, long, int, long, int, byte[])}, and adds one element of its own after the
     * mapped ones: id {@code appendId} with {@code appendLength} zero bytes of data, for the caller to fill in the copy
     * (a sender-side value such as the transport-wide sequence number, which a forwarder numbers itself). Map the
     * source's own element of that kind to 0 so it is not carried twice. {@code appendId} 0 adds nothing.
     *
     * {@link #appendedDataOffset()} then tells where that element's data is in {@code dst}, so the caller writes it
     * without looking for it.
     *
     * @param appendId     1..255, or 0 for none
     * @param appendLength 1..255 data bytes
     */
    public int copyRewritten(ByteBuf dst, long ssrc, int seq, long timestamp, int payloadType, byte[] extIdMap,
                             int appendId, int appendLength) {
        appendedDataOffset = -1;
        int form = extHeaderOffset < 0 ? 0 : elementForm(buf.getUnsignedShort(extHeaderOffset));
        int extStart = extHeaderOffset + 4;
        int extEnd = extStart + extDataLength;

        // Pass 1: size of the kept elements and whether the one-byte form can carry them.
        int kept = 0;
        int keptData = 0;
        boolean oneByte = true;
        if (form != 0 && extIdMap != null) {
            int pos = extStart;
            long e;
            while ((e = nextElement(buf, pos, extEnd, form)) >= 0) {
                int len = elementLength(e);
                int outId = mapId(extIdMap, elementId(e));
                if (outId != 0) {
                    kept++;
                    keptData += len;
                    if (outId > 14 || len < 1 || len > 16) {
                        oneByte = false;
                    }
                }
                pos = elementDataOffset(e) + len;
            }
        }
        if (appendId > 0) {
            kept++;
            keptData += appendLength;
            if (appendId > 14 || appendLength < 1 || appendLength > 16) {
                oneByte = false;
            }
        }
        int extBlock = 0;
        if (kept > 0) {
            int raw = keptData + kept * (oneByte ? 1 : 2);
            extBlock = 4 + ((raw + 3) & ~3);
        }
        int csrcBytes = 4 * csrcCount();
        int tail = payloadLength + paddingLength;
        int total = FIXED_HEADER_LENGTH + csrcBytes + extBlock + tail;
        if (dst.writableBytes() < total) {
            return -1;
        }

        int w = dst.writerIndex();
        int b0 = buf.getUnsignedByte(offset) & ~0x10;
        dst.setByte(w, kept > 0 ? b0 | 0x10 : b0);
        dst.setByte(w + 1, (buf.getByte(offset + 1) & 0x80) | (payloadType & 0x7F));
        dst.setShort(w + 2, seq);
        dst.setInt(w + 4, (int) timestamp);
        dst.setInt(w + 8, (int) ssrc);
        int p = w + FIXED_HEADER_LENGTH;
        if (csrcBytes > 0) {
            dst.setBytes(p, buf, offset + FIXED_HEADER_LENGTH, csrcBytes);
            p += csrcBytes;
        }
        if (kept > 0) {
            int blockEnd = p + extBlock;
            dst.setShort(p, oneByte ? PROFILE_ONE_BYTE : PROFILE_TWO_BYTE);
            dst.setShort(p + 2, (extBlock - 4) / 4);
            p += 4;
            // Pass 2: write the kept elements.
            int pos = extStart;
            long e;
            while (form != 0 && extIdMap != null && (e = nextElement(buf, pos, extEnd, form)) >= 0) {
                int dataOffset = elementDataOffset(e);
                int len = elementLength(e);
                int outId = mapId(extIdMap, elementId(e));
                if (outId != 0) {
                    if (oneByte) {
                        dst.setByte(p++, outId << 4 | (len - 1));
                    } else {
                        dst.setByte(p++, outId);
                        dst.setByte(p++, len);
                    }
                    dst.setBytes(p, buf, dataOffset, len);
                    p += len;
                }
                pos = dataOffset + len;
            }
            if (appendId > 0) {
                if (oneByte) {
                    dst.setByte(p++, appendId << 4 | (appendLength - 1));
                } else {
                    dst.setByte(p++, appendId);
                    dst.setByte(p++, appendLength);
                }
                dst.setZero(p, appendLength);
                appendedDataOffset = p;
                p += appendLength;
            }
            dst.setZero(p, blockEnd - p);
            p = blockEnd;
        }
        dst.setBytes(p, buf, payloadOffset, tail);
        dst.writerIndex(w + total);
        return total;
    }

    /**
     * The absolute index in the destination of the data of the element the latest {@code copyRewritten} on this view
     * appended ({@code appendId}), or -1 when it appended none or did not copy. Valid until the next copy.
     */
    public int appendedDataOffset() {
        return appendedDataOffset;
    }

    private static int mapId(byte[] extIdMap, int inId) {
        return inId < extIdMap.length ? extIdMap[inId] & 0xFF : 0;
    }

    // ---- extension element walking; elements are packed into a long: dataOffset << 16 | id << 8 | length ----

    private static final int FORM_ONE_BYTE = 1;
    private static final int FORM_TWO_BYTE = 2;

    private static int elementForm(int profile) {
        if (profile == PROFILE_ONE_BYTE) {
            return FORM_ONE_BYTE;
        }
        if ((profile & 0xFFF0) == PROFILE_TWO_BYTE) {
            return FORM_TWO_BYTE;
        }
        return 0;
    }

    /** The element at or after {@code pos} (padding skipped), or -1 at the end of the block [.., end). */
    private static long nextElement(ByteBuf buf, int pos, int end, int form) {
        while (pos < end) {
            int b = buf.getUnsignedByte(pos);
            // Id 0 is padding: a single byte in either form (in the one-byte form whatever its length nibble says).
            if (b == 0 || (form == FORM_ONE_BYTE && b < 0x10)) {
                pos++;
                continue;
            }
            int id;
            int len;
            int dataOffset;
            if (form == FORM_ONE_BYTE) {
                id = b >>> 4;
                if (id == 15) {
                    return -1;
                }
                len = (b & 0x0F) + 1;
                dataOffset = pos + 1;
            } else {
                if (pos + 2 > end) {
                    return -1;
                }
                id = b;
                len = buf.getUnsignedByte(pos + 1);
                dataOffset = pos + 2;
            }
            if (dataOffset + len > end) {
                return -1;
            }
            return (long) dataOffset << 16 | id << 8 | len;
        }
        return -1;
    }

    private static int elementDataOffset(long e) {
        return (int) (e >>> 16);
    }

    private static int elementId(long e) {
        return (int) (e >>> 8) & 0xFF;
    }

    private static int elementLength(long e) {
        return (int) e & 0xFF;
    }

    @Override
    public String toString() {
        if (buf == null) {
            return "RtpPacket[unwrapped]";
        }
        return "RtpPacket[ssrc=" + ssrc() + " pt=" + payloadType() + " seq=" + sequenceNumber() + " ts=" + timestamp()
                + (marker() ? " M" : "") + " len=" + length + " payload=" + payloadLength + "]";
    }
}
