package dev.prism.rtp.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.rtp.bwe.LossClassifier.LossKind;
import org.junit.jupiter.api.Test;

class LossClassifierTest {
    private static final LossKind NONE = LossKind.NONE;
    private static final LossKind RANDOM = LossKind.RANDOM;
    private static final LossKind CONGESTION = LossKind.CONGESTION;

    @Test
    void theRuleAsATable() {
        Object[][] rows = {
                // loss   mean run  repaired  repairs lost  overusing  queue ms  -> kind          why
                {0.00, 1.0, 1.0, 0.00, false, 0, NONE},                 // nothing lost
                {0.01, 1.0, 0.0, 0.00, false, 0, NONE},                 // below 2 %: does not matter
                {0.05, 1.0, 1.0, 0.05, false, 2, RANDOM},               // 5 % random, repaired, no queue
                {0.05, 1.05, 0.9, 0.00, false, 10, RANDOM},             // jitter of 10 ms is not a queue
                {0.12, 1.1, 0.95, 0.10, false, 0, RANDOM},              // heavy but still repaired and flat
                {0.20, 1.1, 0.95, 0.20, false, 0, CONGESTION},          // above 15 %: repairing costs as much
                {0.05, 1.0, 1.0, 0.05, true, 0, CONGESTION},            // the delay gradient says overusing
                {0.05, 1.0, 1.0, 0.05, false, 30, CONGESTION},          // a queue of 30 ms: loss with queueing
                {0.05, 1.0, 1.0, 0.05, false, 120, CONGESTION},         // a full buffer
                {0.05, 3.0, 1.0, 0.05, false, 0, CONGESTION},           // drops in runs: a policer or full queue
                {0.05, 1.5, 1.0, 0.05, false, 0, RANDOM},               // runs of 1.5 on average still random
                {0.05, 1.0, 0.2, 0.00, false, 0, CONGESTION},           // not repaired (no NACK, no RTX)
                {0.05, 1.0, 0.4, 0.05, false, 0, RANDOM},               // video repaired, audio's loss never is
                {0.05, 1.0, 0.6, 0.30, false, 0, CONGESTION},           // repairs lost far more than media
                {0.05, 1.0, 0.9, 0.10, false, 0, RANDOM},               // repairs lost 2x media: not more
                {0.01, 1.0, 1.0, 0.00, true, 80, NONE},                 // a queue without loss: delay-based's job
        };
        for (Object[] r : rows) {
            LossKind kind = LossClassifier.classify((double) r[0], (double) r[1], (double) r[2], (double) r[3],
                    (boolean) r[4], (int) r[5] * 1000L);
            assertThat(kind).as("loss %s run %s repaired %s repairs lost %s overusing %s queue %s ms", r[0], r[1],
                    r[2], r[3], r[4], r[5]).isEqualTo(r[6]);
        }
    }

    /**
     * One feedback message every 100 ms reporting {@code packets} packets sent 2 ms apart, every
     * {@code lossEvery}-th lost (0: none), each loss repaired by a retransmission delivered in the same message when
     * {@code repaired}; one-way delay {@code baseDelay + queue}, the queue growing by {@code queueGrowth} per message.
     */
    private static final class Feed {
        final LossClassifier c = new LossClassifier();
        long now;
        long seq;
        long queueMicros;

        LossKind message(int packets, int lossEvery, boolean repaired, long queueGrowthMicros, boolean overusing) {
            queueMicros += queueGrowthMicros;
            for (int i = 0; i < packets; i++) {
                long send = now + i * 2_000L;
                seq++;
                if (lossEvery > 0 && seq % lossEvery == 0) {
                    c.onLost(false);
                    if (repaired) { // the retransmission (numbered later; one-packet runs either way)
                        c.onReceived(send + 1_000, send + 1_000 + 40_000 + queueMicros, true);
                    }
                } else {
                    c.onReceived(send, send + 40_000 + queueMicros, false);
                }
            }
            now += 100_000;
            return c.onFeedback(overusing, now);
        }
    }

    @Test
    void fivePercentRepairedLossWithAFlatDelayIsRandom() {
        Feed f = new Feed();
        // time    message                               kind after it
        assertThat(f.message(50, 20, true, 0, false)).isEqualTo(NONE);     //  100 ms: window not full yet
        assertThat(f.message(50, 20, true, 0, false)).isEqualTo(RANDOM);   //  200 ms: 100 packets, 5 lost, repaired
        for (int i = 0; i < 20; i++) {
            assertThat(f.message(50, 20, true, 0, false)).isEqualTo(RANDOM);
        }
        assertThat(f.c.lossFraction()).isBetween(0.04, 0.06);
        assertThat(f.c.repairedShare()).isEqualTo(1.0);
        assertThat(f.c.meanLossRun()).isEqualTo(1.0);
        assertThat(f.c.queueDelayMillis()).isLessThan(1.0);
    }

    @Test
    void theSameLossWithAGrowingQueueIsCongestionWithoutWaitingForTheWindow() {
        Feed f = new Feed();
        for (int i = 0; i < 6; i++) {
            f.message(50, 20, true, 0, false);
        }
        assertThat(f.c.kind()).isEqualTo(RANDOM);
        // The queue grows 20 ms per message: the mean over a half-full window reaches 30 ms within two messages.
        LossKind k1 = f.message(50, 20, true, 20_000, false);
        LossKind k2 = f.message(50, 20, true, 20_000, false);
        assertThat(k1 == CONGESTION || k2 == CONGESTION).as("%s %s", k1, k2).isTrue();
        assertThat(f.message(50, 20, true, 20_000, false)).isEqualTo(CONGESTION);
    }

    @Test
    void lossWhileTheDetectorOverusesIsCongestionAtOnce() {
        Feed f = new Feed();
        for (int i = 0; i < 6; i++) {
            f.message(50, 20, true, 0, false);
        }
        assertThat(f.message(30, 10, true, 0, true)).isEqualTo(CONGESTION);
    }

    @Test
    void unrepairedLossIsCongestion() {
        Feed f = new Feed();
        f.message(50, 20, false, 0, false);
        assertThat(f.message(50, 20, false, 0, false)).isEqualTo(CONGESTION);
    }

    @Test
    void lossInRunsIsCongestion() {
        LossClassifier c = new LossClassifier();
        long t = 0;
        // 100 packets: 3 runs of 3 lost (a tail-drop queue throwing away frame bursts), flat delay; the 9
        // retransmissions come later in transport-wide order, all delivered
        for (int i = 0; i < 100; i++) {
            long send = t + i * 2_000L;
            if (i % 30 >= 27) {
                c.onLost(false);
            } else {
                c.onReceived(send, send + 40_000, false);
            }
        }
        for (int i = 0; i < 9; i++) {
            c.onReceived(200_000 + i * 1_000L, 240_000 + i * 1_000L, true);
        }
        assertThat(c.onFeedback(false, 200_000)).isEqualTo(CONGESTION);
        assertThat(c.meanLossRun()).isEqualTo(3.0);
    }

    @Test
    void lightLossIsNoneAndTheVerdictFollowsTheLatestWindow() {
        Feed f = new Feed();
        f.message(50, 100, true, 0, false);
        assertThat(f.message(50, 100, true, 0, false)).as("1 % lost").isEqualTo(NONE);
        f.message(50, 20, true, 0, false);
        assertThat(f.message(50, 20, true, 0, false)).isEqualTo(RANDOM);
        f.message(50, 20, false, 0, false);
        assertThat(f.message(50, 20, false, 0, false)).as("repair stopped").isEqualTo(CONGESTION);
        assertThat(f.c.randomWindows()).isEqualTo(1);
        assertThat(f.c.congestionWindows()).isEqualTo(1);
    }

    @Test
    void aSlowStreamClosesItsWindowByTime() {
        Feed f = new Feed();
        // 10 packets per 100 ms: 20 packets and a second are enough.
        for (int i = 0; i < 9; i++) {
            assertThat(f.message(10, 20, true, 0, false)).as("message %d", i).isEqualTo(NONE);
        }
        assertThat(f.message(10, 20, true, 0, false)).isEqualTo(RANDOM);
    }

    @Test
    void oneOrTwoLostRetransmissionsDoNotMakeRepairsLookLostMore() {
        Feed f = new Feed();
        f.message(50, 20, true, 0, false);
        // 100 packets, 5 lost and repaired; two more retransmissions (of older losses) lost: 2 of 7 is 29 %, but two
        // are too few to say the retransmissions are what the path drops
        f.c.onLost(true);
        f.c.onLost(true);
        assertThat(f.message(50, 20, true, 0, false)).isEqualTo(RANDOM);
        assertThat(f.c.toString()).startsWith("RANDOM(random: loss 0.06");
    }

    @Test
    void theVerdictSaysWhy() {
        Feed f = new Feed();
        f.message(50, 20, true, 0, false);
        f.message(50, 20, true, 0, true);
        assertThat(f.c.toString()).startsWith("CONGESTION(overuse: loss 0.048 run 1.0 repaired 1.0 queue 0 ms");
    }
}
