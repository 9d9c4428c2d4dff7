package dev.prism.rtp.stun;

import static dev.prism.rtp.stun.StunTestVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StunMessageTest {
    private final TrackingAllocator alloc = new TrackingAllocator();

    @AfterEach
    void noLeaks() {
        alloc.assertAllReleased();
    }

    /** What a well-formed vector must decode to. {@code priority} -1 = absent; tie-breakers null = absent. */
    record Expect(int type, int method, int messageClass, String tid, String username, long priority,
                  Long controlling, Long controlled, boolean useCandidate, boolean integrity, boolean fingerprint,
                  InetSocketAddress xorMapped) {
    }

    static Stream<Arguments> wellFormed() {
        return Stream.of(
                Arguments.of("RFC 5769 2.1 request", StunTestVectors.RFC5769_REQUEST,
                        new Expect(0x0001, 1, StunMessage.CLASS_REQUEST, StunTestVectors.RFC5769_TID, "evtj:h6vY",
                                0x6e0001ffL, null, 0x932ff9b151263b36L, false, true, true, null)),
                Arguments.of("RFC 5769 2.2 IPv4 response", StunTestVectors.RFC5769_RESPONSE_IPV4,
                        new Expect(0x0101, 1, StunMessage.CLASS_SUCCESS_RESPONSE, StunTestVectors.RFC5769_TID, null,
                                -1, null, null, false, true, true, StunTestVectors.RFC5769_IPV4)),
                Arguments.of("RFC 5769 2.3 IPv6 response", StunTestVectors.RFC5769_RESPONSE_IPV6,
                        new Expect(0x0101, 1, StunMessage.CLASS_SUCCESS_RESPONSE, StunTestVectors.RFC5769_TID, null,
                                -1, null, null, false, true, true, StunTestVectors.RFC5769_IPV6)),
                Arguments.of("RFC 5769 2.4 long-term request", StunTestVectors.RFC5769_LONG_TERM_REQUEST,
                        new Expect(0x0001, 1, StunMessage.CLASS_REQUEST, "78ad3433c6ad72c029da412e",
                                StunTestVectors.RFC5769_LONG_TERM_USERNAME, -1, null, null, false, true, false, null)),
                Arguments.of("Chrome first check", StunTestVectors.CHROME_FIRST_CHECK,
                        new Expect(0x0001, 1, StunMessage.CLASS_REQUEST, "51474866784143755973514d",
                                "prsm:vwqF", StunTestVectors.CHROME_PRIORITY, StunTestVectors.CHROME_TIE_BREAKER, null,
                                false, true, true, null)),
                Arguments.of("Chrome nomination", StunTestVectors.CHROME_NOMINATION,
                        new Expect(0x0001, 1, StunMessage.CLASS_REQUEST, "44334c324639745674705752", "prsm:vwqF",
                                StunTestVectors.CHROME_PRIORITY, StunTestVectors.CHROME_TIE_BREAKER, null,
                                true, true, true, null)),
                Arguments.of("bare Binding indication", """
                                0011 0000               # Binding indication, no attributes
                                2112a442 000000000000000000000001
                                """,
                        new Expect(0x0011, 1, StunMessage.CLASS_INDICATION, "000000000000000000000001", null,
                                -1, null, null, false, false, false, null)),
                Arguments.of("error response 487", """
                                0111 0018               # Binding error response, length 24
                                2112a442 000000000000000000000002
                                0009 0011               # ERROR-CODE, 17 bytes
                                0000 04 57              #   class 4, number 87
                                526f6c6520436f6e666c696374 000000 # "Role Conflict" + padding
                                """,
                        new Expect(0x0111, 1, StunMessage.CLASS_ERROR_RESPONSE, "000000000000000000000002", null,
                                -1, null, null, false, false, false, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormed")
    void parsesWellFormedMessages(String name, String vector, Expect e) {
        ByteBuf buf = alloc.wrap(hex(vector));
        try {
            StunMessage m = StunMessage.parse(buf);
            assertThat(m).as(name).isNotNull();
            assertThat(m.messageType()).isEqualTo(e.type());
            assertThat(m.method()).isEqualTo(e.method());
            assertThat(m.messageClass()).isEqualTo(e.messageClass());
            assertThat(ByteBufUtil.hexDump(m.transactionId())).isEqualTo(e.tid());
            assertThat(m.length()).isEqualTo(buf.readableBytes());
            assertThat(m.username()).isEqualTo(e.username());
            assertThat(m.hasPriority()).isEqualTo(e.priority() >= 0);
            assertThat(m.priority()).isEqualTo(e.priority());
            assertThat(m.hasIceControlling()).isEqualTo(e.controlling() != null);
            if (e.controlling() != null) {
                assertThat(m.iceControlling()).isEqualTo(e.controlling());
            }
            assertThat(m.hasIceControlled()).isEqualTo(e.controlled() != null);
            if (e.controlled() != null) {
                assertThat(m.iceControlled()).isEqualTo(e.controlled());
            }
            assertThat(m.hasUseCandidate()).isEqualTo(e.useCandidate());
            assertThat(m.hasMessageIntegrity()).isEqualTo(e.integrity());
            assertThat(m.hasFingerprint()).isEqualTo(e.fingerprint());
            assertThat(m.xorMappedAddress()).isEqualTo(e.xorMapped());
            assertThat(m.isBindingRequest()).isEqualTo(e.type() == StunMessage.BINDING_REQUEST);
            assertThat(m.toString()).contains(String.format("%04X", e.type()));
            assertThat(buf.readerIndex()).isZero();
            assertThat(buf.writerIndex()).isEqualTo(hex(vector).length);
        } finally {
            buf.release();
        }
    }

    @Test
    void errorCodeIsDecoded() {
        ByteBuf buf = alloc.wrap(hex("""
                0111 0008 2112a442 000000000000000000000002 # Binding error response
                0009 0004 0000 0401                         # ERROR-CODE 401, empty reason
                """));
        try {
            assertThat(StunMessage.parse(buf).errorCode()).isEqualTo(401);
        } finally {
            buf.release();
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty", ""),
                Arguments.of("truncated header (19 bytes)", """
                        0001 0000 2112a442
                        b7e7a701 bc34d686 fa87df        # transaction id one byte short
                        """),
                Arguments.of("top bits not zero", """
                        c001 0000 2112a442 b7e7a701bc34d686fa87dfae
                        """),
                Arguments.of("bad magic cookie", """
                        0001 0000
                        2112a443                        # cookie off by one
                        b7e7a701bc34d686fa87dfae
                        """),
                Arguments.of("length not a multiple of 4", """
                        0001 0003 2112a442 b7e7a701bc34d686fa87dfae
                        000000
                        """),
                Arguments.of("length field past end of datagram", """
                        0001 0008                       # says 8 bytes follow
                        2112a442 b7e7a701bc34d686fa87dfae
                        0025 0000                       # only 4 do
                        """),
                Arguments.of("trailing bytes after the message", """
                        0001 0000                       # says nothing follows
                        2112a442 b7e7a701bc34d686fa87dfae
                        0025 0000                       # but 4 bytes do
                        """),
                Arguments.of("attribute length past end", """
                        0001 0008 2112a442 b7e7a701bc34d686fa87dfae
                        0006 0010                       # USERNAME claims 16 bytes
                        65767400                        # 4 present
                        """),
                Arguments.of("attribute padding past end", """
                        0001 0008 2112a442 b7e7a701bc34d686fa87dfae
                        0006 0005                       # USERNAME, 5 bytes need 8 with padding
                        65767400                        # 4 present
                        """),
                Arguments.of("attribute after FINGERPRINT", """
                        0001 000c 2112a442 b7e7a701bc34d686fa87dfae
                        8028 0004 00000000              # FINGERPRINT
                        0025 0000                       # USE-CANDIDATE after it
                        """),
                Arguments.of("MESSAGE-INTEGRITY of 16 bytes", """
                        0001 0014 2112a442 b7e7a701bc34d686fa87dfae
                        0008 0010 00000000000000000000000000000000
                        """),
                Arguments.of("FINGERPRINT of 8 bytes", """
                        0001 000c 2112a442 b7e7a701bc34d686fa87dfae
                        8028 0008 0000000000000000
                        """),
                Arguments.of("PRIORITY of 2 bytes", """
                        0001 0008 2112a442 b7e7a701bc34d686fa87dfae
                        0024 0002 6e00 0000
                        """),
                Arguments.of("USE-CANDIDATE with a value", """
                        0001 0008 2112a442 b7e7a701bc34d686fa87dfae
                        0025 0004 00000000
                        """),
                Arguments.of("ICE-CONTROLLING of 4 bytes", """
                        0001 0008 2112a442 b7e7a701bc34d686fa87dfae
                        802a 0004 bbd6f125
                        """),
                Arguments.of("XOR-MAPPED-ADDRESS family 3", """
                        0101 000c 2112a442 b7e7a701bc34d686fa87dfae
                        0020 0008 0003a147 e112a643
                        """),
                Arguments.of("XOR-MAPPED-ADDRESS IPv4 with 20 bytes", """
                        0101 0018 2112a442 b7e7a701bc34d686fa87dfae
                        0020 0014 0001a147 e112a643 0000000000000000 00000000
                        """),
                Arguments.of("XOR-MAPPED-ADDRESS of 0 bytes, last (StunFuzzTest finding: read past the end)", """
                        0101 0004 2112a442 b7e7a701bc34d686fa87dfae
                        0020 0000
                        """),
                Arguments.of("ERROR-CODE of 2 bytes", """
                        0111 0008 2112a442 b7e7a701bc34d686fa87dfae
                        0009 0002 0000 0000
                        """),
                Arguments.of("USERNAME of 516 bytes", "0001 0208 2112a442 b7e7a701bc34d686fa87dfae 0006 0204"
                        + "61".repeat(516)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedMessages(String name, String vector) {
        ByteBuf buf = alloc.wrap(hex(vector));
        try {
            assertThat(StunMessage.parse(buf)).as(name).isNull();
            assertThat(StunMessage.localUfragOf(buf)).as(name).isNull();
            assertThat(buf.readerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void readsRelativeToTheReaderIndex() {
        byte[] vector = hex(StunTestVectors.CHROME_NOMINATION);
        ByteBuf buf = alloc.heapBuffer();
        try {
            buf.writeBytes(new byte[] {(byte) 0x80, 0x60, 0x00}); // something in front that was already consumed
            buf.writeBytes(vector);
            buf.readerIndex(3);
            StunMessage m = StunMessage.parse(buf);
            assertThat(m).isNotNull();
            assertThat(m.username()).isEqualTo("prsm:vwqF");
            assertThat(StunIntegrity.forPassword(StunTestVectors.CHROME_LOCAL_PWD).verify(buf, m)).isTrue();
            assertThat(StunIntegrity.verifyFingerprint(buf, m)).isTrue();
            assertThat(StunMessage.localUfragOf(buf)).isEqualTo("prsm");
            assertThat(buf.readerIndex()).isEqualTo(3);
        } finally {
            buf.release();
        }
    }

    @Test
    void ignoresAttributesAfterMessageIntegrityExceptFingerprint() {
        ByteBuf buf = alloc.wrap(hex("""
                0001 0024 2112a442 b7e7a701bc34d686fa87dfae
                0008 0014 0000000000000000000000000000000000000000 # MESSAGE-INTEGRITY
                0006 0004 613a6262                                 # USERNAME "a:bb" after it: not authenticated
                0025 0000                                          # USE-CANDIDATE after it
                """));
        try {
            StunMessage m = StunMessage.parse(buf);
            assertThat(m).isNotNull();
            assertThat(m.hasMessageIntegrity()).isTrue();
            assertThat(m.username()).isNull();
            assertThat(m.hasUseCandidate()).isFalse();
            assertThat(StunMessage.localUfragOf(buf)).isNull();
        } finally {
            buf.release();
        }
    }

    @Test
    void firstOccurrenceOfARepeatedAttributeWins() {
        ByteBuf buf = alloc.wrap(hex("""
                0001 0020 2112a442 b7e7a701bc34d686fa87dfae
                0006 0004 613a6262              # USERNAME "a:bb"
                0006 0004 633a6464              # USERNAME "c:dd"
                0024 0004 00000001              # PRIORITY 1
                0024 0004 00000002              # PRIORITY 2
                """));
        try {
            StunMessage m = StunMessage.parse(buf);
            assertThat(m.username()).isEqualTo("a:bb");
            assertThat(m.priority()).isEqualTo(1);
            assertThat(StunMessage.localUfragOf(buf)).isEqualTo("a");
        } finally {
            buf.release();
        }
    }

    static Stream<Arguments> messageTypes() {
        return Stream.of(
                // type, method, class
                Arguments.of(0x0001, 0x001, StunMessage.CLASS_REQUEST),
                Arguments.of(0x0011, 0x001, StunMessage.CLASS_INDICATION),
                Arguments.of(0x0101, 0x001, StunMessage.CLASS_SUCCESS_RESPONSE),
                Arguments.of(0x0111, 0x001, StunMessage.CLASS_ERROR_RESPONSE),
                Arguments.of(0x0003, 0x003, StunMessage.CLASS_REQUEST),          // TURN Allocate request
                Arguments.of(0x0113, 0x003, StunMessage.CLASS_ERROR_RESPONSE),   // TURN Allocate error
                Arguments.of(0x3EEF, 0xFFF, StunMessage.CLASS_REQUEST),          // every method bit
                Arguments.of(0x3FFF, 0xFFF, StunMessage.CLASS_ERROR_RESPONSE));
    }

    @ParameterizedTest(name = "type 0x{0}")
    @MethodSource("messageTypes")
    void splitsAndJoinsMethodAndClass(int type, int method, int messageClass) {
        assertThat(StunMessage.messageType(method, messageClass)).isEqualTo(type);
        byte[] bytes = new byte[20];
        bytes[0] = (byte) (type >>> 8);
        bytes[1] = (byte) type;
        bytes[4] = 0x21;
        bytes[5] = 0x12;
        bytes[6] = (byte) 0xA4;
        bytes[7] = 0x42;
        ByteBuf buf = alloc.wrap(bytes);
        try {
            StunMessage m = StunMessage.parse(buf);
            assertThat(m.method()).isEqualTo(method);
            assertThat(m.messageClass()).isEqualTo(messageClass);
        } finally {
            buf.release();
        }
    }

    static Stream<Arguments> classifier() {
        return Stream.of(
                Arguments.of("RFC 5769 request", StunTestVectors.RFC5769_REQUEST, true),
                Arguments.of("Chrome check", StunTestVectors.CHROME_FIRST_CHECK, true),
                Arguments.of("bare header", "0001 0000 2112a442 000000000000000000000000", true),
                Arguments.of("19 bytes", "0001 0000 2112a442 0000000000000000000000", false),
                Arguments.of("bad cookie", "0001 0000 2112a443 000000000000000000000000", false),
                Arguments.of("RTP (first byte 0x80)", "8060 0001 00000000 12345678 0000000000000000 00000000", false),
                Arguments.of("DTLS record (0x16)", "16fefd 0000 000000000000 0010 0000000000000000000000", false),
                Arguments.of("TURN ChannelData (0x40)", "4000 0010 2112a442 000000000000000000000000", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classifier")
    void looksLikeStunIsACheapClassifier(String name, String vector, boolean stun) {
        ByteBuf buf = alloc.wrap(hex(vector));
        try {
            assertThat(StunMessage.looksLikeStun(buf)).as(name).isEqualTo(stun);
            assertThat(buf.readerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    static Stream<Arguments> localUfrags() {
        return Stream.of(
                Arguments.of("Chrome check", StunTestVectors.CHROME_FIRST_CHECK, "prsm"),
                Arguments.of("RFC 5769 request", StunTestVectors.RFC5769_REQUEST, "evtj"),
                Arguments.of("no USERNAME", StunTestVectors.RFC5769_RESPONSE_IPV4, null),
                Arguments.of("USERNAME without colon", """
                        0001 0008 2112a442 b7e7a701bc34d686fa87dfae
                        0006 0004 70727374              # "prst"
                        """, null),
                Arguments.of("empty local part", """
                        0001 0008 2112a442 b7e7a701bc34d686fa87dfae
                        0006 0004 3a727374              # ":rst"
                        """, null),
                Arguments.of("empty remote part", """
                        0001 0008 2112a442 b7e7a701bc34d686fa87dfae
                        0006 0004 7072733a              # "prs:"
                        """, "prs"),
                Arguments.of("USERNAME after other attributes", """
                        0001 0014 2112a442 b7e7a701bc34d686fa87dfae
                        c057 0004 000003e7              # GOOG-NETWORK-INFO
                        0006 0007 613a6263646566 00     # "a:bcdef" + 1 byte padding
                        """, "a"),
                Arguments.of("not STUN", "8060 0001 00000000 12345678 0000000000000000 00000000", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("localUfrags")
    void findsTheLocalUfragForTheDemux(String name, String vector, String expected) {
        ByteBuf buf = alloc.wrap(hex(vector));
        try {
            assertThat(StunMessage.localUfragOf(buf)).as(name).isEqualTo(expected);
            assertThat(buf.readerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    /**
     * Poor man's fuzzing, deterministic: random mutations of every valid vector (byte flips, truncation, length
     * field edits, random garbage) must never make a parse entry point throw.
     */
    @Test
    void mutatedInputNeverThrows() {
        byte[][] seeds = Stream.of(StunTestVectors.RFC5769_REQUEST, StunTestVectors.RFC5769_RESPONSE_IPV4,
                        StunTestVectors.RFC5769_RESPONSE_IPV6, StunTestVectors.RFC5769_LONG_TERM_REQUEST,
                        StunTestVectors.CHROME_FIRST_CHECK, StunTestVectors.CHROME_NOMINATION)
                .map(StunTestVectors::hex).toArray(byte[][]::new);
        Random random = new Random(5389);
        StunIntegrity integrity = StunIntegrity.forPassword(StunTestVectors.CHROME_LOCAL_PWD);
        int parsed = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] input = mutate(seeds[round % seeds.length].clone(), random);
            // Unpooled, untracked heap buffer: the leak detector's paranoid records would dominate the run time here.
            ByteBuf buf = Unpooled.wrappedBuffer(input);
            try {
                StunMessage.looksLikeStun(buf);
                StunMessage.localUfragOf(buf);
                StunMessage m = StunMessage.parse(buf);
                if (m != null) {
                    parsed++;
                    integrity.verify(buf, m);
                    StunIntegrity.verifyFingerprint(buf, m);
                    m.toString();
                }
            } catch (RuntimeException e) {
                throw new AssertionError("threw on input " + ByteBufUtil.hexDump(input), e);
            } finally {
                buf.release();
            }
        }
        assertThat(parsed).as("some mutants are still well-formed, so attribute parsing was exercised").isPositive();
    }

    private static byte[] mutate(byte[] input, Random random) {
        byte[] out = input;
        switch (random.nextInt(5)) {
            case 0 -> out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
            case 1 -> out = Arrays.copyOf(out, random.nextInt(out.length + 1));
            case 2 -> { // rewrite the length of a random attribute-aligned position
                int at = 20 + 4 * random.nextInt(Math.max(1, (out.length - 20) / 4));
                if (at + 4 <= out.length) {
                    out[at + 2] = (byte) random.nextInt(256);
                    out[at + 3] = (byte) random.nextInt(256);
                }
            }
            case 3 -> { // rewrite the message length
                out[2] = (byte) random.nextInt(2);
                out[3] = (byte) (random.nextInt(64) * 4);
            }
            default -> {
                out = new byte[random.nextInt(120)];
                random.nextBytes(out);
                if (out.length >= 8) { // keep the cookie often enough to get past the classifier
                    out[0] &= 0x3F;
                    out[4] = 0x21;
                    out[5] = 0x12;
                    out[6] = (byte) 0xA4;
                    out[7] = 0x42;
                }
            }
        }
        return out;
    }
}
