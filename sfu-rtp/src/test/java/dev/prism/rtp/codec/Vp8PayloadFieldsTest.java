package dev.prism.rtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
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
}
