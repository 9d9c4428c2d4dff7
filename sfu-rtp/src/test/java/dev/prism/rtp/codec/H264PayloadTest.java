package dev.prism.rtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.rtp.layer.PacketMeta;
import dev.prism.rtp.packet.Hex;
import dev.prism.rtp.packet.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** H.264 packetization (RFC 6184 mode 1) and key frame detection, on packets captured from Chromium 156. */
class H264PayloadTest {
    private static final int FS = H264Payload.FRAME_START;
    private static final int KF = H264Payload.KEYFRAME;

    @Test
    void annotatedStapAIsTheCapturedOne() {
        assertThat(Hex.bytes(ChromiumH264.STAP_A_SPS_PPS))
                .isEqualTo(ChromiumH264.packet("pub RTP H264 STAP-A 7,8 #1"));
    }

    /** Whole captured packets: only the first packets of a key frame (the SPS/PPS aggregate, the IDR's first one). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // label in the dump,                  flags,  key frame start, meta frame start
            "'pub RTP H264 STAP-A 7,8 #1',            3,    true,            true",
            "'pub RTP H264 FU-A start 5 #1',          3,    true,            true",
            "'pub RTP H264 FU-A middle 5 #1',         0,    false,           false",
            "'pub RTP H264 FU-A middle 5 #2',         0,    false,           false",
            "'pub RTP H264 FU-A end 5 marker #1',     0,    false,           false",
            "'pub RTP H264 FU-A start 1 #1',          1,    false,           true",
            "'pub RTP H264 FU-A start 1 #2',          1,    false,           true",
            "'pub RTP H264 FU-A start 1 #3',          1,    false,           true",
            "'pub RTP H264 FU-A middle 1 #1',         0,    false,           false",
            "'pub RTP H264 FU-A middle 1 #3',         0,    false,           false",
            "'pub RTP H264 FU-A end 1 marker #1',     0,    false,           false",
            "'pub RTP H264 FU-A end 1 marker #3',     0,    false,           false",
    })
    void readsCapturedPackets(String label, int flags, boolean keyframe, boolean frameStart) {
        ByteBuf buf = Unpooled.directBuffer(1200);
        buf.writeZero(3).readerIndex(3); // not at index 0, like a packet in a receive buffer
        buf.writeBytes(ChromiumH264.packet(label));
        try {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(buf)).isTrue();
            int at = p.payloadOffset();
            int length = p.payloadLength();
            assertThat(H264Payload.flags(buf, at, length)).isEqualTo(flags);
            assertThat(H264Payload.isKeyframeStart(buf, at, length)).isEqualTo(keyframe);
            int meta = PacketMeta.h264(buf, at, length);
            assertThat(PacketMeta.isKeyframe(meta)).isEqualTo(keyframe);
            assertThat(PacketMeta.isFrameStart(meta)).isEqualTo(frameStart);
            assertThat(PacketMeta.temporalId(meta)).isZero();
            assertThat(PacketMeta.isLayerSync(meta)).isFalse();
        } finally {
            buf.release();
        }
    }

    /**
     * Payload shapes Chromium did not send in the capture (its 640x480 frames needed fragments), built from the
     * captured NAL units: the SPS and PPS alone, the IDR and delta slices as single NAL unit packets (NAL header =
     * the FU indicator's F/NRI with the FU header's type), an aggregate holding the IDR too; then broken payloads.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // name,                                      payload hex,                                   flags
            "'single SPS',                  '67 42 c0 1f 8c 8d 40 50 1e d3 50 60 60 60 78 44 23 50',       3",
            "'single PPS',                  '68 ce 3c 80',                                                 1",
            "'single IDR, first slice',     '65 b8 00 04 00 00 0c e2',                                     3",
            "'single IDR, later slice',     '65 38 00 04 00 00 0c e2',                                     0",
            "'single slice, first',         '61 e0 00 40 00 be 40 ce',                                     1",
            "'single slice, later',         '61 60 00 40 00 be 40 ce',                                     0",
            "'single SEI',                  '06 05 02 aa bb 80',                                           1",
            "'STAP-A PPS then IDR',         '78 00 04 68 ce 3c 80 00 04 65 b8 00 04',                      3",
            "'STAP-A SPS, PPS, IDR',        '78 00 04 67 42 c0 1f 00 04 68 ce 3c 80 00 02 65 b8',          3",
            "'FU-A start IDR',              '7c 85 b8 00 04',                                              3",
            "'FU-A start IDR later slice',  '7c 85 38 00 04',                                              0",
            "'FU-A end IDR',                '7c 45 5d 75',                                                 0",
            // malformed
            "'F bit set',                   'f8 00 04 68 ce 3c 80',                                       -1",
            "'STAP-A size past the end',    '78 00 12 67 42 c0 1f',                                       -1",
            "'STAP-A half a size field',    '78 00 04 68 ce 3c 80 00',                                    -1",
            "'STAP-A zero size',            '78 00 00',                                                   -1",
            "'STAP-A with nothing in it',   '78',                                                         -1",
            "'FU-A without a fragment',     '7c 85',                                                      -1",
            "'STAP-B (not in mode 1)',      '79 00 00 00 04 68 ce 3c 80',                                 -1",
            "'FU-B (not in mode 1)',        '7d 85 00 00 b8',                                             -1",
            "'NAL type 0',                  '60 00',                                                      -1",
    })
    void readsPayloadShapes(String name, String hex, int flags) {
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[]{(byte) 0xEE}, bytes); // payload at offset 1
        try {
            assertThat(H264Payload.flags(buf, 1, bytes.length)).isEqualTo(flags);
            assertThat(PacketMeta.h264(buf, 1, bytes.length)).isEqualTo(flags < 0 ? PacketMeta.INVALID
                    : PacketMeta.of(0, ((flags & FS) != 0 ? PacketMeta.FRAME_START : 0)
                    | ((flags & KF) != 0 ? PacketMeta.KEYFRAME : 0)));
        } finally {
            buf.release();
        }
    }

    @Test
    void emptyPayloadIsPadding() {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[]{(byte) 0xEE});
        try {
            assertThat(PacketMeta.h264(buf, 1, 0)).isEqualTo(PacketMeta.PADDING_ONLY);
            assertThat(H264Payload.flags(buf, 1, 0)).isEqualTo(H264Payload.MALFORMED);
        } finally {
            buf.release();
        }
    }
}
