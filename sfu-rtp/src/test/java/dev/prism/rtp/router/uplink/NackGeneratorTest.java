package dev.prism.rtp.router.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NackGeneratorTest {
    private static final long MS = 1_000_000L;
    private final FakeClock clock = new FakeClock();
    private final int[] out = new int[64];

    private int[] collect(NackGenerator g, long rttMillis) {
        int n = g.collect(clock.nanos(), rttMillis * MS, out);
        return Arrays.copyOf(out, n);
    }

    @Test
    void aGapIsNackedAtOnceThenOncePerRoundTripUntilItArrives() {
        NackGenerator g = new NackGenerator();
        // time  event                      result / NACKs
        assertThat(g.onPacket(100, clock.nanos())).isEqualTo(NackGenerator.IN_ORDER);
        assertThat(g.onPacket(101, clock.nanos())).isEqualTo(NackGenerator.IN_ORDER);
        assertThat(g.onPacket(104, clock.nanos())).isEqualTo(NackGenerator.GAP);      // 102, 103 missing
        assertThat(collect(g, 40)).containsExactly(102, 103);                        // t=0: asked at once
        assertThat(collect(g, 40)).isEmpty();                                        // not again within the RTT
        clock.advanceMillis(49);
        assertThat(collect(g, 40)).as("RTT + 1/4 = 50 ms not yet passed").isEmpty();
        clock.advanceMillis(1);
        assertThat(collect(g, 40)).containsExactly(102, 103);                        // t=50: retry
        assertThat(g.onPacket(103, clock.nanos())).isEqualTo(NackGenerator.RECOVERED);
        assertThat(g.lastRecoveryDelayNanos()).as("asked twice: no RTT sample").isEqualTo(-1);
        clock.advanceMillis(74);
        assertThat(collect(g, 40)).as("the third NACK waits 1.5 x 50 ms").isEmpty(); // t=124
        clock.advanceMillis(1);
        assertThat(collect(g, 40)).containsExactly(102);                             // t=125
        clock.advanceMillis(3);
        assertThat(g.onPacket(102, clock.nanos())).isEqualTo(NackGenerator.RECOVERED);
        assertThat(g.missingCount()).isZero();
        assertThat(g.nacked()).isEqualTo(5);
        assertThat(g.recovered()).isEqualTo(2);
        assertThat(g.givenUp()).isZero();
    }

    @Test
    void aPacketBackAfterOneNackGivesARoundTripSample() {
        NackGenerator g = new NackGenerator();
        g.onPacket(1, clock.nanos());
        g.onPacket(3, clock.nanos());
        assertThat(collect(g, 100)).containsExactly(2);
        clock.advanceMillis(7);
        assertThat(g.onPacket(2, clock.nanos())).isEqualTo(NackGenerator.RECOVERED);
        assertThat(g.lastRecoveryDelayNanos()).isEqualTo(7 * MS);
    }

    @Test
    void retriesFollowTheFloorWhenTheRoundTripIsTiny() {
        NackGenerator g = new NackGenerator();
        g.onPacket(1, clock.nanos());
        g.onPacket(3, clock.nanos());
        assertThat(collect(g, 0)).containsExactly(2);
        clock.advanceMillis(9);
        assertThat(collect(g, 0)).isEmpty();
        clock.advanceMillis(1);
        assertThat(collect(g, 0)).as("MIN_RETRY_INTERVAL 10 ms").containsExactly(2);
    }

    @Test
    void givesUpAfterTheMaximumRetries() {
        NackGenerator g = new NackGenerator(16, 3, 10_000 * MS);
        g.onPacket(10, clock.nanos());
        g.onPacket(12, clock.nanos());
        // RTT 20 ms: NACKs at 0, 25 (RTT + 1/4) and 25 + 37.5 ms (x 1.5)
        long[] at = {0, 25, 63};
        long now = 0;
        for (long t : at) {
            clock.advanceMillis(t - now);
            now = t;
            assertThat(collect(g, 20)).as("t=%d", t).containsExactly(11);
        }
        clock.advanceMillis(60);
        assertThat(collect(g, 20)).isEmpty();
        assertThat(g.missingCount()).isZero();
        assertThat(g.givenUp()).isEqualTo(1);
        assertThat(g.onPacket(11, clock.nanos())).as("no longer tracked").isEqualTo(NackGenerator.DUPLICATE);
    }

    @Test
    void doesNotAskForWhatIsTooOldToHelp() {
        NackGenerator g = new NackGenerator(16, 100, 1000 * MS);
        g.onPacket(10, clock.nanos());
        g.onPacket(12, clock.nanos());
        assertThat(collect(g, 300)).containsExactly(11);
        clock.advanceMillis(1000);
        assertThat(collect(g, 300)).as("age 1000 ms is still in time").containsExactly(11);
        clock.advanceMillis(1);
        assertThat(collect(g, 300)).isEmpty();
        assertThat(g.givenUp()).isEqualTo(1);
    }

    @Test
    void gapsAcrossTheWrapAreFound() {
        NackGenerator g = new NackGenerator();
        g.onPacket(65534, clock.nanos());
        assertThat(g.onPacket(1, clock.nanos())).isEqualTo(NackGenerator.GAP);
        assertThat(collect(g, 10)).containsExactly(65535, 0);
        assertThat(g.onPacket(0, clock.nanos())).isEqualTo(NackGenerator.RECOVERED);
        assertThat(g.onPacket(65535, clock.nanos())).isEqualTo(NackGenerator.RECOVERED);
        assertThat(g.onPacket(2, clock.nanos())).isEqualTo(NackGenerator.IN_ORDER);
    }

    @Test
    void duplicatesAndReorderedPacketsThatWereNotMissingChangeNothing() {
        NackGenerator g = new NackGenerator();
        g.onPacket(5, clock.nanos());
        g.onPacket(6, clock.nanos());
        assertThat(g.onPacket(6, clock.nanos())).isEqualTo(NackGenerator.DUPLICATE);
        assertThat(g.onPacket(4, clock.nanos())).isEqualTo(NackGenerator.DUPLICATE);
        assertThat(g.hasMissing()).isFalse();
    }

    @Test
    void aHugeJumpIsAStreamRestartNotLoss() {
        NackGenerator g = new NackGenerator();
        g.onPacket(10, clock.nanos());
        g.onPacket(12, clock.nanos());
        assertThat(g.onPacket(12 + NackGenerator.MAX_GAP + 2, clock.nanos())).isEqualTo(NackGenerator.RESET);
        assertThat(g.missingCount()).as("the list is cleared, nothing NACKed").isZero();
        assertThat(g.onPacket(12 + NackGenerator.MAX_GAP + 3, clock.nanos())).isEqualTo(NackGenerator.IN_ORDER);
        // Exactly MAX_GAP missing is still loss.
        NackGenerator h = new NackGenerator(2048, 10, 1000 * MS);
        h.onPacket(0, clock.nanos());
        assertThat(h.onPacket(NackGenerator.MAX_GAP + 1, clock.nanos())).isEqualTo(NackGenerator.GAP);
        assertThat(h.missingCount()).isEqualTo(NackGenerator.MAX_GAP);
    }

    @Test
    void aFullListGivesUpTheOldestFirst() {
        NackGenerator g = new NackGenerator(4, 10, 1000 * MS);
        g.onPacket(0, clock.nanos());
        g.onPacket(7, clock.nanos()); // 1..6 missing, room for 4: 1 and 2 given up
        assertThat(g.missingCount()).isEqualTo(4);
        assertThat(g.givenUp()).isEqualTo(2);
        assertThat(collect(g, 10)).containsExactly(3, 4, 5, 6);
    }

    @Test
    void collectStopsAtTheSizeOfTheOutputArray() {
        NackGenerator g = new NackGenerator();
        g.onPacket(0, clock.nanos());
        g.onPacket(11, clock.nanos()); // 10 missing
        int[] small = new int[4];
        assertThat(g.collect(clock.nanos(), 0, small)).isEqualTo(4);
        assertThat(small).containsExactly(1, 2, 3, 4);
        assertThat(g.collect(clock.nanos(), 0, small)).as("the rest on the next call").isEqualTo(4);
        assertThat(small).containsExactly(5, 6, 7, 8);
    }

    @Test
    void retriesBackOffSoThatATinyRoundTripDoesNotSpendThemAllAtOnce() {
        // Loopback: RTT 1 ms, so the floor (10 ms) applies; each retry waits 1.5 x the one before. Ten NACKs used to
        // go out within 90 ms and the packet was given up while its retransmission could still have helped.
        NackGenerator g = new NackGenerator();
        g.onPacket(1, clock.nanos());
        g.onPacket(3, clock.nanos());
        // NACK number:           1  2   3   4   5   6    7    8    9   10   (checked every 1 ms: waits round up)
        long[] expectedAtMillis = {0, 10, 25, 48, 82, 133, 209, 323, 494, 751};
        long[] sentAt = new long[10];
        int sent = 0;
        for (long t = 0; t <= 1000 && sent < 10; t++) {
            if (collect(g, 1).length == 1) {
                sentAt[sent++] = t;
            }
            clock.advanceMillis(1);
        }
        assertThat(sentAt).containsExactly(expectedAtMillis);
        assertThat(g.givenUp()).as("still tracked after 10 NACKs until the next check").isZero();
        assertThat(g.onPacket(2, clock.nanos())).as("a late retransmission still counts").isEqualTo(
                NackGenerator.RECOVERED);
    }

    @Test
    void retryIntervalTable() {
        // first interval  NACKs so far  wait
        long[][] rows = {
                {10, 1, 10},
                {10, 2, 15},
                {10, 3, 22},
                {50, 1, 50},
                {50, 2, 75},
                {50, 4, 168},
        };
        for (long[] r : rows) {
            assertThat(NackGenerator.retryInterval(r[0] * MS, (int) r[1]) / MS).as("first %d after %d", r[0], r[1])
                    .isEqualTo(r[2]);
        }
    }

    @Test
    void keyFramePacketsAreAskedForFirst() {
        // A NACK message holds 2 numbers here, so the order matters.
        int[] two = new int[2];
        NackGenerator g = new NackGenerator();
        // seq  timestamp  key frame start
        g.onPacket(10, clock.nanos(), 1000, false);  // a delta frame
        g.onPacket(13, clock.nanos(), 2000, false);  // 11, 12 lost: between two delta frames
        g.onPacket(14, clock.nanos(), 3000, true);   // a key frame starts
        g.onPacket(17, clock.nanos(), 3000, false);  // 15, 16 lost inside the key frame
        g.onPacket(18, clock.nanos(), 3000, false);
        g.onPacket(20, clock.nanos(), 4000, false);  // 19 lost right after the key frame's last packet seen
        g.onPacket(21, clock.nanos(), 5000, false);
        g.onPacket(23, clock.nanos(), 6000, false);  // 22 lost between delta frames
        assertThat(g.collect(clock.nanos(), 20 * MS, two)).isEqualTo(2);
        assertThat(two).containsExactly(15, 16);
        assertThat(g.collect(clock.nanos(), 20 * MS, two)).isEqualTo(2);
        assertThat(two).as("then the key frame's possible tail, then the oldest others").containsExactly(19, 11);
        assertThat(g.collect(clock.nanos(), 20 * MS, two)).isEqualTo(2);
        assertThat(two).containsExactly(12, 22);
    }

    @Test
    void aGapBeforeAKeyFrameStartIsNotPartOfIt() {
        int[] one = new int[1];
        NackGenerator g = new NackGenerator();
        g.onPacket(1, clock.nanos(), 1000, true);   // key frame 1000
        g.onPacket(2, clock.nanos(), 2000, false);  // delta
        g.onPacket(4, clock.nanos(), 3000, true);   // 3 lost: the delta frame's tail, before the next key frame
        g.onPacket(5, clock.nanos(), 3000, false);
        g.onPacket(7, clock.nanos(), 3000, false);  // 6 lost inside key frame 3000
        assertThat(g.collect(clock.nanos(), 20 * MS, one)).isEqualTo(1);
        assertThat(one).containsExactly(6);
        assertThat(g.collect(clock.nanos(), 20 * MS, one)).isEqualTo(1);
        assertThat(one).containsExactly(3);
    }
}
