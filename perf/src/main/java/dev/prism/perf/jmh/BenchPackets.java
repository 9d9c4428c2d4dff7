package dev.prism.perf.jmh;

import dev.prism.perf.media.SyntheticRtp;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The packets the benchmarks push: a full-size VP8 or H.264 packet as Chrome sends them, with the usual extensions.
 */
final class BenchPackets {
    /** Bytes of a full video packet on the wire before SRTP (Chrome packetizes to about this). */
    static final int VIDEO_PACKET_LENGTH = 1200;
    static final int VP8_PT = 96;
    /** H.264 goes on the same payload type in the benchmarks: the forwarder writes the subscriber's own anyway. */
    static final int H264_PT = 96;
    static final int EXT_ABS_SEND_TIME = 2;
    static final int EXT_TRANSPORT_CC = 3;
    static final SyntheticRtp.ExtensionIds EXTENSIONS =
            new SyntheticRtp.ExtensionIds(EXT_ABS_SEND_TIME, EXT_TRANSPORT_CC, 0);

    private BenchPackets() {
    }

    /**
     * A {@value #VIDEO_PACKET_LENGTH}-byte VP8 packet in a heap buffer with {@code tailRoom} spare bytes after it.
     *
     * @param keyframe the first packet of a key frame (consumers wait for one)
     */
    static ByteBuf vp8(long ssrc, int seq, boolean keyframe, int tailRoom) {
        ByteBuf b = Unpooled.buffer(VIDEO_PACKET_LENGTH + tailRoom, VIDEO_PACKET_LENGTH + tailRoom);
        int header = SyntheticRtp.writeHeader(b, VP8_PT, false, seq, 90_000L * seq, ssrc, EXTENSIONS, seq,
                System.nanoTime());
        SyntheticRtp.writeVp8Payload(b, VIDEO_PACKET_LENGTH - header, true, keyframe, seq, 0, System.nanoTime());
        return b;
    }

    /**
     * A {@value #VIDEO_PACKET_LENGTH}-byte H.264 packet (RFC 6184 mode 1), shaped as Chromium 156 sends them (see
     * sfu-rtp's captured {@code chromium-156-h264-packets.txt}): the first FU-A fragment of an IDR slice for a key
     * frame start, else the first FU-A fragment of a non-IDR slice; filler after the slice header's first bytes.
     */
    static ByteBuf h264(long ssrc, int seq, boolean keyframe, int tailRoom) {
        ByteBuf b = Unpooled.buffer(VIDEO_PACKET_LENGTH + tailRoom, VIDEO_PACKET_LENGTH + tailRoom);
        int header = SyntheticRtp.writeHeader(b, H264_PT, false, seq, 90_000L * seq, ssrc, EXTENSIONS, seq,
                System.nanoTime());
        // FU indicator (NRI 3, type 28), FU header (S, type 5 or 1), first slice header byte (first_mb_in_slice 0).
        b.writeByte(0x7C).writeByte(keyframe ? 0x85 : 0x81).writeByte(keyframe ? 0xB8 : 0xE0);
        b.writeZero(VIDEO_PACKET_LENGTH - header - 3);
        return b;
    }
}
