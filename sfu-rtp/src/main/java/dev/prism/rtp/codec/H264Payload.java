package dev.prism.rtp.codec;

import io.netty.buffer.ByteBuf;

/**
 * Reads an H.264 RTP payload (RFC 6184, packetization-mode 1: single NAL unit packets, STAP-A, FU-A) in place, for
 * what the layer selector needs: does this packet start a frame, does it start a key frame. Hot path: static, no
 * allocation. There is no payload descriptor to rewrite: an H.264 stream carries no picture id, so forwarding it needs
 * only the sequence number and timestamp rewriting every codec gets.
 *
 * <pre>
 *  NAL header:  |F|NRI|  Type   |    Type 1..23 a single NAL unit: 1 non-IDR slice, 5 IDR slice, 6 SEI, 7 SPS, 8 PPS,
 *                                    9 access unit delimiter; 24 STAP-A, 28 FU-A (others are refused in mode 1)
 *  STAP-A:      |hdr| size(16) | NAL | size(16) | NAL | ...
 *  FU-A:        |indicator (type 28)|S|E|R| Type |  fragment...   S = first fragment, E = last, Type = the NAL's
 * </pre>
 *
 * <p><b>Key frame.</b> A packet starts a key frame when it carries an SPS, or the start of an IDR slice (a single
 * NAL unit, a STAP-A member, or an FU-A fragment with S set). Browsers send the SPS and PPS right before each IDR
 * (libwebrtc: in one STAP-A with them, or with the IDR itself when it fits), so the first packet of a key frame is the
 * SPS one, and a subscriber switched there receives the parameter sets it needs to decode; an IDR sent without them
 * still counts, for a publisher that repeats no parameter sets. This is stateless on purpose: one packet, one answer.
 *
 * <p><b>Frame start.</b> A packet starts a frame when it begins with a parameter set, SEI or access unit delimiter,
 * or begins a slice whose {@code first_mb_in_slice} is 0 (the first bit of the slice header is 1: ue(v) zero). A key
 * frame's STAP-A and its IDR's first fragment both count; that is two "frame starts" for one key frame, which only
 * matters to frame-rate counts and costs at most one per key frame.
 */
public final class H264Payload {
    private H264Payload() {
    }

    public static final int NAL_SLICE = 1;
    public static final int NAL_IDR = 5;
    public static final int NAL_SEI = 6;
    public static final int NAL_SPS = 7;
    public static final int NAL_PPS = 8;
    public static final int NAL_AUD = 9;
    public static final int STAP_A = 24;
    public static final int FU_A = 28;

    /** {@link #flags} bit: the packet starts a frame. */
    public static final int FRAME_START = 1;
    /** {@link #flags} bit: the packet starts a key frame (SPS, or the start of an IDR slice). */
    public static final int KEYFRAME = 2;
    /** {@link #flags} result: the payload is not a well-formed mode 1 payload (too short, bad STAP-A sizes, F bit). */
    public static final int MALFORMED = -1;

    /**
     * Reads the packet's flags: 0, {@link #FRAME_START}, {@link #FRAME_START} | {@link #KEYFRAME}, or
     * {@link #MALFORMED}. {@code length} must be at least 1 (an empty payload is padding, the caller's case).
     */
    public static int flags(ByteBuf buf, int offset, int length) {
        if (length < 1) {
            return MALFORMED;
        }
        int header = buf.getUnsignedByte(offset);
        if ((header & 0x80) != 0) {
            return MALFORMED; // F: the sender says this NAL unit is corrupt
        }
        int type = header & 0x1F;
        if (type >= 1 && type <= 23) {
            return nalFlags(buf, offset, length);
        }
        if (type == STAP_A) {
            return stapAFlags(buf, offset, length);
        }
        if (type == FU_A) {
            if (length < 3) {
                return MALFORMED;
            }
            int fu = buf.getUnsignedByte(offset + 1);
            if ((fu & 0x80) == 0) {
                return 0; // a middle or last fragment
            }
            int nalType = fu & 0x1F;
            // The fragment after the FU header starts the slice header (the NAL header is not repeated).
            return startFlags(nalType, buf.getUnsignedByte(offset + 2));
        }
        return MALFORMED; // STAP-B, MTAP, FU-B and reserved types are not in packetization-mode 1
    }

    /** The NAL unit type of a single NAL unit packet, 24 for STAP-A, 28 for FU-A; -1 for an empty payload. */
    public static int packetType(ByteBuf buf, int offset, int length) {
        return length < 1 ? -1 : buf.getUnsignedByte(offset) & 0x1F;
    }

    /** True when the payload carries an SPS or starts an IDR slice ({@link #flags} has {@link #KEYFRAME}). */
    public static boolean isKeyframeStart(ByteBuf buf, int offset, int length) {
        int f = flags(buf, offset, length);
        return f != MALFORMED && (f & KEYFRAME) != 0;
    }

    private static int nalFlags(ByteBuf buf, int at, int size) {
        int type = buf.getUnsignedByte(at) & 0x1F;
        return startFlags(type, size > 1 ? buf.getUnsignedByte(at + 1) : 0);
    }

    /** Flags of a NAL unit of {@code type} whose first payload byte (after the NAL header) is {@code firstByte}. */
    private static int startFlags(int type, int firstByte) {
        switch (type) {
            case NAL_SPS:
                return FRAME_START | KEYFRAME;
            case NAL_IDR:
                // A later slice of an IDR picture is no place to start: its first slice would be missing.
                return (firstByte & 0x80) != 0 ? FRAME_START | KEYFRAME : 0;
            case NAL_SLICE:
                return (firstByte & 0x80) != 0 ? FRAME_START : 0;
            case NAL_PPS:
            case NAL_SEI:
            case NAL_AUD:
                return FRAME_START;
            default:
                return 0;
        }
    }

    private static int stapAFlags(ByteBuf buf, int offset, int length) {
        int at = offset + 1;
        int end = offset + length;
        int flags = 0;
        boolean first = true;
        while (at < end) {
            if (end - at < 2) {
                return MALFORMED;
            }
            int size = buf.getUnsignedShort(at);
            at += 2;
            if (size == 0 || size > end - at) {
                return MALFORMED;
            }
            int f = nalFlags(buf, at, size);
            // A frame starts here only if the aggregate's first NAL unit starts one; a key frame anywhere in it counts.
            flags |= first ? f : f & KEYFRAME;
            first = false;
            at += size;
        }
        return first ? MALFORMED : flags;
    }
}
