package dev.prism.rtp.codec;

import io.netty.buffer.ByteBuf;

/**
 * Keeps the VP8 payload descriptor fields that count frames (picture id, TL0PICIDX, KEYIDX; RFC 7741 section 4.2)
 * continuous in one consumer's output stream, across simulcast switches and temporal layer thinning, the way
 * {@link dev.prism.rtp.packet.SeqRewriter} does for sequence numbers. A receiver's VP8 reference finder reads these
 * fields: a jump back or a hole it cannot explain makes it wait for frames that will never come.
 *
 * <ul>
 *   <li>Each field is rewritten as {@code in + offset} modulo its width; the offsets are separate per field.</li>
 *   <li>{@link #switchSource()} (new simulcast layer, publisher restart): the next frame gets each field's last output
 *       value + 1. The first frame after a switch is a key frame on temporal layer 0, so every counter advances
 *       naturally there.</li>
 *   <li>{@link #drop}: a frame deliberately not forwarded (a temporal layer above the target). The picture id closes up
 *       behind it, so the receiver sees no missing picture. TL0PICIDX counts base-layer frames, which are never thinned
 *       (thinning keeps temporal layer 0), and KEYIDX counts key frames, so both pass untouched by drops.</li>
 *   <li>A 7-bit picture id is widened against the segment's newest one and written back as 7 bits; output continuity
 *       is then modulo 128. Chrome and Firefox send 15-bit ids.</li>
 *   <li>A field absent from a packet is left absent; the width of a present field never changes (in-place rewrite).</li>
 * </ul>
 *
 * <p><b>Use.</b> The consumer copies the packet into its own buffer ({@code RtpPacket.copyRewritten}), then calls
 * {@link #rewrite} on the copy's VP8 payload, which returns what it wrote; for a frame thinned out it calls {@link #drop} with the original packet's
 * payload (read only). Call for every packet of the forwarded source, in arrival order; packets of other sources must
 * not be passed.
 *
 * <p>Zero allocation. Not thread-safe: one instance per consumer, on the room's event loop.
 */
public final class Vp8Rewriter {
    /** Frame-level offset changes remembered for reordered packets (temporal drops are at most one per frame). */
    private static final int HISTORY = 16;

    private final CounterRewriter pictureId = new CounterRewriter(15, HISTORY);
    private final CounterRewriter tl0PicIdx = new CounterRewriter(8, HISTORY);
    private final CounterRewriter keyIdx = new CounterRewriter(5, HISTORY);

    /** {@link #rewrite} result for a malformed payload descriptor. */
    public static final long MALFORMED = -1L;

    /**
     * Rewrites the descriptor of the VP8 payload at {@code offset} ({@code length} bytes) in place.
     *
     * @param buf a buffer this consumer owns (its copy of the packet), never the producer's shared one
     * @return what it wrote, packed into a long (read it with {@link #pictureId(long)}, {@link #tl0PicIdx(long)} and
     *     {@link #keyIdx(long)}), so the caller does not read the descriptor again; {@link #MALFORMED}, leaving the
     *     buffer unchanged, when the payload descriptor is malformed (the caller drops the packet and counts it).
     *     A descriptor without any counter field is not malformed: every field then reads as absent.
     */
    public long rewrite(ByteBuf buf, int offset, int length) {
        if (Vp8Payload.descriptorLength(buf, offset, length) < 0) {
            return MALFORMED;
        }
        int writtenPictureId = -1;
        int pidAt = Vp8Payload.pictureIdOffset(buf, offset, length);
        if (pidAt >= 0) {
            int b = buf.getUnsignedByte(pidAt);
            if ((b & 0x80) != 0) {
                int out = pictureId.rewrite((b & 0x7F) << 8 | buf.getUnsignedByte(pidAt + 1));
                buf.setShort(pidAt, 0x8000 | out);
                writtenPictureId = out & 0x7FFF;
            } else {
                int out = pictureId.rewrite(pictureId.widen(b, 7));
                buf.setByte(pidAt, out & 0x7F);
                writtenPictureId = out & 0x7F;
            }
        }
        int writtenTl0 = -1;
        int tl0At = Vp8Payload.tl0PicIdxOffset(buf, offset, length);
        if (tl0At >= 0) {
            writtenTl0 = tl0PicIdx.rewrite(buf.getUnsignedByte(tl0At)) & 0xFF;
            buf.setByte(tl0At, writtenTl0);
        }
        int writtenKeyIdx = -1;
        if (Vp8Payload.keyIdx(buf, offset, length) >= 0) {
            int at = Vp8Payload.tidKeyIdxOffset(buf, offset, length);
            int tk = buf.getUnsignedByte(at);
            writtenKeyIdx = keyIdx.rewrite(tk & 0x1F) & 0x1F;
            buf.setByte(at, (tk & 0xE0) | writtenKeyIdx);
        }
        return written(writtenPictureId, writtenTl0, writtenKeyIdx);
    }

    // A rewrite result: each field + 1 in its own bits (0 = absent), so a valid result is never MALFORMED.
    private static final int TL0_SHIFT = 16;
    private static final int KEYIDX_SHIFT = 25;

    /** Packs the values {@link #rewrite} wrote (-1 for an absent field). */
    static long written(int pictureId, int tl0PicIdx, int keyIdx) {
        return (long) (pictureId + 1) | (long) (tl0PicIdx + 1) << TL0_SHIFT | (long) (keyIdx + 1) << KEYIDX_SHIFT;
    }

    /** The picture id a {@link #rewrite} result says was written (7 or 15 bits as in the packet), -1 when absent. */
    public static int pictureId(long written) {
        return (int) (written & 0xFFFF) - 1;
    }

    /** The TL0PICIDX a {@link #rewrite} result says was written, -1 when absent. */
    public static int tl0PicIdx(long written) {
        return (int) (written >>> TL0_SHIFT & 0x1FF) - 1;
    }

    /** The KEYIDX a {@link #rewrite} result says was written, -1 when absent. */
    public static int keyIdx(long written) {
        return (int) (written >>> KEYIDX_SHIFT & 0x3F) - 1;
    }

    /**
     * Records that the frame of this packet is not forwarded (temporal layer thinning). Reads the payload only; call
     * for each packet of the dropped frame (the repeats are ignored). A malformed descriptor is ignored.
     */
    public void drop(ByteBuf buf, int offset, int length) {
        int pidAt = Vp8Payload.pictureIdOffset(buf, offset, length);
        if (pidAt < 0) {
            return;
        }
        int b = buf.getUnsignedByte(pidAt);
        if ((b & 0x80) != 0) {
            pictureId.drop((b & 0x7F) << 8 | buf.getUnsignedByte(pidAt + 1));
        } else {
            pictureId.drop(pictureId.widen(b, 7));
        }
    }

    /** The next packet comes from another source (simulcast layer switch): its counters continue from the last ones. */
    public void switchSource() {
        pictureId.switchSource();
        tl0PicIdx.switchSource();
        keyIdx.switchSource();
    }

    /** Newest output picture id (15 bits), or -1 before the first one. */
    public int lastPictureId() {
        return pictureId.started() ? pictureId.lastOutput() : -1;
    }

    /** Newest output TL0PICIDX, or -1 before the first one. */
    public int lastTl0PicIdx() {
        return tl0PicIdx.started() ? tl0PicIdx.lastOutput() : -1;
    }

    /** Newest output KEYIDX, or -1 before the first one. */
    public int lastKeyIdx() {
        return keyIdx.started() ? keyIdx.lastOutput() : -1;
    }
}
