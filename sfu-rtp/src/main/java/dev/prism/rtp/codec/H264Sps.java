package dev.prism.rtp.codec;

import io.netty.buffer.ByteBuf;

/**
 * Reads the picture size from an H.264 sequence parameter set (ITU-T H.264 section 7.3.2.1.1) carried in an RTP
 * payload (a single NAL unit packet, or a member of a STAP-A), so that simulcast layers of an H.264 track have heights
 * for the bitrate allocator as VP8 key frames give them. Called for key frame packets only (about one a second per
 * layer), not per packet; it allocates nothing but a short-lived reader the JIT keeps off the heap.
 *
 * <p>The SPS is read in order up to {@code frame_cropping}: scaling lists and the picture order count fields are
 * skipped by their syntax; emulation prevention bytes ({@code 00 00 03}) are skipped. A truncated or absurd SPS gives
 * {@link #ABSENT}.
 */
public final class H264Sps {
    private H264Sps() {
    }

    /** No SPS in the payload, or one that could not be read. */
    public static final int ABSENT = -1;

    /** Largest picture side accepted (H.264 level 6.2 allows 8,192 x 4,320). */
    private static final int MAX_SIDE = 16_384;

    /**
     * The size of the picture the payload's SPS describes, packed as {@code width << 16 | height}, or {@link #ABSENT}.
     */
    public static int dimensions(ByteBuf buf, int offset, int length) {
        if (length < 2) {
            return ABSENT;
        }
        int type = buf.getUnsignedByte(offset) & 0x1F;
        if (type == H264Payload.NAL_SPS) {
            return read(buf, offset, length);
        }
        if (type != H264Payload.STAP_A) {
            return ABSENT;
        }
        int at = offset + 1;
        int end = offset + length;
        while (end - at >= 3) {
            int size = buf.getUnsignedShort(at);
            at += 2;
            if (size == 0 || size > end - at) {
                return ABSENT;
            }
            if ((buf.getUnsignedByte(at) & 0x1F) == H264Payload.NAL_SPS) {
                return read(buf, at, size);
            }
            at += size;
        }
        return ABSENT;
    }

    /** Width from {@link #dimensions}'s result. */
    public static int width(int dimensions) {
        return dimensions >>> 16;
    }

    /** Height from {@link #dimensions}'s result. */
    public static int height(int dimensions) {
        return dimensions & 0xFFFF;
    }

    /** Reads the SPS NAL unit at {@code offset} ({@code size} bytes, NAL header included). */
    private static int read(ByteBuf buf, int offset, int size) {
        Bits r = new Bits(buf, offset + 1, offset + size);
        int profile = r.bits(8);
        r.bits(16); // constraint flags, level_idc
        r.ue(); // seq_parameter_set_id
        int chromaFormat = 1;
        boolean separateColourPlanes = false;
        if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44 || profile == 83
                || profile == 86 || profile == 118 || profile == 128 || profile == 138 || profile == 139
                || profile == 134 || profile == 135) {
            chromaFormat = r.ue();
            if (chromaFormat == 3) {
                separateColourPlanes = r.bits(1) == 1;
            }
            r.ue(); // bit_depth_luma_minus8
            r.ue(); // bit_depth_chroma_minus8
            r.bits(1); // qpprime_y_zero_transform_bypass_flag
            if (r.bits(1) == 1) { // seq_scaling_matrix_present_flag
                int lists = chromaFormat != 3 ? 8 : 12;
                for (int i = 0; i < lists && !r.failed; i++) {
                    if (r.bits(1) == 1) {
                        skipScalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        r.ue(); // log2_max_frame_num_minus4
        int pocType = r.ue();
        if (pocType == 0) {
            r.ue(); // log2_max_pic_order_cnt_lsb_minus4
        } else if (pocType == 1) {
            r.bits(1); // delta_pic_order_always_zero_flag
            r.se(); // offset_for_non_ref_pic
            r.se(); // offset_for_top_to_bottom_field
            int cycle = r.ue();
            if (cycle > 255) {
                return ABSENT;
            }
            for (int i = 0; i < cycle && !r.failed; i++) {
                r.se(); // offset_for_ref_frame
            }
        }
        r.ue(); // max_num_ref_frames
        r.bits(1); // gaps_in_frame_num_value_allowed_flag
        int widthMbs = r.ue() + 1;
        int heightMapUnits = r.ue() + 1;
        int frameMbsOnly = r.bits(1);
        if (frameMbsOnly == 0) {
            r.bits(1); // mb_adaptive_frame_field_flag
        }
        r.bits(1); // direct_8x8_inference_flag
        int cropLeft = 0;
        int cropRight = 0;
        int cropTop = 0;
        int cropBottom = 0;
        if (r.bits(1) == 1) {
            cropLeft = r.ue();
            cropRight = r.ue();
            cropTop = r.ue();
            cropBottom = r.ue();
        }
        if (r.failed || widthMbs > MAX_SIDE / 16 || heightMapUnits > MAX_SIDE / 16) {
            return ABSENT;
        }
        int chromaArrayType = separateColourPlanes ? 0 : chromaFormat;
        int cropUnitX = chromaArrayType == 0 || chromaArrayType == 3 ? 1 : 2;
        int cropUnitY = (chromaArrayType == 1 ? 2 : 1) * (2 - frameMbsOnly);
        long width = widthMbs * 16L - (long) (cropLeft + cropRight) * cropUnitX;
        long height = (2L - frameMbsOnly) * heightMapUnits * 16 - (long) (cropTop + cropBottom) * cropUnitY;
        if (width <= 0 || height <= 0 || width > MAX_SIDE || height > MAX_SIDE) {
            return ABSENT;
        }
        return (int) width << 16 | (int) height;
    }

    private static void skipScalingList(Bits r, int size) {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size && !r.failed; j++) {
            if (next != 0) {
                next = (last + r.se() + 256) % 256;
            }
            last = next == 0 ? last : next;
        }
    }

    /** An RBSP bit reader over a NAL unit's bytes, skipping emulation prevention bytes; {@link #failed} past the end. */
    private static final class Bits {
        private final ByteBuf buf;
        private final int end;
        private int pos;
        private int current;
        private int bitsLeft;
        private int zeros;
        boolean failed;

        Bits(ByteBuf buf, int start, int end) {
            this.buf = buf;
            this.pos = start;
            this.end = end;
        }

        private int bit() {
            if (bitsLeft == 0) {
                if (pos >= end) {
                    failed = true;
                    return 0;
                }
                int b = buf.getUnsignedByte(pos++);
                if (zeros >= 2 && b == 3) { // emulation prevention: 00 00 03 -> 00 00
                    zeros = 0;
                    if (pos >= end) {
                        failed = true;
                        return 0;
                    }
                    b = buf.getUnsignedByte(pos++);
                }
                zeros = b == 0 ? zeros + 1 : 0;
                current = b;
                bitsLeft = 8;
            }
            bitsLeft--;
            return current >> bitsLeft & 1;
        }

        int bits(int n) {
            int v = 0;
            for (int i = 0; i < n; i++) {
                v = v << 1 | bit();
            }
            return v;
        }

        /** Unsigned Exp-Golomb; a value beyond 2^16 marks the SPS unreadable (no real field is that large). */
        int ue() {
            int leadingZeros = 0;
            while (bit() == 0) {
                if (failed || ++leadingZeros > 16) {
                    failed = true;
                    return 0;
                }
            }
            return (1 << leadingZeros) - 1 + bits(leadingZeros);
        }

        int se() {
            int k = ue();
            return (k & 1) != 0 ? (k + 1) / 2 : -(k / 2);
        }
    }
}
