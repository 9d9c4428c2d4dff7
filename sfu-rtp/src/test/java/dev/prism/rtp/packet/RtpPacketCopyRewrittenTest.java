package dev.prism.rtp.packet;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtpPacketCopyRewrittenTest {
    private static final long SSRC = 0x01020304L;
    private static final int SEQ = 100;
    private static final long TS = 90000;
    private static final int PT = 98;

    /** extIdMap from pairs (inId, outId). */
    private static byte[] map(int... pairs) {
        byte[] m = new byte[256];
        for (int i = 0; i < pairs.length; i += 2) {
            m[pairs[i]] = (byte) pairs[i + 1];
        }
        return m;
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("remap ids, one-byte stays one-byte", RtpSamples.VP8, map(2, 3, 4, 5, 9, 1), """
                        90 e2 00 64              // X=1 | M=1 PT=98 | seq=100
                        00 01 5f 90              // timestamp=90000
                        01 02 03 04              // SSRC
                        be de 00 03              // one-byte, 3 words
                        32 12 34 56              // id=3 L=3 abs-send-time
                        51 00 2a                 // id=5 L=2 transport-cc
                        10 30                    // id=1 L=1 mid
                        00 00 00                 // padding
                        90 80 80 01 10 02 00 9d 01 2a 80 02 e0 01   // payload as is
                        """),
                Arguments.of("drop elements, block shrinks", RtpSamples.VP8, map(4, 4), """
                        90 e2 00 64 00 01 5f 90 01 02 03 04   // header, X=1
                        be de 00 01              // one-byte, 1 word
                        41 00 2a 00              // id=4 L=2 transport-cc | padding
                        90 80 80 01 10 02 00 9d 01 2a 80 02 e0 01
                        """),
                Arguments.of("out id 20 switches to two-byte", RtpSamples.VP8, map(2, 2, 4, 4, 9, 20), """
                        90 e2 00 64 00 01 5f 90 01 02 03 04   // header, X=1
                        10 00 00 03              // two-byte (0x1000), 3 words
                        02 03 12 34 56           // id=2 L=3
                        04 02 00 2a              // id=4 L=2
                        14 01 30                 // id=20 L=1
                        90 80 80 01 10 02 00 9d 01 2a 80 02 e0 01
                        """),
                Arguments.of("out id 15 is reserved in one-byte: two-byte", RtpSamples.OPUS, map(1, 15), """
                        90 62 00 64 00 01 5f 90 01 02 03 04   // X=1 | M=0 PT=98 | seq=100 ...
                        10 00 00 01              // two-byte, 1 word
                        0f 01 ba 00              // id=15 L=1 audio level | padding
                        78 0b e4 c1 36 ec c5 8d
                        """),
                Arguments.of("out id 255 (unsigned map byte)", RtpSamples.OPUS, map(3, 255), """
                        90 62 00 64 00 01 5f 90 01 02 03 04
                        10 00 00 01              // two-byte, 1 word
                        ff 02 00 2b              // id=255 L=2
                        78 0b e4 c1 36 ec c5 8d
                        """),
                Arguments.of("two-byte input fits one-byte output", RtpSamples.TWO_BYTE, map(5, 0, 17, 1, 22, 2), """
                        90 62 00 64 00 01 5f 90 01 02 03 04
                        be de 00 02              // one-byte, 2 words
                        12 aa bb cc              // id=1 L=3
                        21 01 02                 // id=2 L=2
                        00                       // padding
                        f0 0d
                        """),
                Arguments.of("empty element keeps two-byte", RtpSamples.TWO_BYTE, map(5, 5), """
                        90 62 00 64 00 01 5f 90 01 02 03 04
                        10 00 00 01              // two-byte, 1 word
                        05 00 00 00              // id=5 L=0 | padding
                        f0 0d
                        """),
                Arguments.of("17-byte element keeps two-byte", """
                        90 60 00 07 00 00 00 c8 00 00 00 01   // X=1
                        10 00 00 05              // two-byte, 5 words
                        01 11 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10   // id=1 L=17
                        00                       // padding
                        f0 0d
                        """, map(1, 1), """
                        90 62 00 64 00 01 5f 90 01 02 03 04
                        10 00 00 05
                        01 11 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
                        00
                        f0 0d
                        """),
                Arguments.of("nothing left: no block, X cleared", RtpSamples.VP8, map(), """
                        80 e2 00 64 00 01 5f 90 01 02 03 04   // X=0 | M=1 PT=98
                        90 80 80 01 10 02 00 9d 01 2a 80 02 e0 01
                        """),
                Arguments.of("null map drops everything", RtpSamples.OPUS, null, """
                        80 62 00 64 00 01 5f 90 01 02 03 04
                        78 0b e4 c1 36 ec c5 8d
                        """),
                Arguments.of("ids beyond a short map are dropped", RtpSamples.VP8, new byte[] {0, 0, 2, 0, 4}, """
                        90 e2 00 64 00 01 5f 90 01 02 03 04
                        be de 00 02              // one-byte, 2 words
                        22 12 34 56              // id=2
                        41 00 2a 00              // id=4 | padding (mid, id 9, is beyond the map)
                        90 80 80 01 10 02 00 9d 01 2a 80 02 e0 01
                        """),
                Arguments.of("CSRCs and padding copied as is", RtpSamples.CSRC_EXT_PADDED, map(2, 7), """
                        b1 e2 00 64              // P=1 X=1 CC=1 | M=1 PT=98 | seq=100
                        00 01 5f 90 01 02 03 04
                        00 00 00 0a              // CSRC 10
                        be de 00 01
                        72 01 02 03              // id=7 L=3
                        aa bb cc                 // payload
                        00 02                    // padding, count 2
                        """),
                Arguments.of("no extension, padding", RtpSamples.PADDED, map(), """
                        a0 62 00 64 00 01 5f 90 01 02 03 04
                        ca fe 00 00 00 04
                        """),
                Arguments.of("opaque profile dropped", """
                        90 60 00 01 00 00 00 01 00 00 00 01   // X=1
                        ab cd 00 01 10 ba 00 00               // profile 0xabcd
                        f0 0d
                        """, map(1, 1), """
                        80 62 00 64 00 01 5f 90 01 02 03 04
                        f0 0d
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void copiesRewritten(String name, String input, byte[] extIdMap, String expected) {
        ByteBuf src = Hex.directBufAt(3, input);
        ByteBuf dst = Unpooled.directBuffer(256, 256);
        try {
            dst.writeBytes(new byte[] {9, 9}); // output appends after what is already there
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(src)).isTrue();
            int n = p.copyRewritten(dst, SSRC, SEQ, TS, PT, extIdMap);
            byte[] want = Hex.bytes(expected);
            assertThat(n).isEqualTo(want.length);
            assertThat(dst.writerIndex()).isEqualTo(2 + want.length);
            assertThat(Hex.hex(dst.slice(2, n))).isEqualTo(Hex.hex(want));

            // The copy is a well-formed packet with the new header fields and the same payload.
            RtpPacket out = new RtpPacket();
            assertThat(out.wrap(dst.slice(2, n))).isTrue();
            assertThat(out.ssrc()).isEqualTo(SSRC);
            assertThat(out.sequenceNumber()).isEqualTo(SEQ);
            assertThat(out.timestamp()).isEqualTo(TS);
            assertThat(out.payloadType()).isEqualTo(PT);
            assertThat(out.marker()).isEqualTo(p.marker());
            assertThat(out.payloadLength()).isEqualTo(p.payloadLength());
            assertThat(out.paddingLength()).isEqualTo(p.paddingLength());
            // The source is untouched.
            assertThat(Hex.hex(src)).isEqualTo(Hex.hex(Hex.bytes(input)));
        } finally {
            src.release();
            dst.release();
        }
    }

    static Stream<Arguments> appended() {
        return Stream.of(
                Arguments.of("the source's own element dropped, ours added after the kept ones", RtpSamples.VP8,
                        map(2, 2), 3, """
                        90 e2 00 64 00 01 5f 90 01 02 03 04   // X=1 | M=1 PT=98 ...
                        be de 00 02              // one-byte, 2 words
                        22 12 34 56              // id=2 L=3 abs-send-time, kept
                        31 00 00                 // id=3 L=2: ours, zeros for the caller to fill
                        00                       // padding
                        90 80 80 01 10 02 00 9d 01 2a 80 02 e0 01
                        """),
                Arguments.of("nothing else kept: a block of its own", RtpSamples.OPUS, null, 3, """
                        90 62 00 64 00 01 5f 90 01 02 03 04   // X=1
                        be de 00 01              // one-byte, 1 word
                        31 00 00 00              // id=3 L=2 | padding
                        78 0b e4 c1 36 ec c5 8d
                        """),
                Arguments.of("no extension at all in the source", RtpSamples.PADDED, map(), 3, """
                        b0 62 00 64 00 01 5f 90 01 02 03 04   // P=1 X=1
                        be de 00 01
                        31 00 00 00
                        ca fe 00 00 00 04        // payload and padding as they were
                        """),
                Arguments.of("an id above 14 makes the block two-byte", RtpSamples.OPUS, map(1, 1), 20, """
                        90 62 00 64 00 01 5f 90 01 02 03 04
                        10 00 00 02              // two-byte, 2 words
                        01 01 ba                 // id=1 L=1 audio level
                        14 02 00 00              // id=20 L=2: ours
                        00                       // padding
                        78 0b e4 c1 36 ec c5 8d
                        """),
                Arguments.of("an opaque block is still dropped", """
                        90 60 00 01 00 00 00 01 00 00 00 01   // X=1
                        ab cd 00 01 10 ba 00 00               // profile 0xabcd
                        f0 0d
                        """, map(1, 1), 3, """
                        90 62 00 64 00 01 5f 90 01 02 03 04
                        be de 00 01 31 00 00 00
                        f0 0d
                        """));
    }

    /** A forwarder numbering packets itself (transport-wide sequence numbers) asks for an empty element to fill. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("appended")
    void appendsAnElementOfItsOwn(String name, String input, byte[] extIdMap, int appendId, String expected) {
        ByteBuf src = Hex.buf(input);
        ByteBuf dst = Unpooled.buffer(256, 256);
        try {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(src)).isTrue();
            int n = p.copyRewritten(dst, SSRC, SEQ, TS, PT, extIdMap, appendId, 2);
            assertThat(Hex.hex(dst.slice(0, n))).isEqualTo(Hex.hex(Hex.bytes(expected)));
            RtpPacket out = new RtpPacket();
            assertThat(out.wrap(dst.slice(0, n))).isTrue();
            int found = out.findExtension(appendId);
            assertThat(found).isNotNegative();
            assertThat(RtpPacket.extensionLength(found)).isEqualTo(2);
            assertThat(out.payloadLength()).isEqualTo(p.payloadLength());
        } finally {
            src.release();
            dst.release();
        }
    }

    @Test
    void anAppendedElementThatDoesNotFitLeavesTheDestinationAlone() {
        ByteBuf src = Hex.buf(RtpSamples.OPUS);
        ByteBuf dst = Unpooled.buffer(24, 24); // the 20-byte copy without extensions fits; with one it does not
        try {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(src)).isTrue();
            assertThat(p.copyRewritten(dst, SSRC, SEQ, TS, PT, null, 3, 2)).isEqualTo(-1);
            assertThat(dst.writerIndex()).isZero();
        } finally {
            src.release();
            dst.release();
        }
    }

    /** What a Consumer does to Chromium's Opus: keep only the audio level (id 1 -> 1), new SSRC, seq, ts and PT. */
    @Test
    void chromiumOpusKeepsOnlyItsAudioLevel() {
        ByteBuf src = Hex.buf(ChromiumRtp.OPUS);
        ByteBuf dst = Unpooled.buffer(256);
        try {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(src)).isTrue();
            int n = p.copyRewritten(dst, SSRC, SEQ, TS, PT, map(1, 1));
            assertThat(Hex.hex(dst.slice(0, 20))).isEqualTo(Hex.hex(Hex.bytes("""
                    90 62 00 64 00 01 5f 90 01 02 03 04   // X=1 PT=98 seq 100 ts 90000 SSRC 0x01020304
                    be de 00 01 10 87 00 00               // one word: audio level V=1 level 7, padding
                    """)));
            assertThat(n).isEqualTo(20 + 80);
            assertThat(Hex.hex(dst.slice(20, 80))).isEqualTo(Hex.hex(src.slice(28, 80)));
        } finally {
            src.release();
            dst.release();
        }
    }

    @Test
    void payloadTypeUsesSevenBitsAndKeepsTheMarker() {
        ByteBuf src = Hex.buf(RtpSamples.VP8);
        ByteBuf dst = Unpooled.buffer(128);
        try {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(src)).isTrue();
            assertThat(p.copyRewritten(dst, SSRC, SEQ, TS, 0x80 | 35, null)).isPositive();
            assertThat((int) dst.getUnsignedByte(1)).isEqualTo(0x80 | 35); // marker from the source, PT 35
        } finally {
            src.release();
            dst.release();
        }
    }

    @Test
    void remappedElementIsFoundUnderItsNewId() {
        ByteBuf src = Hex.buf(RtpSamples.VP8);
        ByteBuf dst = Unpooled.buffer(128);
        try {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(src)).isTrue();
            assertThat(p.copyRewritten(dst, SSRC, SEQ, TS, PT, map(4, 20))).isPositive();
            RtpPacket out = new RtpPacket();
            assertThat(out.wrap(dst)).isTrue();
            assertThat(out.extensionProfile()).isEqualTo(RtpPacket.PROFILE_TWO_BYTE);
            int found = out.findExtension(20);
            assertThat(RtpPacket.extensionLength(found)).isEqualTo(2);
            assertThat(dst.getUnsignedShort(RtpPacket.extensionOffset(found))).isEqualTo(42);
            assertThat(out.findExtension(4)).isEqualTo(-1);
        } finally {
            src.release();
            dst.release();
        }
    }

    @Test
    void noRoomReturnsMinusOneAndLeavesDestinationUnchanged() {
        ByteBuf src = Hex.buf(RtpSamples.VP8);
        try {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(src)).isTrue();
            byte[] m = map(2, 2, 4, 4, 9, 9);
            // Same size as the input: 42 bytes. One byte short fails, even though the buffer could grow.
            ByteBuf small = Unpooled.buffer(41, 1024);
            ByteBuf exact = Unpooled.buffer(42, 42);
            try {
                small.writerIndex(0);
                assertThat(p.copyRewritten(small, SSRC, SEQ, TS, PT, m)).isEqualTo(-1);
                assertThat(small.writerIndex()).isZero();
                assertThat(small.capacity()).isEqualTo(41);
                assertThat(p.copyRewritten(exact, SSRC, SEQ, TS, PT, m)).isEqualTo(42);
                assertThat(p.copyRewritten(exact, SSRC, SEQ, TS, PT, m)).isEqualTo(-1);
                assertThat(exact.writerIndex()).isEqualTo(42);
            } finally {
                small.release();
                exact.release();
            }
        } finally {
            src.release();
        }
    }

    @Test
    void identityMapReproducesTheInputExceptHeaderFields() {
        byte[] identity = new byte[256];
        for (int i = 0; i < 256; i++) {
            identity[i] = (byte) i;
        }
        for (String sample : new String[] {RtpSamples.VP8, RtpSamples.OPUS, RtpSamples.CSRC, RtpSamples.PADDED,
                RtpSamples.PADDING_ONLY, RtpSamples.CSRC_EXT_PADDED, ChromiumRtp.OPUS, ChromiumRtp.VP8_KEYFRAME_START,
                ChromiumRtp.VP8_CONTINUATION, ChromiumRtp.RTX_PADDING_PROBE}) {
            ByteBuf src = Hex.buf(sample);
            ByteBuf dst = Unpooled.buffer(src.readableBytes());
            try {
                RtpPacket p = new RtpPacket();
                assertThat(p.wrap(src)).isTrue();
                int n = p.copyRewritten(dst, p.ssrc(), p.sequenceNumber(), p.timestamp(), p.payloadType(), identity);
                assertThat(n).isEqualTo(p.length());
                assertThat(Hex.hex(dst)).isEqualTo(Hex.hex(src));
            } finally {
                src.release();
                dst.release();
            }
        }
    }

    /** The element a copy appends is where {@code appendedDataOffset} says, in both element forms; -1 without one. */
    @Test
    void appendedDataOffsetNamesTheAppendedElementsData() {
        ByteBuf src = Hex.buf("""
                90 60 00 64  00 00 07 d0  00 00 0a 0a   // X set
                be de 00 01  10 05 00 00                // one-byte: id 1 (audio level) = 05, padding
                11 22
                """);
        RtpPacket view = new RtpPacket();
        assertThat(view.wrap(src)).isTrue();
        byte[] map = new byte[256];
        map[1] = 1;
        ByteBuf oneByte = Unpooled.buffer(64);
        ByteBuf twoByte = Unpooled.buffer(64);
        ByteBuf none = Unpooled.buffer(64);
        try {
            assertThat(view.copyRewritten(oneByte, 1, 2, 3, 96, map, 3, 2)).isPositive();
            // 12 header + 4 block header + "10 05" + "31" -> data at 19
            assertThat(view.appendedDataOffset()).isEqualTo(19);
            oneByte.setShort(19, 0xabcd);
            assertThat(Hex.hex(oneByte)).isEqualTo("906000020000000300000001" + "bede0002" + "100531abcd000000" + "1122");
            assertThat(view.copyRewritten(twoByte, 1, 2, 3, 96, map, 20, 2)).isPositive();
            // two-byte form: "01 01 05" then "14 02" -> data at 12 + 4 + 3 + 2 = 21
            assertThat(view.appendedDataOffset()).isEqualTo(21);
            assertThat(view.copyRewritten(none, 1, 2, 3, 96, map)).isPositive();
            assertThat(view.appendedDataOffset()).isEqualTo(-1);
        } finally {
            view.clear();
            src.release();
            oneByte.release();
            twoByte.release();
            none.release();
        }
    }
}
