package dev.prism.perf.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.rtp.testkit.PooledBuffers;
import dev.prism.srtp.SrtpImplementation;
import dev.prism.srtp.SrtpProfile;
import dev.prism.srtp.SrtpStatus;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The benchmarks measure what they claim: every operation really forwards to every receiver (a benchmark that
 * silently dropped packets would look fast). One call each, no timing.
 */
class BenchmarkSanityTest {
    @ParameterizedTest
    @EnumSource(SrtpImplementation.class)
    void forwardingReachesEveryReceiverOnBothPaths(SrtpImplementation srtp) {
        ForwardingBenchmark b = new ForwardingBenchmark();
        b.receivers = 3;
        b.profile = SrtpProfile.AEAD_AES_128_GCM;
        b.srtp = srtp;
        b.setUp();
        try {
            for (int i = 0; i < 3; i++) {
                // One datagram per receiver; the first packets may also carry the keyframe request the waiting
                // consumers send upstream in the same flush.
                assertThat(b.fanOut()).isBetween(3, 4);
                assertThat(b.receiveAndFanOut()).isBetween(3, 4);
            }
            assertThat(b.browserEncrypt()).isEqualTo(SrtpStatus.OK);
        } finally {
            b.tearDown();
        }
    }

    /** The H.264 variant forwards every packet too (a consumer that never saw a key frame would drop them all). */
    @Test
    void h264ForwardingReachesEveryReceiver() {
        ForwardingBenchmark b = new ForwardingBenchmark();
        b.receivers = 3;
        b.profile = SrtpProfile.AEAD_AES_128_GCM;
        b.codec = "H264";
        b.setUp();
        try {
            for (int i = 0; i < 3; i++) {
                assertThat(b.fanOut()).isBetween(3, 4);
                assertThat(b.receiveAndFanOut()).isBetween(3, 4);
            }
        } finally {
            b.tearDown();
        }
    }

    /**
     * The real forwarding path (receive, unprotect, fan-out copies, protect, send) returns every pooled buffer: the
     * engine gets a pool without thread caches, so its count of outstanding buffers is exact.
     */
    @Test
    void forwardingReturnsEveryPooledBufferToThePool() {
        PooledByteBufAllocator pool = PooledBuffers.exactPool();
        long baseline = PooledBuffers.outstanding(pool);
        ForwardingBenchmark b = new ForwardingBenchmark();
        b.receivers = 5;
        b.profile = SrtpProfile.AEAD_AES_128_GCM;
        b.allocator = pool;
        b.setUp();
        try {
            for (int i = 0; i < 200; i++) {
                // One datagram per consumer, plus any RTCP/probe the same flush carries now that the downlink
                // controller runs (the pool baseline below is what this test is for).
                assertThat(b.fanOut()).isBetween(5, 7);
                assertThat(b.receiveAndFanOut()).isBetween(5, 7);
            }
            // 2000 forwarded copies (heap, for SRTP) went through the pool; the send path reused a few direct buffers
            assertThat(pool.metric().heapArenas().get(0).numAllocations()).isGreaterThanOrEqualTo(2000);
            assertThat(pool.metric().directArenas().get(0).numAllocations()).isLessThan(100);
        } finally {
            b.tearDown();
        }
        assertThat(PooledBuffers.outstanding(pool)).as("buffers not returned to the pool").isEqualTo(baseline);
    }

    @Test
    void srtpAndPacketBenchmarksSucceed() {
        for (SrtpImplementation implementation : SrtpImplementation.values()) {
            for (SrtpProfile profile : SrtpProfile.values()) {
                SrtpBenchmark s = new SrtpBenchmark();
                s.implementation = implementation;
                s.profile = profile;
                s.setUp();
                try {
                    assertThat(s.protect()).isEqualTo(SrtpStatus.OK);
                    assertThat(s.protectThenUnprotect()).as("%s %s", implementation, profile)
                        .isEqualTo(SrtpStatus.OK);
                } finally {
                    s.tearDown();
                }
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
