package dev.prism.rtp.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtpPacketTest {
    /** Junk bytes before each packet, so offsets are checked as absolute buffer indices. */
    private static final int PREFIX = 7;

    record Expect(int pt, boolean marker, int seq, long ts, long ssrc, int cc, boolean padding, int profile,
                  int payloadOffset, int payloadLength, int paddingLength, int length) {
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("VP8 one-byte ext", RtpSamples.VP8,
                        new Expect(96, true, 0x1a2b, 745280, 0x6a3d0f11L, 0, false, 0xBEDE, 28, 14, 0, 42)),
                Arguments.of("Opus audio level", RtpSamples.OPUS,
                        new Expect(111, false, 1000, 15360, 0x11223344L, 0, false, 0xBEDE, 24, 8, 0, 32)),
                Arguments.of("CSRCs", RtpSamples.CSRC,
                        new Expect(96, false, 5, 100, 1, 2, false, -1, 20, 4, 0, 24)),
                Arguments.of("padding", RtpSamples.PADDED,
                        new Expect(96, false, 6, 100, 1, 0, true, -1, 12, 2, 4, 18)),
                Arguments.of("padding only probe", RtpSamples.PADDING_ONLY,
                        new Expect(96, false, 6700, 745280, 0x6a3d0f11L, 0, true, 0xBEDE, 20, 0, 16, 36)),
                Arguments.of("two-byte ext", RtpSamples.TWO_BYTE,
                        new Expect(96, false, 7, 200, 1, 0, false, 0x1000, 28, 2, 0, 30)),
                Arguments.of("CSRC + ext + padding", RtpSamples.CSRC_EXT_PADDED,
                        new Expect(96, true, 65535, 0xffffffffL, 1, 1, true, 0xBEDE, 24, 3, 2, 29)),
                // Captured from Chromium 156 (see ChromiumRtp).
                Arguments.of("Chromium Opus", ChromiumRtp.OPUS,
                        new Expect(111, false, 1319, 3748148833L, 0x987ff1ddL, 0, false, 0xBEDE, 28, 80, 0, 108)),
                Arguments.of("Chromium VP8 key frame start", ChromiumRtp.VP8_KEYFRAME_START,
                        new Expect(96, false, 8809, 4184299583L, 0xb95500a9L, 0, false, 0xBEDE, 28, 1131, 0, 1159)),
                Arguments.of("Chromium VP8 continuation, marker", ChromiumRtp.VP8_CONTINUATION,
                        new Expect(96, true, 8808, 4184293643L, 0xb95500a9L, 0, false, 0xBEDE, 28, 687, 0, 715)),
                Arguments.of("Chromium RTX padding probe", ChromiumRtp.RTX_PADDING_PROBE,
                        new Expect(97, false, 882, 4184295713L, 0x8ee0286cL, 0, true, 0xBEDE, 28, 0, 255, 283)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parsesHeaderFields(String name, String hex, Expect e) {
        ByteBuf buf = Hex.directBufAt(PREFIX, hex);
        try {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(buf)).isTrue();
            assertThat(p.buffer()).isSameAs(buf);
            assertThat(p.offset()).isEqualTo(PREFIX);
            assertThat(p.version()).isEqualTo(2);
            assertThat(p.payloadType()).isEqualTo(e.pt());
            assertThat(p.marker()).isEqualTo(e.marker());
            assertThat(p.sequenceNumber()).isEqualTo(e.seq());
            assertThat(p.timestamp()).isEqualTo(e.ts());
            assertThat(p.ssrc()).isEqualTo(e.ssrc());
            assertThat(p.csrcCount()).isEqualTo(e.cc());
            assertThat(p.padding()).isEqualTo(e.padding());
            assertThat(p.hasExtension()).isEqualTo(e.profile() >= 0);
            assertThat(p.extensionProfile()).isEqualTo(e.profile());
            assertThat(p.payloadOffset()).isEqualTo(PREFIX + e.payloadOffset());
            assertThat(p.payloadLength()).isEqualTo(e.payloadLength());
            assertThat(p.paddingLength()).isEqualTo(e.paddingLength());
            assertThat(p.length()).isEqualTo(e.length());
            assertThat(p.headerLength()).isEqualTo(e.payloadOffset());
            // A view never moves indices.
            assertThat(buf.readerIndex()).isEqualTo(PREFIX);
            assertThat(buf.writerIndex()).isEqualTo(PREFIX + e.length());
        } finally {
            buf.release();
        }
    }

    static Stream<Arguments> extensions() {
        return Stream.of(
                // packet, id, data offset from packet start (-1 = absent), data length
                Arguments.of("VP8 abs-send-time", RtpSamples.VP8, 2, 17, 3),
                Arguments.of("VP8 transport-cc", RtpSamples.VP8, 4, 21, 2),
                Arguments.of("VP8 mid", RtpSamples.VP8, 9, 24, 1),
                Arguments.of("VP8 absent id", RtpSamples.VP8, 3, -1, 0),
                Arguments.of("VP8 id 0 is never an element", RtpSamples.VP8, 0, -1, 0),
                Arguments.of("VP8 id 15 is never an element", RtpSamples.VP8, 15, -1, 0),
                Arguments.of("Opus audio level", RtpSamples.OPUS, 1, 17, 1),
                Arguments.of("Opus transport-cc", RtpSamples.OPUS, 3, 19, 2),
                Arguments.of("probe transport-cc", RtpSamples.PADDING_ONLY, 4, 17, 2),
                Arguments.of("two-byte empty element", RtpSamples.TWO_BYTE, 5, 18, 0),
                Arguments.of("two-byte id 17", RtpSamples.TWO_BYTE, 17, 20, 3),
                Arguments.of("two-byte id 22 after a padding byte", RtpSamples.TWO_BYTE, 22, 26, 2),
                Arguments.of("two-byte id 256 out of range", RtpSamples.TWO_BYTE, 256, -1, 0),
                Arguments.of("no extension block", RtpSamples.CSRC, 1, -1, 0),
                Arguments.of("after CSRC", RtpSamples.CSRC_EXT_PADDED, 2, 21, 3),
                Arguments.of("Chromium Opus abs-send-time", ChromiumRtp.OPUS, 2, 17, 3),
                Arguments.of("Chromium Opus transport-cc", ChromiumRtp.OPUS, 3, 21, 2),
                Arguments.of("Chromium Opus mid", ChromiumRtp.OPUS, 4, 24, 1),
                Arguments.of("Chromium Opus audio level, last element", ChromiumRtp.OPUS, 1, 26, 1),
                Arguments.of("Chromium VP8 mid", ChromiumRtp.VP8_KEYFRAME_START, 4, 24, 1),
                Arguments.of("Chromium VP8 has no audio level", ChromiumRtp.VP8_KEYFRAME_START, 1, -1, 0),
                Arguments.of("Chromium probe mid, first element", ChromiumRtp.RTX_PADDING_PROBE, 4, 17, 1),
                Arguments.of("Chromium probe transport-cc", ChromiumRtp.RTX_PADDING_PROBE, 3, 19, 2),
                Arguments.of("Chromium probe abs-send-time", ChromiumRtp.RTX_PADDING_PROBE, 2, 22, 3),
                Arguments.of("element overrunning the block ends the walk", """
                        90 60 00 01 00 00 00 01 00 00 00 01   // header, X=1
                        be de 00 02                           // one-byte extensions, 2 words
                        10 ba                                 // id=1 L=1
                        2f 01 02 03 04 05                     // id=2 L=16: runs past the block
                        """, 2, -1, 0),
                Arguments.of("elements before an overrun stay usable", """
                        90 60 00 01 00 00 00 01 00 00 00 01   // header, X=1
                        be de 00 02                           // one-byte extensions, 2 words
                        10 ba                                 // id=1 L=1
                        2f 01 02 03 04 05                     // id=2 L=16: runs past the block
                        """, 1, 17, 1),
                Arguments.of("id 15 ends the one-byte block", """
                        90 60 00 01 00 00 00 01 00 00 00 01   // header, X=1
                        be de 00 02                           // one-byte extensions, 2 words
                        10 ba                                 // id=1 L=1
                        f0                                    // id=15: stop here
                        20 aa 00 00 00                        // id=2 L=1, never reached | padding
                        """, 2, -1, 0),
                Arguments.of("two-byte element header cut by the block end", """
                        90 60 00 01 00 00 00 01 00 00 00 01   // header, X=1
                        10 00 00 01                           // two-byte extensions, 1 word
                        00 00 00 07                           // padding x3 | id=7 without its length byte
                        """, 7, -1, 0),
                Arguments.of("opaque profile", """
                        90 60 00 01 00 00 00 01 00 00 00 01   // header, X=1
                        ab cd 00 01                           // profile 0xabcd, 1 word
                        10 ba 00 00                           // looks like id=1 but the profile is unknown
                        """, 1, -1, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("extensions")
    void findsExtensions(String name, String hex, int id, int dataOffset, int dataLength) {
        ByteBuf buf = Hex.directBufAt(PREFIX, hex);
        try {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(buf)).isTrue();
            int found = p.findExtension(id);
            if (dataOffset < 0) {
                assertThat(found).isEqualTo(-1);
            } else {
                assertThat(found).isNotNegative();
                assertThat(RtpPacket.extensionOffset(found)).isEqualTo(PREFIX + dataOffset);
                assertThat(RtpPacket.extensionLength(found)).isEqualTo(dataLength);
            }
        } finally {
            buf.release();
        }
    }

    static Stream<Arguments> chromiumExtensionValues() {
        return Stream.of(
                // packet, id, value of the element's bytes as an unsigned big-endian number
                Arguments.of("Opus audio level: V=1, level 7", ChromiumRtp.OPUS, 1, 0x87),
                Arguments.of("Opus abs-send-time", ChromiumRtp.OPUS, 2, 0xa69f01),
                Arguments.of("Opus transport-cc seq", ChromiumRtp.OPUS, 3, 20),
                Arguments.of("Opus mid \"0\"", ChromiumRtp.OPUS, 4, '0'),
                Arguments.of("VP8 transport-cc seq", ChromiumRtp.VP8_KEYFRAME_START, 3, 22),
                Arguments.of("VP8 continuation transport-cc seq", ChromiumRtp.VP8_CONTINUATION, 3, 19),
                Arguments.of("VP8 mid \"1\"", ChromiumRtp.VP8_KEYFRAME_START, 4, '1'),
                Arguments.of("probe transport-cc seq", ChromiumRtp.RTX_PADDING_PROBE, 3, 21),
                Arguments.of("probe abs-send-time", ChromiumRtp.RTX_PADDING_PROBE, 2, 0xa6ac6b));
    }

    /** The transport-wide sequence numbers run across audio, video and probes: one counter per connection. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("chromiumExtensionValues")
    void readsChromiumExtensionValues(String name, String hex, int id, int value) {
        ByteBuf buf = Hex.directBufAt(PREFIX, hex);
        try {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(buf)).isTrue();
            int found = p.findExtension(id);
            assertThat(found).isNotNegative();
            int v = 0;
            for (int i = 0; i < RtpPacket.extensionLength(found); i++) {
                v = v << 8 | buf.getUnsignedByte(RtpPacket.extensionOffset(found) + i);
            }
            assertThat(v).isEqualTo(value);
        } finally {
            buf.release();
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty", ""),
                Arguments.of("too short: 11 bytes", "80 60 00 01 00 00 00 64 00 00 00"),
                Arguments.of("version 0", "00 60 00 01 00 00 00 64 00 00 00 01"),
                Arguments.of("version 1", "40 60 00 01 00 00 00 64 00 00 00 01"),
                Arguments.of("version 3", "c0 60 00 01 00 00 00 64 00 00 00 01"),
                Arguments.of("CSRC count past end", """
                        82 60 00 05 00 00 00 64 00 00 00 01   // CC=2
                        00 00 00 0a                           // only one CSRC
                        """),
                Arguments.of("CC=15 with no CSRCs", "8f 60 00 05 00 00 00 64 00 00 00 01 de ad be ef"),
                Arguments.of("extension header past end", """
                        90 60 00 07 00 00 00 c8 00 00 00 01   // X=1
                        be de                                 // half an extension header
                        """),
                Arguments.of("extension length past end", """
                        90 60 00 07 00 00 00 c8 00 00 00 01   // X=1
                        be de 00 03                           // 3 words declared
                        22 12 34 56                           // only 1 present
                        """),
                Arguments.of("extension after CSRC past end", """
                        91 60 00 07 00 00 00 c8 00 00 00 01   // X=1 CC=1
                        00 00 00 0a                           // CSRC
                        be de 00 01                           // 1 word declared, none present
                        """),
                Arguments.of("padding count larger than payload", """
                        a0 60 00 06 00 00 00 64 00 00 00 01   // P=1
                        ca fe 00 05                           // 4 bytes after the header, count 5
                        """),
                Arguments.of("padding count 0", """
                        a0 60 00 06 00 00 00 64 00 00 00 01   // P=1
                        ca fe 00 00                           // count 0: must include itself
                        """),
                Arguments.of("padding bit but nothing after the header",
                        "a0 60 00 06 00 00 00 64 00 00 00 01"),
                Arguments.of("Chromium Opus cut inside its extension block", cut(ChromiumRtp.OPUS, 22, 108)),
                Arguments.of("Chromium probe missing 10 of its 255 padding bytes",
                        cut(ChromiumRtp.RTX_PADDING_PROBE, 30, 40)),
                Arguments.of("padding reaching into the extension block", """
                        b0 60 00 06 00 00 00 64 00 00 00 01   // P=1 X=1
                        be de 00 01 10 ba 00 00               // extensions
                        ca fe 00 09                           // count 9 > the 4 bytes after the extensions
                        """));
    }

    /** {@code hex} without its bytes {@code [from, to)}, as plain hex. */
    private static String cut(String hex, int from, int to) {
        byte[] b = Hex.bytes(hex);
        byte[] out = new byte[b.length - (to - from)];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(b, to, out, from, b.length - to);
        return java.util.HexFormat.of().formatHex(out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformed(String name, String hex) {
        byte[] bytes = Hex.bytes(hex);
        ByteBuf buf = Hex.directBufAt(PREFIX, hex);
        try {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(buf)).isFalse();
            assertThat(p.isWrapped()).isFalse();
            // The buffer is untouched.
            assertThat(buf.readerIndex()).isEqualTo(PREFIX);
            assertThat(buf.writerIndex()).isEqualTo(PREFIX + bytes.length);
            assertThat(Hex.hex(buf)).isEqualTo(Hex.hex(bytes));
        } finally {
            buf.release();
        }
    }

    @Test
    void failedWrapClearsAPreviouslyWrappedView() {
        ByteBuf good = Hex.buf(RtpSamples.VP8);
        ByteBuf bad = Hex.buf("40 60 00 01 00 00 00 64 00 00 00 01");
        try {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(good)).isTrue();
            assertThat(p.wrap(bad)).isFalse();
            assertThat(p.isWrapped()).isFalse();
            assertThat(p.buffer()).isNull();
            assertThat(p.findExtension(2)).isEqualTo(-1);
        } finally {
            good.release();
            bad.release();
        }
    }

    @Test
    void readsCsrcs() {
        ByteBuf buf = Hex.buf(RtpSamples.CSRC);
        try {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(buf)).isTrue();
            assertThat(p.csrc(0)).isEqualTo(10);
            assertThat(p.csrc(1)).isEqualTo(11);
            assertThatThrownBy(() -> p.csrc(2)).isInstanceOf(IndexOutOfBoundsException.class);
        } finally {
            buf.release();
        }
    }

    @Test
    void settersWriteInPlace() {
        ByteBuf buf = Hex.directBufAt(PREFIX, RtpSamples.VP8);
        try {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(buf)).isTrue();
            p.setSsrc(0xfedcba98L);
            p.setSequenceNumber(65535);
            p.setTimestamp(0x1_0000_0005L); // only the low 32 bits
            p.setPayloadType(100);          // marker stays set
            assertThat(p.marker()).isTrue();
            assertThat(p.payloadType()).isEqualTo(100);
            p.setMarker(false);
            assertThat(p.marker()).isFalse();
            assertThat(p.payloadType()).isEqualTo(100);
            p.setMarker(true);
            byte[] expected = Hex.bytes(RtpSamples.VP8.replace("90 e0 1a 2b", "90 e4 ff ff")
                    .replace("00 0b 5f 40", "00 00 00 05").replace("6a 3d 0f 11", "fe dc ba 98"));
            assertThat(Hex.hex(buf)).isEqualTo(Hex.hex(expected));
            assertThat(p.sequenceNumber()).isEqualTo(65535);
            assertThat(p.timestamp()).isEqualTo(5);
            assertThat(p.ssrc()).isEqualTo(0xfedcba98L);
        } finally {
            buf.release();
        }
    }

    @Test
    void viewIsReusableAcrossPackets() {
        ByteBuf a = Hex.buf(RtpSamples.VP8);
        ByteBuf b = Hex.buf(RtpSamples.OPUS);
        try {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(a)).isTrue();
            assertThat(p.payloadType()).isEqualTo(96);
            assertThat(p.wrap(b)).isTrue();
            assertThat(p.payloadType()).isEqualTo(111);
            assertThat(p.findExtension(9)).isEqualTo(-1);
            assertThat(p.findExtension(1)).isNotNegative();
        } finally {
            a.release();
            b.release();
        }
    }
}
