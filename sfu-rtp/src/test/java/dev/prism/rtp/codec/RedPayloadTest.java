package dev.prism.rtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.rtp.packet.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 2198 RED payloads: Chromium 156's Opus RED packets (captured, {@link ChromiumRed}), then rows constructed from
 * RFC 2198 section 3 (block headers with F = 1, a final F = 0 header, data in header order) for what the capture
 * does not show: several redundant blocks, an empty primary, and malformed payloads.
 */
class RedPayloadTest {

    @Test
    void annotatedPacketIsTheCapturedOne() {
        assertThat(Hex.bytes(ChromiumRed.RED_2)).isEqualTo(ChromiumRed.packet("pub RTP red #2"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // label in the dump, redundant blocks, its ts offset, its length, primary PT, primary length
            "pub RTP red #1,       0,    0,    0,  111,  88", // first after silence (M=1): the primary alone
            "pub RTP red #2,       1,  960,   88,  111,  81", // #1's primary, 20 ms back, then its own
            "pub RTP red #3,       1,  960,   81,  111,  64",
    })
    void readsChromiumRed(String label, int blocks, int tsOffset, int redundantLength, int primaryPt,
                          int primaryLength) {
        byte[] packet = ChromiumRed.packet(label);
        ByteBuf buf = Unpooled.wrappedBuffer(packet);
        int at = ChromiumRed.PAYLOAD_OFFSET;
        RedPayload red = new RedPayload();
        assertThat(red.wrap(buf, at, packet.length - at)).isTrue();
        assertThat(red.redundantBlocks()).isEqualTo(blocks);
        assertThat(red.headerLength()).isEqualTo(4 * blocks + 1);
        assertThat(red.primaryPayloadType()).isEqualTo(primaryPt);
        assertThat(red.primaryLength()).isEqualTo(primaryLength);
        assertThat(red.primaryOffset()).isEqualTo(packet.length - primaryLength);
        if (blocks == 1) {
            assertThat(red.redundantPayloadType(0)).isEqualTo(111);
            assertThat(red.redundantTimestampOffset(0)).isEqualTo(tsOffset);
            assertThat(red.redundantLength(0)).isEqualTo(redundantLength);
            assertThat(red.redundantOffset(0)).isEqualTo(at + 5);
        }
    }

    @Test
    void redundancyIsTheCapturedPreviousPrimary() {
        byte[] first = ChromiumRed.packet("pub RTP red #1");
        byte[] second = ChromiumRed.packet("pub RTP red #2");
        RedPayload a = new RedPayload();
        RedPayload b = new RedPayload();
        ByteBuf fa = Unpooled.wrappedBuffer(first);
        ByteBuf sb = Unpooled.wrappedBuffer(second);
        int at = ChromiumRed.PAYLOAD_OFFSET;
        assertThat(a.wrap(fa, at, first.length - at)).isTrue();
        assertThat(b.wrap(sb, at, second.length - at)).isTrue();
        assertThat(ByteBufUtil.getBytes(sb, b.redundantOffset(0), b.redundantLength(0)))
                .isEqualTo(ByteBufUtil.getBytes(fa, a.primaryOffset(), a.primaryLength()));
    }

    /** Constructed per RFC 2198 section 3 (not captured). */
    @ParameterizedTest(name = "[{0}] {5}")
    @CsvSource(delimiter = '|', value = {
            // payload hex                              | blocks | primary PT | primary offset | primary length | why
            "6f aa bb                                   | 0 | 111 | 1  | 2 | primary alone",
            "00                                         | 0 | 0   | 1  | 0 | primary alone, empty (allowed)",
            "ef 0f 00 02 6f aa bb                       | 1 | 111 | 7  | 0 | redundancy only, empty primary",
            "ef 1e 00 01 ef 0f 00 02 6f aa bb bb cc dd  | 2 | 111 | 12 | 2 | two redundant blocks, 40 and 20 ms back",
            "8d 0f 00 01 00 aa bb bb                    | 1 | 0   | 6  | 2 | mixed codecs (PT 13 then PT 0), as RFC 2198",
    })
    void readsConstructed(String hex, int blocks, int primaryPt, int primaryOffset, int primaryLength, String why) {
        byte[] payload = HexFormat.of().parseHex(hex.replace(" ", ""));
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {1, 2, 3}, payload); // not at index 0
        RedPayload red = new RedPayload();
        assertThat(red.wrap(buf, 3, payload.length)).as(why).isTrue();
        assertThat(red.redundantBlocks()).isEqualTo(blocks);
        assertThat(red.primaryPayloadType()).isEqualTo(primaryPt);
        assertThat(red.primaryOffset()).isEqualTo(3 + primaryOffset);
        assertThat(red.primaryLength()).isEqualTo(primaryLength);
        if (blocks == 2) {
            assertThat(red.redundantTimestampOffset(0)).isEqualTo(1920);
            assertThat(red.redundantTimestampOffset(1)).isEqualTo(960);
            assertThat(red.redundantOffset(0)).isEqualTo(3 + 9);
            assertThat(red.redundantOffset(1)).isEqualTo(3 + 10);
        }
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @CsvSource(delimiter = '|', value = {
            "                                           | empty payload",
            "ef                                         | block header cut after 1 byte",
            "ef 0f 00                                   | block header cut after 3 bytes",
            "ef 0f 00 02                                | no F=0 header",
            "ef 0f 00 02 6f aa                          | redundant block longer than the payload",
            "ef 0f 03 ff ef 0f 03 ff 6f aa              | two 1023-byte blocks in a 10-byte payload",
    })
    void rejectsMalformed(String hex, String why) {
        byte[] payload = hex == null ? new byte[0] : HexFormat.of().parseHex(hex.replace(" ", ""));
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {1, 2, 3}, payload, new byte[] {(byte) 0x6f, 9, 9}); // after
        RedPayload red = new RedPayload();
        assertThat(red.wrap(buf, 3, payload.length)).as(why).isFalse();
        assertThat(red.primaryOffset()).isEqualTo(-1);
    }

    @Test
    void rewritesTheOpusBlocksPayloadTypeInPlace() {
        byte[] payload = HexFormat.of().parseHex("ef1e0001" + "8d0f0002" + "6f" + "aa" + "bbbb" + "ccdd");
        ByteBuf buf = Unpooled.wrappedBuffer(payload);
        RedPayload.rewriteBlockPayloadTypes(buf, 0, 111, 109);
        // F bits kept; the PT 13 block untouched; data untouched.
        assertThat(HexFormat.of().formatHex(payload)).isEqualTo("ed1e0001" + "8d0f0002" + "6d" + "aa" + "bbbb" + "ccdd");
    }
}
