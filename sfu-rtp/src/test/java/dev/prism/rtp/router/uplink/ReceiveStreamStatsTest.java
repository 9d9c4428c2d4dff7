package dev.prism.rtp.router.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReceiveStreamStatsTest {
    private static final long MS = 1_000_000L;

    @Test
    void lossCountsWhatNeverArrivedAndRetransmissionsRepairIt() {
        ReceiveStreamStats s = new ReceiveStreamStats(90000);
        long t = 0;
        for (int seq = 65530; seq <= 65535 + 5; seq++) { // 65530..65535, 0..4 with 2 and 3 lost
            int wire = seq & 0xFFFF;
            if (wire == 2 || wire == 3) {
                continue;
            }
            s.onPacket(wire, 3000L * seq, t, false);
            t += 33 * MS;
        }
        assertThat(s.expected()).isEqualTo(11);
        assertThat(s.received()).isEqualTo(9);
        assertThat(s.cumulativeLost()).isEqualTo(2);
        assertThat(s.extendedHighestSeq()).as("one cycle").isEqualTo(0x1_0004L);
        assertThat(s.closeInterval()).as("2/11 in 1/256 units").isEqualTo(2 * 256 / 11);
        s.onPacket(2, 0, t, true); // recovered through RTX
        assertThat(s.cumulativeLost()).isEqualTo(1);
        assertThat(s.retransmitted()).isEqualTo(1);
        assertThat(s.closeInterval()).as("nothing new expected, one more received").isZero();
        assertThat(s.cumulativeLostField()).isEqualTo(1);
    }

    @Test
    void constantTransitMeansNoJitter() {
        ReceiveStreamStats s = new ReceiveStreamStats(90000);
        for (int i = 0; i < 50; i++) {
            s.onPacket(i, 3000L * i, 33_333_333L * i + 1, false); // 3000 ticks = 33.33 ms at 90 kHz
        }
        assertThat(s.jitter()).isLessThanOrEqualTo(1);
    }

    @Test
    void jitterFollowsRfc3550() {
        ReceiveStreamStats s = new ReceiveStreamStats(8000);
        // 8 kHz: one tick = 125 us. Packets every 20 ms (160 ticks), arrivals alternately 0 and 10 ms (80 ticks) late.
        for (int i = 0; i < 2000; i++) {
            long arrival = 20 * MS * i + (i % 2 == 0 ? 0 : 10 * MS);
            s.onPacket(i, 160L * i, arrival, false);
        }
        // |D| is always 80 ticks, so J converges to 80.
        assertThat(s.jitter()).isBetween(78L, 80L);
        assertThat(s.jitterMillis()).isBetween(9.7, 10.0);
    }

    @Test
    void packetsOfOneFrameAndRetransmissionsDoNotMoveJitter() {
        ReceiveStreamStats s = new ReceiveStreamStats(90000);
        s.onPacket(0, 9000, 0, false);
        s.onPacket(1, 9000, 5 * MS, false);   // same frame, later in the burst: skipped
        s.onPacket(2, 12000, 33_333_333L, false);
        s.onPacket(3, 0, 500 * MS, true);     // a retransmission with an old timestamp: skipped
        assertThat(s.jitter()).isZero();
        assertThat(s.received()).isEqualTo(4);
    }

    @Test
    void nothingExpectedNoFraction() {
        ReceiveStreamStats s = new ReceiveStreamStats(48000);
        assertThat(s.started()).isFalse();
        assertThat(s.closeInterval()).isZero();
        assertThat(s.expected()).isZero();
        s.onPacket(7, 0, 0, false);
        s.onPacket(7, 0, 0, false); // duplicate: more received than expected
        assertThat(s.closeInterval()).isZero();
        assertThat(s.cumulativeLost()).isZero();
    }
}
