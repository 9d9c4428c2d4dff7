package dev.prism.rtp.stun;

import static dev.prism.rtp.stun.StunTestVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StunMessageWriterTest {
    private static final byte[] RFC_TID = hex(StunTestVectors.RFC5769_TID);
    private static final StunIntegrity RFC_KEY = StunIntegrity.forPassword(StunTestVectors.RFC5769_PASSWORD);
    private static final StunIntegrity CHROME_KEY = StunIntegrity.forPassword(StunTestVectors.CHROME_LOCAL_PWD);

    private final TrackingAllocator alloc = new TrackingAllocator();

    @AfterEach
    void noLeaks() {
        alloc.assertAllReleased();
    }

    /**
     * Given the same inputs, the writer reproduces the vectors byte for byte: RFC 5769 pads with spaces (set through
     * the package-private padding hook), Chrome pads with zeros like the writer's default.
     */
    static Stream<Arguments> roundTrips() {
        return Stream.of(
                Arguments.of("RFC 5769 2.1 request", StunTestVectors.RFC5769_REQUEST,
                        (Function<TrackingAllocator, ByteBuf>) a ->
                                StunMessageWriter.start(a, StunMessage.BINDING_REQUEST, RFC_TID)
                                        .paddingByte(' ')
                                        .software("STUN test client")
                                        .priority(0x6e0001ffL)
                                        .iceControlled(0x932ff9b151263b36L)
                                        .username("evtj:h6vY")
                                        .finish(RFC_KEY, true)),
                Arguments.of("RFC 5769 2.2 IPv4 response", StunTestVectors.RFC5769_RESPONSE_IPV4,
                        (Function<TrackingAllocator, ByteBuf>) a ->
                                StunMessageWriter.start(a, StunMessage.BINDING_SUCCESS_RESPONSE, RFC_TID)
                                        .paddingByte(' ')
                                        .software("test vector")
                                        .xorMappedAddress(StunTestVectors.RFC5769_IPV4)
                                        .finish(RFC_KEY, true)),
                Arguments.of("RFC 5769 2.3 IPv6 response", StunTestVectors.RFC5769_RESPONSE_IPV6,
                        (Function<TrackingAllocator, ByteBuf>) a ->
                                StunMessageWriter.start(a, StunMessage.BINDING_SUCCESS_RESPONSE, RFC_TID)
                                        .paddingByte(' ')
                                        .software("test vector")
                                        .xorMappedAddress(StunTestVectors.RFC5769_IPV6)
                                        .finish(RFC_KEY, true)),
                Arguments.of("RFC 5769 2.4 long-term request", StunTestVectors.RFC5769_LONG_TERM_REQUEST,
                        (Function<TrackingAllocator, ByteBuf>) a ->
                                StunMessageWriter.start(a, StunMessage.BINDING_REQUEST,
                                                hex("78ad3433c6ad72c029da412e"))
                                        .username(StunTestVectors.RFC5769_LONG_TERM_USERNAME)
                                        .attribute(StunAttributes.NONCE, "f//499k954d6OL34oL9FSTvy64sA".getBytes(StandardCharsets.US_ASCII))
                                        .attribute(StunAttributes.REALM, "example.org".getBytes(StandardCharsets.US_ASCII))
                                        .finish(new StunIntegrity(StunIntegrity.longTermKey(
                                                StunTestVectors.RFC5769_LONG_TERM_USERNAME,
                                                StunTestVectors.RFC5769_LONG_TERM_REALM,
                                                StunTestVectors.RFC5769_LONG_TERM_PASSWORD)), false)),
                Arguments.of("Chrome first check", StunTestVectors.CHROME_FIRST_CHECK,
                        (Function<TrackingAllocator, ByteBuf>) a ->
                                chromeRequest(a, "51474866784143755973514d", false)),
                Arguments.of("Chrome nomination", StunTestVectors.CHROME_NOMINATION,
                        (Function<TrackingAllocator, ByteBuf>) a ->
                                chromeRequest(a, "44334c324639745674705752", true)));
    }

    /** Chrome's attribute order: USERNAME, GOOG-NETWORK-INFO, ICE-CONTROLLING, [USE-CANDIDATE], PRIORITY, MI, FP. */
    private static ByteBuf chromeRequest(TrackingAllocator a, String tid, boolean nominate) {
        StunMessageWriter w = StunMessageWriter.start(a, StunMessage.BINDING_REQUEST, hex(tid))
                .username("prsm:vwqF")
                .attribute(StunAttributes.GOOG_NETWORK_INFO, hex("000003e7"))
                .iceControlling(StunTestVectors.CHROME_TIE_BREAKER);
        if (nominate) {
            w.useCandidate();
        }
        return w.priority(StunTestVectors.CHROME_PRIORITY).finish(CHROME_KEY, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundTrips")
    void reproducesVectorsByteForByte(String name, String vector, Function<TrackingAllocator, ByteBuf> write) {
        ByteBuf written = write.apply(alloc);
        try {
            assertThat(ByteBufUtil.hexDump(written)).as(name).isEqualTo(ByteBufUtil.hexDump(hex(vector)));
            assertThat(written.refCnt()).isEqualTo(1);
        } finally {
            written.release();
        }
    }

    static Stream<Arguments> mappedAddresses() {
        return Stream.of(
                Arguments.of(new InetSocketAddress("192.0.2.2", 45000)),
                Arguments.of(new InetSocketAddress("127.0.0.1", 1)),
                Arguments.of(new InetSocketAddress("255.255.255.255", 65535)),
                Arguments.of(new InetSocketAddress("::1", 9)),
                Arguments.of(new InetSocketAddress("2001:db8::7", 50000)),
                Arguments.of(new InetSocketAddress("fe80::1:2:3:4", 12345)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mappedAddresses")
    void bindingSuccessResponseParsesBackAndVerifies(InetSocketAddress mapped) {
        byte[] tid = hex("0102030405060708090a0b0c");
        ByteBuf response = StunMessageWriter.bindingSuccessResponse(alloc, tid, mapped, CHROME_KEY);
        try {
            StunMessage m = StunMessage.parse(response);
            assertThat(m).isNotNull();
            assertThat(m.messageType()).isEqualTo(StunMessage.BINDING_SUCCESS_RESPONSE);
            assertThat(m.transactionId()).isEqualTo(tid);
            assertThat(m.xorMappedAddress()).isEqualTo(mapped);
            assertThat(CHROME_KEY.verify(response, m)).isTrue();
            assertThat(StunIntegrity.verifyFingerprint(response, m)).isTrue();
            // header + XOR-MAPPED-ADDRESS + MESSAGE-INTEGRITY + FINGERPRINT
            int addressLength = mapped.getAddress().getAddress().length;
            assertThat(response.readableBytes()).isEqualTo(20 + (4 + 4 + addressLength) + 24 + 8);
        } finally {
            response.release();
        }
    }

    @Test
    void writesErrorCode() {
        ByteBuf buf = StunMessageWriter.start(alloc, StunMessage.BINDING_ERROR_RESPONSE, new byte[12])
                .errorCode(487, "Role Conflict")
                .finish(null, true);
        try {
            assertThat(ByteBufUtil.hexDump(buf)).isEqualTo(ByteBufUtil.hexDump(hex("""
                    0111 0020 2112a442 000000000000000000000000 # Binding error response, length 32
                    0009 0011                                   # ERROR-CODE, 17 bytes
                    0000 04 57                                  #   487
                    526f6c6520436f6e666c696374 000000           #   "Role Conflict" + padding
                    8028 0004 %s                                # FINGERPRINT
                    """.formatted(ByteBufUtil.hexDump(buf, buf.readableBytes() - 4, 4)))));
            StunMessage m = StunMessage.parse(buf);
            assertThat(m.errorCode()).isEqualTo(487);
            assertThat(StunIntegrity.verifyFingerprint(buf, m)).isTrue();
        } finally {
            buf.release();
        }
    }

    @Test
    void rejectsBadArgumentsWithoutAllocating() {
        assertThatThrownBy(() -> StunMessageWriter.start(alloc, StunMessage.BINDING_REQUEST, new byte[11]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StunMessageWriter.start(alloc, 0x4001, new byte[12]))
                .isInstanceOf(IllegalArgumentException.class);
        StunMessageWriter w = StunMessageWriter.start(alloc, StunMessage.BINDING_REQUEST, new byte[12]);
        assertThatThrownBy(() -> w.priority(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.priority(1L << 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.username("u".repeat(514))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.xorMappedAddress(InetSocketAddress.createUnresolved("example.org", 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.errorCode(200, "no")).isInstanceOf(IllegalArgumentException.class);
        assertThat(alloc.allocations()).as("nothing is allocated before finish").isZero();
    }

    @Test
    void finishOnlyOnce() {
        StunMessageWriter w = StunMessageWriter.start(alloc, StunMessage.BINDING_REQUEST, new byte[12]);
        ByteBuf first = w.finish(null, false);
        try {
            assertThat(first.readableBytes()).isEqualTo(20);
            assertThatThrownBy(() -> w.finish(null, false)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(w::useCandidate).isInstanceOf(IllegalStateException.class);
        } finally {
            first.release();
        }
    }

    @Test
    void growsForLargeAttributes() {
        String longName = "a".repeat(250) + ":" + "b".repeat(250);
        ByteBuf buf = StunMessageWriter.start(alloc, StunMessage.BINDING_REQUEST, new byte[12])
                .username(longName)
                .software("x".repeat(700))
                .finish(CHROME_KEY, true);
        try {
            StunMessage m = StunMessage.parse(buf);
            assertThat(m.username()).isEqualTo(longName);
            assertThat(CHROME_KEY.verify(buf, m)).isTrue();
            assertThat(StunIntegrity.verifyFingerprint(buf, m)).isTrue();
        } finally {
            buf.release();
        }
    }
}
