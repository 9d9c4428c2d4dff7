package dev.prism.rtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.rtp.packet.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Picture sizes from H.264 sequence parameter sets, for the layer heights the allocator reads. */
class H264SpsTest {
    @Test
    void readsChromiumsSpsInItsStapA() {
        // The fake camera of the capture was 640x480 (src/test/resources/captures/CAPTURED.md).
        byte[] packet = ChromiumH264.packet("pub RTP H264 STAP-A 7,8 #1");
        ByteBuf buf = Unpooled.wrappedBuffer(packet);
        try {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(buf)).isTrue();
            int d = H264Sps.dimensions(buf, p.payloadOffset(), p.payloadLength());
            assertThat(H264Sps.width(d)).isEqualTo(640);
            assertThat(H264Sps.height(d)).isEqualTo(480);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // name,                                payload hex,                                          w,    h
            "'captured SPS as a single NAL unit', '67 42 c0 1f 8c 8d 40 50 1e d3 50 60 60 60 78 44 23 50', 640,  480",
            // Constrained Baseline 120x68 macroblocks, frame_cropping bottom 4 (x2 lines for 4:2:0): 1920x1080;
            // written field by field (sps id 0, log2_max_frame_num 4, poc type 2, 1 ref frame, frame_mbs_only)
            "'1080p with bottom cropping',        '67 42 c0 28 da 01 e0 08 9f 95',                         1920, 1080",
            "'STAP-A with the PPS first',          '78 00 04 68 ce 3c 80 00 12 67 42 c0 1f 8c 8d 40 50 1e d3 50 60 60 60"
                    + " 78 44 23 50',                                                                    640,  480",
            "'PPS only',                           '68 ce 3c 80',                                           -1,  -1",
            "'IDR fragment',                       '7c 85 b8 00 04',                                        -1,  -1",
            "'SPS cut before the picture size',    '67 42 c0 1f 8c 8d',                                     -1,  -1",
            "'STAP-A size past the end',           '78 00 40 67 42 c0 1f',                                  -1,  -1",
            "'endless Exp-Golomb prefix',          '67 42 c0 1f 00 00 00 00 00 00',                         -1,  -1",
    })
    void readsPictureSizes(String name, String hex, int width, int height) {
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[]{(byte) 0xEE}, bytes);
        try {
            int d = H264Sps.dimensions(buf, 1, bytes.length);
            if (width < 0) {
                assertThat(d).isEqualTo(H264Sps.ABSENT);
            } else {
                assertThat(H264Sps.width(d)).isEqualTo(width);
                assertThat(H264Sps.height(d)).isEqualTo(height);
            }
        } finally {
            buf.release();
        }
    }
}
