package dev.prism.rtp.stun;

import static dev.prism.rtp.stun.StunTestVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StunIntegrityTest {
    private final TrackingAllocator alloc = new TrackingAllocator();

    @AfterEach
    void noLeaks() {
        alloc.assertAllReleased();
    }

    static Stream<Arguments> signedVectors() {
        byte[] shortTerm = StunIntegrity.shortTermKey(StunTestVectors.RFC5769_PASSWORD);
        byte[] chrome = StunIntegrity.shortTermKey(StunTestVectors.CHROME_LOCAL_PWD);
        byte[] longTerm = StunIntegrity.longTermKey(StunTestVectors.RFC5769_LONG_TERM_USERNAME,
                StunTestVectors.RFC5769_LONG_TERM_REALM, StunTestVectors.RFC5769_LONG_TERM_PASSWORD);
        return Stream.of(
                // name, vector, key, has FINGERPRINT
                Arguments.of("RFC 5769 2.1 request", StunTestVectors.RFC5769_REQUEST, shortTerm, true),
                Arguments.of("RFC 5769 2.2 IPv4 response", StunTestVectors.RFC5769_RESPONSE_IPV4, shortTerm, true),
                Arguments.of("RFC 5769 2.3 IPv6 response", StunTestVectors.RFC5769_RESPONSE_IPV6, shortTerm, true),
                Arguments.of("RFC 5769 2.4 long-term request", StunTestVectors.RFC5769_LONG_TERM_REQUEST, longTerm,
                        false),
                Arguments.of("Chrome first check", StunTestVectors.CHROME_FIRST_CHECK, chrome, true),
                Arguments.of("Chrome nomination", StunTestVectors.CHROME_NOMINATION, chrome, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signedVectors")
    void verifiesIntegrityAndFingerprintOfKnownVectors(String name, String vector, byte[] key, boolean fingerprint) {
        ByteBuf buf = alloc.wrap(hex(vector));
        try {
            StunMessage m = StunMessage.parse(buf);
            assertThat(new StunIntegrity(key).verify(buf, m)).as(name).isTrue();
            assertThat(StunIntegrity.verifyFingerprint(buf, m)).as(name).isEqualTo(fingerprint);
            assertThat(buf.readerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signedVectors")
    void rejectsTheWrongKey(String name, String vector, byte[] key, boolean fingerprint) {
        byte[] wrong = key.clone();
        wrong[0] ^= 1;
        ByteBuf buf = alloc.wrap(hex(vector));
        try {
            assertThat(new StunIntegrity(wrong).verify(buf, StunMessage.parse(buf))).as(name).isFalse();
        } finally {
            buf.release();
        }
    }

    /** Flipping any covered bit must break the HMAC and the CRC; the header length field is covered too. */
    @Test
    void everyCoveredByteCounts() {
        byte[] original = hex(StunTestVectors.RFC5769_REQUEST);
        StunIntegrity integrity = StunIntegrity.forPassword(StunTestVectors.RFC5769_PASSWORD);
        int miOffset = original.length - 8 - 24;
        for (int i = 0; i < original.length - 4; i++) {
            if (i == 2 || i == 3) {
                continue; // a changed length field makes the message malformed instead
            }
            byte[] corrupted = original.clone();
            corrupted[i] ^= 0x01;
            ByteBuf buf = alloc.wrap(corrupted);
            try {
                StunMessage m = StunMessage.parse(buf);
                if (m == null) {
                    continue; // the flip broke a TLV; that's the parser's job
                }
                if (i < miOffset + 24) {
                    assertThat(integrity.verify(buf, m)).as("HMAC with byte %d flipped", i).isFalse();
                }
                assertThat(StunIntegrity.verifyFingerprint(buf, m)).as("CRC with byte %d flipped", i).isFalse();
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void reportsFalseWhenTheAttributeIsAbsent() {
        ByteBuf buf = alloc.wrap(hex("0001 0000 2112a442 b7e7a701bc34d686fa87dfae"));
        try {
            StunMessage m = StunMessage.parse(buf);
            assertThat(StunIntegrity.forPassword("x").verify(buf, m)).isFalse();
            assertThat(StunIntegrity.verifyFingerprint(buf, m)).isFalse();
        } finally {
            buf.release();
        }
    }

    /** RFC 5769 2.4: MD5("マトリックス:example.org:TheMatrIX"). */
    @Test
    void derivesTheLongTermKey() {
        assertThat(StunIntegrity.longTermKey(StunTestVectors.RFC5769_LONG_TERM_USERNAME,
                StunTestVectors.RFC5769_LONG_TERM_REALM, StunTestVectors.RFC5769_LONG_TERM_PASSWORD))
                .hasSize(16);
        assertThat(StunIntegrity.shortTermKey("evtj+/0")).containsExactly('e', 'v', 't', 'j', '+', '/', '0');
    }
}
