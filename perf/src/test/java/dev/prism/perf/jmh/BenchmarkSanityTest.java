package dev.prism.perf.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.rtp.srtp.SrtpProfile;
import dev.prism.rtp.srtp.SrtpStatus;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks measure what they claim: every operation really forwards to every receiver (a benchmark that
 * silently dropped packets would look fast). One call each, no timing.
 */
class BenchmarkSanityTest {
    @Test
    void forwardingReachesEveryReceiverOnBothPaths() {
        ForwardingBenchmark b = new ForwardingBenchmark();
        b.receivers = 3;
        b.profile = SrtpProfile.AEAD_AES_128_GCM;
        b.setUp();
        try {
            for (int i = 0; i < 3; i++) {
                assertThat(b.fanOut()).isEqualTo(3);
                assertThat(b.receiveAndFanOut()).isEqualTo(3);
            }
            assertThat(b.browserEncrypt()).isEqualTo(SrtpStatus.OK);
        } finally {
            b.tearDown();
        }
    }

    @Test
    void srtpAndPacketBenchmarksSucceed() {
        for (SrtpProfile profile : SrtpProfile.values()) {
            SrtpBenchmark s = new SrtpBenchmark();
            s.profile = profile;
            s.setUp();
            try {
                assertThat(s.protect()).isEqualTo(SrtpStatus.OK);
                assertThat(s.protectThenUnprotect()).as("%s", profile).isEqualTo(SrtpStatus.OK);
            } finally {
                s.tearDown();
            }
        }
        RtpPacketBenchmark p = new RtpPacketBenchmark();
        p.setUp();
        try {
            assertThat(p.wrap()).isPositive();
            assertThat(p.wrapAndFindExtension()).isPositive();
            assertThat(p.copyRewritten()).isEqualTo(1200 - 4); // the transport-cc element is dropped: one word less
        } finally {
            p.tearDown();
        }
    }
}
