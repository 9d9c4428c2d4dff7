package dev.prism.rtp.packet;

import io.netty.buffer.ByteBuf;

/**
 * RTX (RFC 4588) packet surgery, in place: a retransmission carries the original sequence number (OSN) in the first two
 * payload bytes, on its own SSRC, payload type and sequence space. No allocation; the buffers stay with their owners.
 */
public final class Rtx {
    /** Bytes RTX adds to a packet. */
    public static final int OSN_LENGTH = 2;

    private Rtx() {
    }

    /**
     * Turns the RTX packet at {@code [offset, payloadOffset + payload...)} of {@code buf} back into the original packet:
     * the headers move two bytes right over the OSN, the reader index follows them, and sequence number, SSRC and payload
     * type become the original's. The caller has checked that the payload holds at least the OSN.
     *
     * @param offset        absolute index of the RTX packet's first byte (the buffer's reader index)
     * @param payloadOffset absolute index of the RTX payload (the OSN)
     * @return the original sequence number
     */
    public static int unwrapInPlace(ByteBuf buf, int offset, int payloadOffset, long ssrc, int payloadType) {
        int osn = buf.getUnsignedShort(payloadOffset);
        int headerLength = payloadOffset - offset;
        move(buf, offset, offset + OSN_LENGTH, headerLength);
        int start = offset + OSN_LENGTH;
        buf.readerIndex(start);
        buf.setShort(start + 2, osn);
        buf.setInt(start + 8, (int) ssrc);
        buf.setByte(start + 1, (buf.getByte(start + 1) & 0x80) | (payloadType & 0x7F));
        return osn;
    }

    /**
     * Makes room for the OSN at {@code payloadOffset} of a packet that ends at the writer index of {@code buf}, by moving
     * payload and padding two bytes right, and writes {@code osn} there. The writer index grows by two; the caller made
     * sure two bytes are writable.
     */
    public static void insertOsn(ByteBuf buf, int payloadOffset, int osn) {
        int end = buf.writerIndex();
        move(buf, payloadOffset, payloadOffset + OSN_LENGTH, end - payloadOffset);
        buf.setShort(payloadOffset, osn);
        buf.writerIndex(end + OSN_LENGTH);
    }

    /** Overlap-safe move of {@code length} bytes inside one buffer (memmove). */
    private static void move(ByteBuf buf, int from, int to, int length) {
        if (length <= 0) {
            return;
        }
        if (buf.hasArray()) {
            byte[] a = buf.array();
            int base = buf.arrayOffset();
            System.arraycopy(a, base + from, a, base + to, length); // arraycopy is defined for overlapping ranges
        } else if (to > from) {
            for (int i = length - 1; i >= 0; i--) {
                buf.setByte(to + i, buf.getByte(from + i));
            }
        } else {
            for (int i = 0; i < length; i++) {
                buf.setByte(to + i, buf.getByte(from + i));
            }
        }
    }
}
