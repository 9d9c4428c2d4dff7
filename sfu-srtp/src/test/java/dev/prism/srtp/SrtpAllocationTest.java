package dev.prism.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Prism's packet path allocates nothing: once a stream exists, protect and unprotect (RTP and RTCP, heap and direct
 * buffers) leave the thread's allocated-bytes counter where it was. Counts bytes, not time. A warm-up first: the
 * thread's first few thousand calls also pay one-off allocations of linkage and compilation (a few KB in all).
 */
class SrtpAllocationTest {
    private static final int WARM_UP = 10_000;
    private static final int ROUNDS = 10_000;
    private static final int WINDOWS = 3;

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void protectAndUnprotectAllocateNothing(SrtpProfile profile) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SrtpKeyingMaterial keys = SrtpTestPackets.sampleKeys(profile);
        SrtpSession sender = SrtpImplementation.PRISM.create(profile, keys, false);
        SrtpSession receiver = SrtpImplementation.PRISM.create(profile, keys, true);
        byte[] rtp = SrtpTestPackets.videoRtp(0, 0x1234);
        byte[] rtcp = SrtpTestPackets.compoundRtcp(0x1234);
        // Plain wrapped buffers: the tests' paranoid leak detector wraps allocator buffers and records a stack trace
        // on each access, which would be all this test measures.
        ByteBuf heap = Unpooled.wrappedBuffer(new byte[rtp.length + SrtpSession.MAX_TRAILER]);
        ByteBuf direct = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(rtp.length + SrtpSession.MAX_TRAILER));
        try {
            roundTrips(sender, receiver, heap, direct, rtp, rtcp, 0, WARM_UP); // streams exist, code is compiled
            // The quietest of three windows: an allocation per packet shows in each (8 transforms per round, so at
            // least 80 KB), a one-off of the JIT (a recompilation after other tests ran in this JVM) in one only.
            long fewest = Long.MAX_VALUE;
            for (int window = 0; window < WINDOWS; window++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                roundTrips(sender, receiver, heap, direct, rtp, rtcp, WARM_UP + window * ROUNDS, ROUNDS);
                fewest = Math.min(fewest, threads.getCurrentThreadAllocatedBytes() - before);
            }
            // a few hundred bytes of slack for a one-off inside the JDK or the test itself
            assertThat(fewest).as("bytes allocated by %d rounds", ROUNDS).isLessThan(512);
        } finally {
            heap.release();
            direct.release();
            sender.close();
            receiver.close();
        }
    }

    private static void roundTrips(SrtpSession sender, SrtpSession receiver, ByteBuf heap, ByteBuf direct, byte[] rtp,
                                   byte[] rtcp, int firstSeq, int rounds) {
        for (int i = 0; i < rounds; i++) {
            int seq = (firstSeq + i) * 2;
            roundTrip(sender, receiver, heap, rtp, rtcp, seq);
            roundTrip(sender, receiver, direct, rtp, rtcp, seq + 1);
        }
    }

    private static void roundTrip(SrtpSession sender, SrtpSession receiver, ByteBuf buf, byte[] rtp, byte[] rtcp,
                                  int seq) {
        buf.clear().writeBytes(rtp);
        buf.setShort(2, seq);
        check(sender.protectRtp(buf));
        check(receiver.unprotectRtp(buf));
        buf.clear().writeBytes(rtcp);
        check(sender.protectRtcp(buf));
        check(receiver.unprotectRtcp(buf));
    }

    private static void check(SrtpStatus status) {
        if (status != SrtpStatus.OK) {
            throw new AssertionError(status);
        }
    }
}
