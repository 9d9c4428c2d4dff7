package dev.prism.rtp.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.rtp.packet.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * A {@link TransportCcFeedback#reusable()} instance read again and again: each read describes exactly the message
 * just read (as {@link TransportCcFeedback#parse} would), a failed read describes nothing, and once its arrays are
 * large enough a read allocates nothing.
 */
class TransportCcReuseTest {
    /** A small message after the 24-packet sample: 2 packets, one run-length chunk (seq 7..8, small deltas). */
    private static final String SMALL = """
            8f cd 00 05              // V=2 P=0 FMT=15 | PT=205 RTPFB | length=5 (24 bytes)
            4e 2a 1c 3d              // SSRC of packet sender
            6a 3d 0f 11              // SSRC of media source
            00 07 00 02              // base seq 7 | packet status count 2
            00 00 10 06              // reference time 16 x 64 ms | fb pkt count 6
            20 02                    // run length: 2 x small delta
            04 08                    // deltas 1, 2 ms
            """;

    @Test
    void eachReadDescribesExactlyTheMessageRead() {
        TransportCcFeedback reused = TransportCcFeedback.reusable();
        for (String sample : new String[] {RtcpSamples.TCC, SMALL, RtcpSamples.TCC}) {
            ByteBuf buf = Hex.buf(sample);
            try {
                assertThat(reused.readFrom(buf, 0, buf.readableBytes())).isTrue();
                TransportCcFeedback fresh = TransportCcFeedback.parse(buf);
                assertThat(reused).isEqualTo(fresh).hasSameHashCodeAs(fresh);
                assertThat(reused.packetStatusCount()).isEqualTo(fresh.packetStatusCount());
                assertThat(reused.chunkCount()).isEqualTo(fresh.chunkCount());
                for (int i = 0; i < fresh.packetStatusCount(); i++) {
                    assertThat(reused.arrivalTimeMicros(i)).as("arrival %d", i).isEqualTo(fresh.arrivalTimeMicros(i));
                    assertThat(reused.sequenceNumber(i)).isEqualTo(fresh.sequenceNumber(i));
                }
                ByteBuf written = Unpooled.buffer();
                reused.write(written);
                assertThat(Hex.hex(written)).as("written back byte for byte").isEqualTo(Hex.hex(buf));
                written.release();
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void aFailedReadDescribesNothing() {
        TransportCcFeedback reused = TransportCcFeedback.reusable();
        ByteBuf good = Hex.buf(RtcpSamples.TCC);
        ByteBuf bad = Hex.buf(RtcpSamples.TCC.replace("d4 95", "d4 97")); // a reserved symbol
        try {
            assertThat(reused.readFrom(good, 0, good.readableBytes())).isTrue();
            assertThat(reused.readFrom(bad, 0, bad.readableBytes())).isFalse();
            assertThat(reused.packetStatusCount()).isZero();
            assertThat(reused.chunkCount()).isZero();
            assertThat(reused.receivedCount()).isZero();
        } finally {
            good.release();
            bad.release();
        }
    }

    @Test
    void aReadIntoArraysLargeEnoughAllocatesNothing() {
        TransportCcFeedback reused = TransportCcFeedback.reusable();
        ByteBuf buf = Hex.buf(RtcpSamples.TCC);
        try {
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long id = Thread.currentThread().getId();
            for (int i = 0; i < 20_000; i++) { // let the JIT compile the read (the interpreter may allocate)
                reused.readFrom(buf, 0, buf.readableBytes());
            }
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 1_000; i++) {
                reused.readFrom(buf, 0, buf.readableBytes());
            }
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            // 1,000 reads that each allocated their arrays would take ~250 kB; a few bytes may come from the probe.
            assertThat(allocated).as("bytes allocated by 1,000 reads").isLessThan(1_000);
        } finally {
            buf.release();
        }
    }
}
