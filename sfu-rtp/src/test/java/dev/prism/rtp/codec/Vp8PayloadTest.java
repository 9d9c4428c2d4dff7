package dev.prism.rtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.rtp.packet.ChromiumRtp;
import dev.prism.rtp.packet.Hex;
import dev.prism.rtp.packet.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class Vp8PayloadTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // name,                                         payload hex,                   descriptor, keyframe start
            // X=1 S=1 PID=0 | I=1 | M=1 picture id 0x1234 | frame header P=0 (key frame)
            "'chrome keyframe, 15-bit picture id',          '90 80 92 34 10 02 00 9d',       4, true",
            // same, frame header P=1 (inter frame)
            "'chrome delta frame',                          '90 80 92 35 11 02 00',          4, false",
            // X=1 I=1 L=1 T=1: picture id 7-bit 0x05, TL0PICIDX 0x07, TID byte 0x40; then key frame header
            "'picture id, tl0picidx and tid',               '90 e0 05 07 40 50 00',          5, true",
            // S=0: continuation of a partition, never a frame start
            "'continuation packet',                          '80 80 92 34 00 00',            4, false",
            // S=1 but PID=1: start of the second partition
            "'second partition start',                       '91 80 92 34 00',               4, false",
            // minimal descriptor, no extension byte
            "'minimal descriptor key frame',                 '10 00 00',                     1, true",
            // truncated: X set but nothing follows
            "'truncated extension byte',                     '90',                          -1, false",
            // truncated: I set with M=1 but only one picture id byte
            "'truncated picture id',                         '90 80 92',                    -1, false",
            "'empty payload',                                '',                            -1, false",
    })
    void readsDescriptorAndKeyframeStart(String name, String hex, int descriptorLength, boolean keyframe) {
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[]{(byte) 0xEE}, bytes); // payload at offset 1, like in a packet
        try {
            assertThat(Vp8Payload.descriptorLength(buf, 1, bytes.length)).isEqualTo(descriptorLength);
            assertThat(Vp8Payload.isKeyframeStart(buf, 1, bytes.length)).isEqualTo(keyframe);
        } finally {
            buf.release();
        }
    }

    static Stream<Arguments> chromiumPackets() {
        return Stream.of(
                Arguments.of("key frame start", ChromiumRtp.VP8_KEYFRAME_START, 4, true),
                Arguments.of("delta frame continuation", ChromiumRtp.VP8_CONTINUATION, 4, false));
    }

    /** Whole packets captured from Chromium 156: only the first packet of a key frame counts. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("chromiumPackets")
    void readsChromiumPackets(String name, String hex, int descriptorLength, boolean keyframe) {
        ByteBuf buf = Hex.directBufAt(3, hex);
        try {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(buf)).isTrue();
            assertThat(Vp8Payload.descriptorLength(buf, p.payloadOffset(), p.payloadLength()))
                    .isEqualTo(descriptorLength);
            assertThat(Vp8Payload.isKeyframeStart(buf, p.payloadOffset(), p.payloadLength())).isEqualTo(keyframe);
        } finally {
            buf.release();
        }
    }
}
