package dev.prism.rtp.packet;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class RtxTest {
    /** Chrome's RTX retransmission (PT 97 for VP8 96) with a one-byte extension block and padding. */
    private static final String RTX = """
            b0 61 00 07              // V=2 P=1 X=1 CC=0 | M=0 PT=97 | RTX seq=7
            00 0b 5f 40              // timestamp=745280
            aa bb cc dd              // RTX SSRC
            be de 00 01              // one-byte extensions, 1 word
            22 12 34 56              // id=2 L=3: abs-send-time
            1a 2b                    // OSN = 0x1a2b (6699)
            90 80 80 01 9d           // original payload
            00 00 03                 // padding, count 3
            """;

    private static final String ORIGINAL = """
            b0 60 1a 2b              // V=2 P=1 X=1 CC=0 | M=0 PT=96 | seq=6699
            00 0b 5f 40              // timestamp=745280
            6a 3d 0f 11              // SSRC
            be de 00 01              // one-byte extensions, 1 word
            22 12 34 56              // id=2 L=3: abs-send-time
            90 80 80 01 9d           // payload
            00 00 03                 // padding, count 3
            """;

    @Test
    void unwrapTurnsAnRtxPacketBackIntoTheOriginalInPlace() {
        ByteBuf buf = Unpooled.buffer(64).writeBytes(Hex.bytes(RTX));
        try {
            RtpPacket view = new RtpPacket();
            assertThat(view.wrap(buf)).isTrue();
            int osn = Rtx.unwrapInPlace(buf, view.offset(), view.payloadOffset(), 0x6a3d0f11L, 96);
            assertThat(osn).isEqualTo(0x1a2b);
            assertThat(Hex.hex(buf)).isEqualTo(Hex.hex(Hex.buf(ORIGINAL)));
            assertThat(view.wrap(buf)).isTrue();
            assertThat(view.payloadLength()).isEqualTo(5);
            assertThat(view.paddingLength()).isEqualTo(3);
        } finally {
            buf.release();
        }
    }

    @Test
    void insertOsnThenUnwrapIsTheIdentity() {
        ByteBuf original = Hex.buf(ORIGINAL);
        ByteBuf out = Unpooled.buffer(64);
        try {
            RtpPacket view = new RtpPacket();
            assertThat(view.wrap(original)).isTrue();
            byte[] map = new byte[256];
            map[2] = 2;
            int written = view.copyRewritten(out, 0xaabbccddL, 7, view.timestamp(), 97, map);
            Rtx.insertOsn(out, written - view.payloadLength() - view.paddingLength(), 0x1a2b);
            assertThat(Hex.hex(out)).isEqualTo(Hex.hex(Hex.buf(RTX)));
            RtpPacket rtx = new RtpPacket();
            assertThat(rtx.wrap(out)).isTrue();
            Rtx.unwrapInPlace(out, rtx.offset(), rtx.payloadOffset(), 0x6a3d0f11L, 96);
            assertThat(Hex.hex(out)).isEqualTo(Hex.hex(original));
        } finally {
            original.release();
            out.release();
        }
    }

    @Test
    void worksOnBuffersWithoutABackingArray() {
        ByteBuf buf = Hex.directBufAt(3, RTX);
        try {
            RtpPacket view = new RtpPacket();
            assertThat(view.wrap(buf)).isTrue();
            Rtx.unwrapInPlace(buf, view.offset(), view.payloadOffset(), 0x6a3d0f11L, 96);
            assertThat(Hex.hex(buf)).isEqualTo(Hex.hex(Hex.buf(ORIGINAL)));
        } finally {
            buf.release();
        }
    }
}
