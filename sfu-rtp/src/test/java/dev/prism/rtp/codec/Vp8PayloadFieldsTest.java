package dev.prism.rtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The static field readers of {@link Vp8Payload}; -1 means absent (or a descriptor that does not fit). */
class Vp8PayloadFieldsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // name,                 payload hex,        pid bits, pid,  tl0, tid, sync, keyidx, frame start
            // X S PID=0 | I L T K | M pid=0x1234 | tl0=0x07 | TID=2 Y=1 KEYIDX=5 | vp8 header
            "'all fields',           '90 f0 92 34 07 a5 00',  15, 4660,   7,   2, true,     5, true",
            // X S | I T | 7-bit pid 0x05 | TID=1 Y=0 | vp8
            "'7-bit pid and tid',    '90 a0 05 40 01',         7,    5,  -1,   1, false,   -1, true",
            // X | K only: the TID byte exists but TID is not meaningful
            "'keyidx only',          '80 10 1f 00',            0,   -1,  -1,  -1, false,   31, false",
            // X | L only, continuation packet (S=0)
            "'tl0 only',             '80 40 fe 00',            0,   -1, 254,  -1, false,   -1, false",
            // S=1 but PID=2: not a frame start
            "'later partition',      '92 80 80 01 00',        15,    1,  -1,  -1, false,   -1, false",
            // no X: nothing but the first byte
            "'minimal descriptor',   '10 00',                  0,   -1,  -1,  -1, false,   -1, true",
            // truncated: L and T announced, only the pid present
            "'truncated after pid',  '90 e0 05',               0,   -1,  -1,  -1, false,   -1, false",
            // truncated: M set, second pid byte missing
            "'truncated 15-bit pid', '90 80 92',               0,   -1,  -1,  -1, false,   -1, false",
            "'empty',                '',                       0,   -1,  -1,  -1, false,   -1, false",
    })
    void readsFields(String name, String hex, int pidBits, int pid, int tl0, int tid, boolean sync, int keyIdx,
                     boolean frameStart) {
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[]{(byte) 0xEE, (byte) 0xEE}, bytes);
        try {
            int off = 2;
            int len = bytes.length;
            assertThat(Vp8Payload.pictureIdBits(buf, off, len)).isEqualTo(pidBits);
            assertThat(Vp8Payload.pictureId(buf, off, len)).isEqualTo(pid);
            assertThat(Vp8Payload.tl0PicIdx(buf, off, len)).isEqualTo(tl0);
            assertThat(Vp8Payload.temporalId(buf, off, len)).isEqualTo(tid);
            assertThat(Vp8Payload.layerSync(buf, off, len)).isEqualTo(sync);
            assertThat(Vp8Payload.keyIdx(buf, off, len)).isEqualTo(keyIdx);
            assertThat(Vp8Payload.isFrameStart(buf, off, len)).isEqualTo(frameStart);
        } finally {
            buf.release();
        }
    }

    /** The VP8 key frame header after the descriptor: frame tag, start code, 14-bit width and height (LE). */
    @Test
    void keyframeSizeIsReadFromTheFrameHeader() {
        io.netty.buffer.ByteBuf key = dev.prism.rtp.packet.Hex.buf("""
                90 80 80 01              // descriptor: X S | I | 15-bit picture id 1
                10 02 00 9d 01 2a        // frame tag (key frame), start code
                00 05 d0 02              // width 1280, height 720 (14 bits each, little-endian)
                """);
        io.netty.buffer.ByteBuf delta = dev.prism.rtp.packet.Hex.buf("90 80 80 01 11 02 00 9d 01 2a 00 05 d0 02");
        io.netty.buffer.ByteBuf badStart = dev.prism.rtp.packet.Hex.buf("90 80 80 01 10 02 00 9d 01 2b 00 05 d0 02");
        try {
            assertThat(Vp8Payload.keyframeWidth(key, 0, key.readableBytes())).isEqualTo(1280);
            assertThat(Vp8Payload.keyframeHeight(key, 0, key.readableBytes())).isEqualTo(720);
            assertThat(Vp8Payload.keyframeWidth(key, 0, key.readableBytes() - 1)).as("truncated").isEqualTo(-1);
            assertThat(Vp8Payload.keyframeWidth(delta, 0, delta.readableBytes())).as("not a key frame").isEqualTo(-1);
            assertThat(Vp8Payload.keyframeHeight(badStart, 0, badStart.readableBytes())).as("bad start code")
                    .isEqualTo(-1);
        } finally {
            key.release();
            delta.release();
            badStart.release();
        }
    }

    /** A retransmission puts back the counters its original copy carried, in the widths the descriptor has. */
    @Test
    void countersAreWrittenInPlaceInTheirOwnWidths() {
        io.netty.buffer.ByteBuf wide = dev.prism.rtp.packet.Hex.buf("90 f0 90 01 20 13 9d"); // 15-bit id, L, T/K
        io.netty.buffer.ByteBuf narrow = dev.prism.rtp.packet.Hex.buf("90 c0 05 20 9d");     // 7-bit id, L only
        io.netty.buffer.ByteBuf bare = dev.prism.rtp.packet.Hex.buf("10 9d");                // no extension byte
        try {
            assertThat(Vp8Payload.writeCounters(wide, 0, 7, 0x2345, 0x77, 9)).isTrue();
            assertThat(dev.prism.rtp.packet.Hex.hex(wide)).isEqualTo("90f0a34577099d");
            assertThat(Vp8Payload.writeCounters(narrow, 0, 5, 0x2345, -1, 9)).isTrue();
            assertThat(dev.prism.rtp.packet.Hex.hex(narrow)).as("7 bits kept, absent TL0PICIDX value ignored, no K")
                    .isEqualTo("90c045209d");
            assertThat(Vp8Payload.writeCounters(bare, 0, 2, 1, 2, 3)).isTrue();
            assertThat(dev.prism.rtp.packet.Hex.hex(bare)).isEqualTo("109d");
            assertThat(Vp8Payload.writeCounters(wide, 0, 3, 1, 2, 3)).as("truncated descriptor").isFalse();
        } finally {
            wide.release();
            narrow.release();
            bare.release();
        }
    }
}
