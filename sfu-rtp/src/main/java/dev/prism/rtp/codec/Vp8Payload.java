package dev.prism.rtp.codec;

import io.netty.buffer.ByteBuf;

/**
 * Reads the VP8 RTP payload descriptor (RFC 7741 section 4.2) in place. Hot path: static, no allocation.
 *
 * <pre>
 *  byte 0:  |X|R|N|S|R| PID |     X = extension bytes follow, S = start of partition, PID = partition index
 *  byte 1:  |I|L|T|K| RSV   |     (if X) I = picture id, L = TL0PICIDX, T = TID, K = KEYIDX present
 *  I:       |M| PictureID   |     M = 15-bit picture id (second byte follows)
 *  L:       |  TL0PICIDX    |
 *  T/K:     |TID|Y| KEYIDX  |
 *  then the VP8 payload; on the first packet of a frame its first byte's bit 0 is the inverse key frame flag.
 * </pre>
 */
public final class Vp8Payload {
    private Vp8Payload() {
    }

    /**
     * The size of the payload descriptor at {@code offset}, or -1 when it does not fit in {@code length} bytes.
     */
    public static int descriptorLength(ByteBuf buf, int offset, int length) {
        if (length < 1) {
            return -1;
        }
        int b0 = buf.getUnsignedByte(offset);
        int size = 1;
        if ((b0 & 0x80) != 0) {
            if (length < 2) {
                return -1;
            }
            int b1 = buf.getUnsignedByte(offset + 1);
            size = 2;
            if ((b1 & 0x80) != 0) { // I: picture id, 7 or 15 bits
                if (length < size + 1) {
                    return -1;
                }
                size += (buf.getUnsignedByte(offset + size) & 0x80) != 0 ? 2 : 1;
            }
            if ((b1 & 0x40) != 0) { // L: TL0PICIDX
                size++;
            }
            if ((b1 & 0x30) != 0) { // T or K: TID/Y/KEYIDX byte
                size++;
            }
        }
        return size <= length ? size : -1;
    }

    /** True when this packet starts a VP8 key frame (S=1, PID=0, and the frame header's P bit clear). */
    public static boolean isKeyframeStart(ByteBuf buf, int offset, int length) {
        int d = descriptorLength(buf, offset, length);
        if (d < 0 || d >= length) {
            return false;
        }
        int b0 = buf.getUnsignedByte(offset);
        boolean start = (b0 & 0x10) != 0 && (b0 & 0x07) == 0;
        return start && (buf.getUnsignedByte(offset + d) & 0x01) == 0;
    }
}
