package dev.prism.rtp.layer;

import dev.prism.rtp.codec.H264Payload;
import dev.prism.rtp.codec.Vp8Payload;
import io.netty.buffer.ByteBuf;

/**
 * What {@link LayerSelector} needs to know about one video packet, packed into an int so the hot path allocates
 * nothing: the temporal layer id (0..3; 0 when the codec carries none) and flags.
 *
 * <pre>
 * bits 0-1  temporal layer id
 * bit  2    FRAME_START   first packet of a frame
 * bit  3    KEYFRAME      first packet of a key frame (implies FRAME_START)
 * bit  4    LAYER_SYNC    the frame depends only on temporal layer 0 (VP8 Y bit; never for H.264)
 * bit  5    PADDING_ONLY  no payload
 * </pre>
 * {@link #INVALID} (-1) marks a payload whose descriptor could not be read. The spatial layer is not in here: it comes
 * from the producer's SSRC -> layer map.
 */
public final class PacketMeta {
    public static final int INVALID = -1;
    public static final int FRAME_START = 1 << 2;
    public static final int KEYFRAME = 1 << 3;
    public static final int LAYER_SYNC = 1 << 4;
    public static final int PADDING_ONLY = 1 << 5;
    /** The highest temporal layer id the packing can carry. */
    public static final int MAX_TEMPORAL_ID = 3;

    private PacketMeta() {
    }

    /**
     * Packs the fields; a negative temporal id (none in the codec) becomes 0.
     *
     * @param flags any of {@link #FRAME_START}, {@link #KEYFRAME} (which sets FRAME_START too), {@link #LAYER_SYNC},
     *     {@link #PADDING_ONLY}
     */
    public static int of(int temporalId, int flags) {
        int tid = Math.max(0, Math.min(MAX_TEMPORAL_ID, temporalId));
        if ((flags & KEYFRAME) != 0) {
            flags |= FRAME_START;
        }
        return tid | (flags & (FRAME_START | KEYFRAME | LAYER_SYNC | PADDING_ONLY));
    }

    /** Reads a VP8 payload (RFC 7741). Hot path: no allocation. Empty payload: {@link #PADDING_ONLY}. */
    public static int vp8(ByteBuf buf, int payloadOffset, int payloadLength) {
        if (payloadLength == 0) {
            return PADDING_ONLY;
        }
        if (Vp8Payload.descriptorLength(buf, payloadOffset, payloadLength) < 0) {
            return INVALID;
        }
        int flags = 0;
        if (Vp8Payload.isFrameStart(buf, payloadOffset, payloadLength)) {
            flags |= FRAME_START;
        }
        if (Vp8Payload.isKeyframeStart(buf, payloadOffset, payloadLength)) {
            flags |= KEYFRAME;
        }
        if (Vp8Payload.layerSync(buf, payloadOffset, payloadLength)) {
            flags |= LAYER_SYNC;
        }
        return of(Vp8Payload.temporalId(buf, payloadOffset, payloadLength), flags);
    }

    /**
     * Reads an H.264 payload (RFC 6184 packetization-mode 1, see {@link H264Payload}). Hot path: no allocation. Empty
     * payload: {@link #PADDING_ONLY}. H.264 carries no temporal layer id in its payload: the temporal id is 0, so a
     * layer selector treats each simulcast encoding as one temporal layer.
     */
    public static int h264(ByteBuf buf, int payloadOffset, int payloadLength) {
        if (payloadLength == 0) {
            return PADDING_ONLY;
        }
        int f = H264Payload.flags(buf, payloadOffset, payloadLength);
        if (f == H264Payload.MALFORMED) {
            return INVALID;
        }
        return of(0, ((f & H264Payload.FRAME_START) != 0 ? FRAME_START : 0)
                | ((f & H264Payload.KEYFRAME) != 0 ? KEYFRAME : 0));
    }

    public static int temporalId(int meta) {
        return meta & 3;
    }

    public static boolean isFrameStart(int meta) {
        return (meta & FRAME_START) != 0;
    }

    public static boolean isKeyframe(int meta) {
        return (meta & KEYFRAME) != 0;
    }

    public static boolean isLayerSync(int meta) {
        return (meta & LAYER_SYNC) != 0;
    }

    public static boolean isPaddingOnly(int meta) {
        return (meta & PADDING_ONLY) != 0;
    }
}
