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

    /** Absent field, or a descriptor that does not fit: returned by the field readers below. */
    public static final int ABSENT = -1;

    /**
     * Absolute index of the picture id field, or {@link #ABSENT}. The field is one byte (M=0, 7-bit id) or two bytes
     * (M=1, 15-bit id); see {@link #pictureIdBits}.
     */
    public static int pictureIdOffset(ByteBuf buf, int offset, int length) {
        if (descriptorLength(buf, offset, length) < 2 || (buf.getUnsignedByte(offset + 1) & 0x80) == 0) {
            return ABSENT;
        }
        return offset + 2;
    }

    /** 7 or 15 when the descriptor carries a picture id, else 0. */
    public static int pictureIdBits(ByteBuf buf, int offset, int length) {
        int at = pictureIdOffset(buf, offset, length);
        if (at < 0) {
            return 0;
        }
        return (buf.getUnsignedByte(at) & 0x80) != 0 ? 15 : 7;
    }

    /** The picture id (7 or 15 bits, without the M bit), or {@link #ABSENT}. */
    public static int pictureId(ByteBuf buf, int offset, int length) {
        int at = pictureIdOffset(buf, offset, length);
        if (at < 0) {
            return ABSENT;
        }
        int b = buf.getUnsignedByte(at);
        return (b & 0x80) != 0 ? (b & 0x7F) << 8 | buf.getUnsignedByte(at + 1) : b;
    }

    /** Absolute index of the TL0PICIDX byte, or {@link #ABSENT}. */
    public static int tl0PicIdxOffset(ByteBuf buf, int offset, int length) {
        if (descriptorLength(buf, offset, length) < 2) {
            return ABSENT;
        }
        int b1 = buf.getUnsignedByte(offset + 1);
        if ((b1 & 0x40) == 0) {
            return ABSENT;
        }
        return offset + 2 + pictureIdSize(buf, offset, b1);
    }

    /** TL0PICIDX (8 bits), or {@link #ABSENT}. */
    public static int tl0PicIdx(ByteBuf buf, int offset, int length) {
        int at = tl0PicIdxOffset(buf, offset, length);
        return at < 0 ? ABSENT : buf.getUnsignedByte(at);
    }

    /** Absolute index of the TID/Y/KEYIDX byte (present when T or K is set), or {@link #ABSENT}. */
    public static int tidKeyIdxOffset(ByteBuf buf, int offset, int length) {
        if (descriptorLength(buf, offset, length) < 2) {
            return ABSENT;
        }
        int b1 = buf.getUnsignedByte(offset + 1);
        if ((b1 & 0x30) == 0) {
            return ABSENT;
        }
        return offset + 2 + pictureIdSize(buf, offset, b1) + ((b1 & 0x40) != 0 ? 1 : 0);
    }

    /** Temporal layer id TID (0..3) when T is set, else {@link #ABSENT}. */
    public static int temporalId(ByteBuf buf, int offset, int length) {
        int at = tidKeyIdxOffset(buf, offset, length);
        if (at < 0 || (buf.getUnsignedByte(offset + 1) & 0x20) == 0) {
            return ABSENT;
        }
        return buf.getUnsignedByte(at) >>> 6;
    }

    /**
     * The layer sync bit Y: this frame depends only on base-layer (TID 0) frames, so a receiver can start decoding
     * its temporal layer here. False when T is not set.
     */
    public static boolean layerSync(ByteBuf buf, int offset, int length) {
        int at = tidKeyIdxOffset(buf, offset, length);
        return at >= 0 && (buf.getUnsignedByte(offset + 1) & 0x20) != 0 && (buf.getUnsignedByte(at) & 0x20) != 0;
    }

    /** KEYIDX (5 bits) when K is set, else {@link #ABSENT}. */
    public static int keyIdx(ByteBuf buf, int offset, int length) {
        int at = tidKeyIdxOffset(buf, offset, length);
        if (at < 0 || (buf.getUnsignedByte(offset + 1) & 0x10) == 0) {
            return ABSENT;
        }
        return buf.getUnsignedByte(at) & 0x1F;
    }

    /** True when this packet starts a frame (S=1 and PID=0) and its descriptor is well formed. */
    public static boolean isFrameStart(ByteBuf buf, int offset, int length) {
        if (descriptorLength(buf, offset, length) < 0) {
            return false;
        }
        return (buf.getUnsignedByte(offset) & 0x17) == 0x10;
    }

    /** Bytes of the picture id field given the extension byte {@code b1}; the caller checked the descriptor fits. */
    private static int pictureIdSize(ByteBuf buf, int offset, int b1) {
        if ((b1 & 0x80) == 0) {
            return 0;
        }
        return (buf.getUnsignedByte(offset + 2) & 0x80) != 0 ? 2 : 1;
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

    /**
     * The picture width of a VP8 key frame whose first packet this is (RFC 6386 section 9.1: after the 3-byte frame
     * tag and the start code {@code 9d 01 2a}, 14 bits little-endian), or {@link #ABSENT} when the packet does not start
     * a key frame or is too short to hold the header.
     */
    public static int keyframeWidth(ByteBuf buf, int offset, int length) {
        int at = keyframeHeaderOffset(buf, offset, length);
        return at < 0 ? ABSENT : buf.getUnsignedShortLE(at + 6) & 0x3FFF;
    }

    /** The picture height of a VP8 key frame whose first packet this is, or {@link #ABSENT}; see {@link #keyframeWidth}. */
    public static int keyframeHeight(ByteBuf buf, int offset, int length) {
        int at = keyframeHeaderOffset(buf, offset, length);
        return at < 0 ? ABSENT : buf.getUnsignedShortLE(at + 8) & 0x3FFF;
    }

    /** Absolute index of the VP8 frame header of a key frame start with a valid start code, or -1. */
    private static int keyframeHeaderOffset(ByteBuf buf, int offset, int length) {
        if (!isKeyframeStart(buf, offset, length)) {
            return -1;
        }
        int at = offset + descriptorLength(buf, offset, length);
        if (offset + length - at < 10 || buf.getUnsignedByte(at + 3) != 0x9D || buf.getUnsignedByte(at + 4) != 0x01
                || buf.getUnsignedByte(at + 5) != 0x2A) {
            return -1;
        }
        return at;
    }

    /**
     * Writes the counter fields a descriptor carries (as read by {@link #pictureId}, {@link #tl0PicIdx} and
     * {@link #keyIdx}), in place and in their present widths; a field the descriptor lacks, or a value of
     * {@link #ABSENT}, is left alone. For retransmissions rebuilt from the original packet: the consumer logged the
     * values its rewritten copy carried and puts them back. Returns false when the descriptor is malformed.
     */
    public static boolean writeCounters(ByteBuf buf, int offset, int length, int pictureId, int tl0PicIdx,
                                        int keyIdx) {
        if (descriptorLength(buf, offset, length) < 0) {
            return false;
        }
        int pidAt = pictureIdOffset(buf, offset, length);
        if (pidAt >= 0 && pictureId >= 0) {
            if ((buf.getUnsignedByte(pidAt) & 0x80) != 0) {
                buf.setShort(pidAt, 0x8000 | (pictureId & 0x7FFF));
            } else {
                buf.setByte(pidAt, pictureId & 0x7F);
            }
        }
        int tl0At = tl0PicIdxOffset(buf, offset, length);
        if (tl0At >= 0 && tl0PicIdx >= 0) {
            buf.setByte(tl0At, tl0PicIdx);
        }
        if (keyIdx >= 0 && keyIdx(buf, offset, length) >= 0) {
            int at = tidKeyIdxOffset(buf, offset, length);
            buf.setByte(at, (buf.getUnsignedByte(at) & 0xE0) | (keyIdx & 0x1F));
        }
        return true;
    }
}
