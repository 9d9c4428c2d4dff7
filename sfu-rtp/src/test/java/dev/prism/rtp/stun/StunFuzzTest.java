package dev.prism.rtp.stun;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.prism.rtp.testutil.FuzzBuffers;

/**
 * Fuzz target (docs/FUZZING.md): any datagram that reaches the STUN path. {@link StunMessage#parse} and
 * {@link StunMessage#localUfragOf} return null for malformed bytes and never throw; the integrity and fingerprint
 * checks of a parsed message answer true or false and never throw. Seeds: StunFuzzTestInputs/ (RFC 5769 vectors and
 * Chromium binding requests).
 */
class StunFuzzTest {
    private static final StunIntegrity INTEGRITY = StunIntegrity.forPassword("VOkJxbRl1RmTxUk/WvJxBt");

    @FuzzTest
    void parse(byte[] input) {
        FuzzBuffers.borrow(input, buf -> {
            boolean looksLikeStun = StunMessage.looksLikeStun(buf);
            String ufrag = StunMessage.localUfragOf(buf);
            if (ufrag != null) {
                assertThat(looksLikeStun).isTrue();
                assertThat(ufrag).isNotEmpty().doesNotContain(":");
            }
            StunMessage m = StunMessage.parse(buf);
            if (m == null) {
                return;
            }
            assertThat(looksLikeStun).isTrue();
            assertThat(m.length()).isEqualTo(buf.readableBytes());
            assertThat(m.transactionId()).hasSize(12);
            m.method();
            m.messageClass();
            m.username();
            m.hasUseCandidate();
            if (m.hasPriority()) {
                assertThat(m.priority()).isBetween(0L, 0xFFFFFFFFL);
            }
            m.xorMappedAddress();
            m.errorCode();
            assertThat(m.toString()).isNotNull();
            boolean integrity = INTEGRITY.verify(buf, m);
            assertThat(integrity).isEqualTo(integrity && m.hasMessageIntegrity());
            boolean fingerprint = StunIntegrity.verifyFingerprint(buf, m);
            assertThat(fingerprint).isEqualTo(fingerprint && m.hasFingerprint());
        });
    }
}
