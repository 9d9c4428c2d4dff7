package dev.prism.rtp.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.rtp.rtcp.TransportCcFeedback;
import dev.prism.rtp.testutil.Allocations;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransportCcFeedbackGeneratorTest {
    private static final long SENDER = 0xAAAA_0001L;
    private static final long MEDIA = 0xBBBB_0002L;

    private final FakeClock clock = new FakeClock();
    private final TransportCcFeedbackGenerator gen =
            new TransportCcFeedbackGenerator(clock, SENDER, TransportCcFeedbackGenerator.Config.DEFAULT);

    @Test
    void roundTripsThroughTheWireFormat() {
        long t0 = clock.nanos() / 1000;
        int[] seqs = {100, 101, 102, 104, 105};       // 103 lost
        long[] gapsMicros = {0, 1000, 5250, 250, 70_000}; // the last one needs a large (2-byte) delta
        for (int i = 0; i < seqs.length; i++) {
            clock.advance(java.time.Duration.ofNanos(gapsMicros[i] * 1000));
            gen.onPacket(seqs[i], MEDIA);
        }
        List<TransportCcFeedback> fbs = gen.build();
        assertThat(fbs).hasSize(1);
        TransportCcFeedback fb = parsed(fbs.get(0));
        assertThat(fb).isEqualTo(fbs.get(0));
        assertThat(fb.senderSsrc()).isEqualTo(SENDER);
        assertThat(fb.mediaSsrc()).isEqualTo(MEDIA);
        assertThat(fb.baseSequenceNumber()).isEqualTo(100);
        assertThat(fb.packetStatusCount()).isEqualTo(6);
        assertThat(statuses(fb)).isEqualTo("RRRLRR");
        // Arrival times survive at the format's 250 µs resolution, relative to the first packet.
        long first = fb.arrivalTimeMicros(0);
        assertThat(first).isLessThanOrEqualTo(t0).isGreaterThan(t0 - 64_000);
        assertThat(fb.arrivalTimeMicros(1) - first).isEqualTo(1000);
        assertThat(fb.arrivalTimeMicros(2) - first).isEqualTo(6250);
        assertThat(fb.arrivalTimeMicros(4) - first).isEqualTo(6500);
        assertThat(fb.arrivalTimeMicros(5) - first).isEqualTo(76_500);
        assertThat(fb.status(5)).isEqualTo(TransportCcFeedback.LARGE_DELTA);
    }

    @Test
    void eachFeedbackCoversOnlyNewPacketsAndCountsUp() {
        feed(1, 2, 3);
        TransportCcFeedback a = single();
        assertThat(gen.build()).isEmpty(); // nothing new
        feed(4, 5);
        TransportCcFeedback b = single();
        assertThat(a.feedbackPacketCount()).isZero();
        assertThat(b.feedbackPacketCount()).isEqualTo(1);
        assertThat(b.baseSequenceNumber()).isEqualTo(4);
        assertThat(statuses(b)).isEqualTo("RR");
    }

    @Test
    void leadingLossIsAnchoredOnThePreviousPacket() {
        feed(10, 11);
        single();
        feed(14, 15);                     // 12 and 13 lost at the start of the next interval
        TransportCcFeedback fb = single();
        assertThat(fb.baseSequenceNumber()).isEqualTo(11); // repeated as the anchor
        assertThat(statuses(fb)).isEqualTo("RLLRR");
    }

    @Test
    void latePacketIsReportedAgain() {
        feed(20, 22);
        assertThat(statuses(single())).isEqualTo("RLR");
        feed(21, 23);                     // 21 came late
        TransportCcFeedback fb = single();
        assertThat(fb.baseSequenceNumber()).isEqualTo(21);
        assertThat(statuses(fb)).isEqualTo("RRR");
    }

    /**
     * Issue #10: Chrome's estimate of a publisher's uplink stayed low. Each report arrives a feedback interval after
     * the packets it covers at worst, and the sender counts everything unreported as in flight: at 100 ms the
     * oldest packet of a report waited 100 ms, twice what a libwebrtc receiver (50 ms at these rates) makes it wait.
     */
    @Test
    void noPacketWaitsLongerThanFiftyMillisecondsForItsReport() {
        long interval = gen.config().intervalMillis();
        long nextBuild = interval;
        long worstWaitMicros = 0;
        int seq = 0;
        long[] arrivedAt = new long[1 << 16];
        for (long ms = 1; ms <= 2_000; ms++) {
            clock.advanceMillis(1);
            if (ms % 3 == 0) { // ~330 packets/s, one every 3 ms
                arrivedAt[seq] = clock.nanos() / 1000;
                gen.onPacket(seq++, MEDIA);
            }
            if (ms == nextBuild) {
                nextBuild += interval;
                long now = clock.nanos() / 1000;
                for (TransportCcFeedback fb : gen.build()) {
                    for (int i = 0; i < fb.packetStatusCount(); i++) {
                        worstWaitMicros = Math.max(worstWaitMicros, now - arrivedAt[fb.sequenceNumber(i)]);
                    }
                }
            }
        }
        assertThat(worstWaitMicros).as("longest wait of a packet for its report, us").isLessThanOrEqualTo(50_000);
    }

    /**
     * The reference time is 24 bits of 64 ms: it wraps every 2^24 x 64 ms (~12.4 days of uptime) and the clock's
     * epoch is arbitrary (System.nanoTime may be negative). A sender unwraps consecutive reference times by taking the
     * smaller of the forward and backward distances (libwebrtc does); arrival times must come out exact across the wrap.
     */
    @Test
    void arrivalTimesStayConsistentAcrossTheReferenceTimeWrap() {
        long wrapMicros = (1L << 24) * TransportCcFeedback.REFERENCE_TICK_MICROS;
        for (long epochMicros : new long[] {-wrapMicros - 40_000, wrapMicros - 40_000, 3 * wrapMicros - 100_000}) {
            TransportCcFeedbackGenerator g = new TransportCcFeedbackGenerator(clock, SENDER,
                    TransportCcFeedbackGenerator.Config.DEFAULT);
            long prevRef = 0;
            long unwrappedBase = 0;
            long firstArrival = 0;
            boolean first = true;
            for (int k = 0; k < 8; k++) {
                long arrivalMicros = epochMicros + k * 30_250L; // crosses the wrap half way
                g.onPacket(k, MEDIA, arrivalMicros * 1000);
                TransportCcFeedback fb = parsed(g.build().get(0));
                long ref = fb.referenceTimeMicros();
                if (first) {
                    unwrappedBase = ref;
                    firstArrival = fb.arrivalTimeMicros(0);
                    first = false;
                } else {
                    long delta = ref - prevRef;
                    if (Math.abs(delta - wrapMicros) < Math.abs(delta)) {
                        delta -= wrapMicros;
                    } else if (Math.abs(delta + wrapMicros) < Math.abs(delta)) {
                        delta += wrapMicros;
                    }
                    unwrappedBase += delta;
                }
                prevRef = ref;
                long seenBySender = unwrappedBase + (fb.arrivalTimeMicros(fb.packetStatusCount() - 1) - ref);
                assertThat(seenBySender - firstArrival).as("epoch %d, packet %d", epochMicros, k)
                        .isEqualTo(k * 30_250L);
            }
        }
    }

    @Test
    void sequenceNumbersWrapAround() {
        feed(65533, 65534, 0, 1);         // 65535 lost
        TransportCcFeedback fb = parsed(single());
        assertThat(fb.baseSequenceNumber()).isEqualTo(65533);
        assertThat(statuses(fb)).isEqualTo("RRLRR");
        assertThat(fb.sequenceNumber(4)).isEqualTo(1);
        feed(2);
        assertThat(single().baseSequenceNumber()).isEqualTo(2);
    }

    @Test
    void splitsLongRunsAndKeepsGapsAcrossTheSplit() {
        TransportCcFeedbackGenerator small =
                new TransportCcFeedbackGenerator(clock, SENDER, new TransportCcFeedbackGenerator.Config(100, 10));
        for (int s = 0; s < 25; s++) {
            if (s != 10) {                // lost right at the split point
                small.onPacket(s, MEDIA);
            }
            clock.advanceMillis(1);
        }
        List<TransportCcFeedback> fbs = small.build();
        assertThat(fbs).hasSize(3);
        assertThat(statuses(fbs.get(0))).isEqualTo("RRRRRRRRRR");          // 0..9
        assertThat(fbs.get(1).baseSequenceNumber()).isEqualTo(9);           // 9 repeated: 10 is reported lost
        assertThat(statuses(fbs.get(1))).isEqualTo("RLRRRRRRRR");
        assertThat(fbs.stream().mapToInt(TransportCcFeedback::feedbackPacketCount)).containsExactly(0, 1, 2);
        for (TransportCcFeedback fb : fbs) {
            assertThat(parsed(fb)).isEqualTo(fb);
        }
    }

    @Test
    void splitsWhereTheArrivalDeltaDoesNotFit() {
        feed(1);
        clock.advanceMillis(9000);        // beyond the ±8.19 s a delta can carry
        feed(2);
        List<TransportCcFeedback> fbs = gen.build();
        assertThat(fbs).hasSize(2);
        assertThat(fbs.get(1).baseSequenceNumber()).isEqualTo(2);
    }

    @Test
    void feedbackPacketCountWraps() {
        for (int i = 0; i < 257; i++) {
            feed(i);
            assertThat(single().feedbackPacketCount()).isEqualTo(i & 0xFF);
        }
    }

    @Test
    void duplicatesAndAncientPacketsAreIgnored() {
        feed(5000, 5000);
        assertThat(gen.duplicates()).isEqualTo(1);
        feed(5000 - TransportCcFeedbackGenerator.WINDOW - 10);
        assertThat(gen.tooOld()).isEqualTo(1);
        assertThat(statuses(single())).isEqualTo("R");
        assertThat(gen.packets()).isEqualTo(1);
    }

    @Test
    void aJumpBeyondTheWindowStartsAfresh() {
        feed(100);
        single();
        feed(100 + TransportCcFeedbackGenerator.WINDOW + 5, 100 + TransportCcFeedbackGenerator.WINDOW + 6);
        TransportCcFeedback fb = single();
        assertThat(fb.baseSequenceNumber()).isEqualTo(100 + TransportCcFeedbackGenerator.WINDOW + 5);
        assertThat(statuses(fb)).isEqualTo("RR");
    }

    @Test
    void recordingAllocatesNothing() {
        int[] seq = {0};
        double bytes = Allocations.bytesPerRun(100_000, () -> {
            gen.onPacket(seq[0]++, MEDIA, seq[0] * 1_000_000L); // runs through the window many times
        });
        assertThat(bytes).isLessThan(0.1);
    }

    private void feed(int... seqs) {
        for (int s : seqs) {
            gen.onPacket(s, MEDIA);
            clock.advanceMillis(1);
        }
    }

    private TransportCcFeedback single() {
        List<TransportCcFeedback> fbs = gen.build();
        assertThat(fbs).hasSize(1);
        return fbs.get(0);
    }

    /** R received, L lost, per status. */
    private static String statuses(TransportCcFeedback fb) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fb.packetStatusCount(); i++) {
            sb.append(fb.received(i) ? 'R' : 'L');
        }
        return sb.toString();
    }

    private static TransportCcFeedback parsed(TransportCcFeedback fb) {
        ByteBuf buf = Unpooled.buffer(fb.length());
        try {
            assertThat(fb.write(buf)).isEqualTo(fb.length());
            TransportCcFeedback p = TransportCcFeedback.parse(buf);
            assertThat(p).isNotNull();
            return p;
        } finally {
            buf.release();
        }
    }
}
