package dev.prism.netem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The impairment model as tables: each row offers a packet at a time (ms) and says when it leaves or why it is
 * dropped, with the random draws scripted so every outcome is exact.
 */
class LinkTest {
    private static final long MS = 1_000_000L;
    private static final long US = 1_000L;

    /** Offers a 1,000-byte packet at {@code atMs} and returns its departure in ms, or the drop reason's name. */
    private static Object offer(Link link, double atMs) {
        return offer(link, atMs, 1000);
    }

    private static Object offer(Link link, double atMs, int bytes) {
        long d = link.offer(Math.round(atMs * MS), bytes);
        return d == Link.DROPPED ? link.lastDropReason().name() : (Object) (d / (double) MS);
    }

    @Test
    void aFixedDelayAddsTheSameTimeToEveryPacketAndDrawsNothing() {
        ScriptedRandom random = new ScriptedRandom();
        Link link = new Link(LinkProfile.PERFECT.withDelay(Duration.ofMillis(50)), random);
        assertThat(offer(link, 0)).isEqualTo(50.0);
        assertThat(offer(link, 10)).isEqualTo(60.0);
        assertThat(offer(link, 10)).isEqualTo(60.0);
        assertThat(offer(link, 33.5)).isEqualTo(83.5);
    }

    @Test
    void uniformJitterInOrderHoldsAPacketThatDrewLessBehindItsPredecessor() {
        // offsets (2u - 1) * 20 ms: 0, -20, +20, -10
        Link link = new Link(LinkProfile.PERFECT.withDelay(Duration.ofMillis(50))
                .withJitter(Duration.ofMillis(20), Jitter.UNIFORM), new ScriptedRandom(0.5, 0.0, 1.0, 0.25));
        assertThat(offer(link, 0)).isEqualTo(50.0);
        assertThat(offer(link, 10)).as("drew 40, waits for the packet ahead").isEqualTo(50.0);
        assertThat(offer(link, 20)).isEqualTo(90.0);
        assertThat(offer(link, 30)).as("drew 70, waits for the packet ahead").isEqualTo(90.0);
    }

    @Test
    void uniformJitterWithReorderingLetsALaterPacketOvertake() {
        Link link = new Link(LinkProfile.PERFECT.withDelay(Duration.ofMillis(50))
                .withJitter(Duration.ofMillis(20), Jitter.UNIFORM).withReordering(true),
                new ScriptedRandom(0.5, 0.0, 1.0, 0.25));
        assertThat(offer(link, 0)).isEqualTo(50.0);
        assertThat(offer(link, 10)).isEqualTo(40.0);
        assertThat(offer(link, 20)).isEqualTo(90.0);
        assertThat(offer(link, 30)).isEqualTo(70.0);
    }

    @Test
    void jitterLargerThanTheDelayNeverMakesAPacketLeaveBeforeItArrived() {
        Link link = new Link(LinkProfile.PERFECT.withDelay(Duration.ofMillis(5))
                .withJitter(Duration.ofMillis(20), Jitter.UNIFORM).withReordering(true), new ScriptedRandom(0.0));
        assertThat(offer(link, 100)).isEqualTo(100.0);
    }

    @Test
    void normalJitterStaysWithinThreeDeviationsAndASeedRepeatsItself() {
        LinkProfile p = LinkProfile.PERFECT.withDelay(Duration.ofMillis(100))
                .withJitter(Duration.ofMillis(10), Jitter.NORMAL).withReordering(true);
        Link a = new Link(p, RandomSource.seeded(7));
        Link b = new Link(p, RandomSource.seeded(7));
        double sum = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            long t = i * MS;
            long da = a.offer(t, 1000);
            assertThat(da).isEqualTo(b.offer(t, 1000));
            assertThat(da - t).isBetween(70 * MS, 130 * MS);
            sum += da - t;
        }
        assertThat(sum / n / MS).isCloseTo(100.0, org.assertj.core.data.Offset.offset(0.5));
        // Box-Muller with u1 = 0.5, u2 = 0: sqrt(2 ln 2) = 1.1774 deviations
        Link exact = new Link(p, new ScriptedRandom(0.5, 0.0));
        assertThat(exact.offer(0, 1000)).isEqualTo(100 * MS + Math.round(Math.sqrt(2 * Math.log(2)) * 10 * MS));
    }

    @Test
    void bernoulliLossDropsWhenTheDrawIsBelowTheProbability() {
        Link link = new Link(LinkProfile.PERFECT.withLoss(new LossModel.Bernoulli(0.05)),
                new ScriptedRandom(0.5, 0.04, 0.05, 0.049999, 0.0));
        assertThat(offer(link, 0)).isEqualTo(0.0);
        assertThat(offer(link, 1)).isEqualTo("LOSS");
        assertThat(offer(link, 2)).isEqualTo(2.0);
        assertThat(offer(link, 3)).isEqualTo("LOSS");
        assertThat(offer(link, 4)).isEqualTo("LOSS");
    }

    @Test
    void gilbertElliottLosesByStateAndMovesAfterEachPacket() {
        // per packet: the loss draw against the current state's loss, then the transition draw
        Link link = new Link(LinkProfile.PERFECT.withLoss(new LossModel.GilbertElliott(0.1, 0.5, 0, 1)),
                new ScriptedRandom(
                        0.0, 0.05,  // good: kept (0 < 0 is false); 0.05 < 0.1 -> bad
                        0.99, 0.7,  // bad: lost; 0.7 >= 0.5 -> stays bad
                        0.3, 0.2,   // bad: lost; 0.2 < 0.5 -> good
                        0.0, 0.5)); // good: kept; stays good
        assertThat(offer(link, 0)).isEqualTo(0.0);
        assertThat(link.inBadState()).isTrue();
        assertThat(offer(link, 1)).isEqualTo("LOSS");
        assertThat(link.inBadState()).isTrue();
        assertThat(offer(link, 2)).isEqualTo("LOSS");
        assertThat(link.inBadState()).isFalse();
        assertThat(offer(link, 3)).isEqualTo(3.0);
        assertThat(link.inBadState()).isFalse();
    }

    @Test
    void burstyLossOfTwoPercentInBurstsOfThreeHasThoseLongRunFigures() {
        LossModel.GilbertElliott model = LossModel.GilbertElliott.bursty(0.02, 3);
        assertThat(model.badToGood()).isEqualTo(1.0 / 3);
        assertThat(model.goodToBad()).isCloseTo(0.02 / 3 / 0.98, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(model.averageLoss()).isCloseTo(0.02, org.assertj.core.data.Offset.offset(1e-12));

        Link link = new Link(LinkProfile.PERFECT.withLoss(model), RandomSource.seeded(42));
        int n = 500_000;
        int lost = 0;
        int bursts = 0;
        boolean previousLost = false;
        for (int i = 0; i < n; i++) {
            boolean isLost = link.offer(i * US, 100) == Link.DROPPED;
            if (isLost) {
                lost++;
                if (!previousLost) {
                    bursts++;
                }
            }
            previousLost = isLost;
        }
        assertThat((double) lost / n).isCloseTo(0.02, org.assertj.core.data.Offset.offset(0.002));
        assertThat((double) lost / bursts).as("mean burst length").isCloseTo(3.0,
                org.assertj.core.data.Offset.offset(0.2));
    }

    @Test
    void theTokenBucketPassesABurstThenQueuesAtTheRateAndDropsTheTailBeyondTheQueueLimit() {
        // 8 Mbit/s = one byte per microsecond: a 1,000-byte packet takes 1 ms. Burst 2,000 B, queue 3,000 B.
        Link link = new Link(LinkProfile.PERFECT.withRate(8_000_000, 2000, 3000), new ScriptedRandom());
        assertThat(offer(link, 0)).as("burst").isEqualTo(0.0);
        assertThat(offer(link, 0)).as("burst").isEqualTo(0.0);
        assertThat(offer(link, 0)).as("queued 1,000 B").isEqualTo(1.0);
        assertThat(offer(link, 0)).as("queued 2,000 B").isEqualTo(2.0);
        assertThat(offer(link, 0)).as("queued 3,000 B").isEqualTo(3.0);
        assertThat(offer(link, 0)).as("4,000 B would wait").isEqualTo("QUEUE_FULL");
        assertThat(link.queuedBytes()).isEqualTo(3000);
        assertThat(offer(link, 1.5)).as("the first queued one has left: room again").isEqualTo(4.0);
        assertThat(offer(link, 1.5, 500)).as("a smaller packet still does not fit").isEqualTo("QUEUE_FULL");
        assertThat(offer(link, 10)).as("quiet since 4 ms: the bucket refilled").isEqualTo(10.0);
        assertThat(offer(link, 10)).isEqualTo(10.0);
        assertThat(offer(link, 10)).isEqualTo(11.0);
    }

    @Test
    void theRateAddsTheFixedDelayAfterTheBucket() {
        Link link = new Link(LinkProfile.PERFECT.withRate(8_000_000, 1000, 10_000).withDelay(Duration.ofMillis(20)),
                new ScriptedRandom());
        assertThat(offer(link, 0)).isEqualTo(20.0);
        assertThat(offer(link, 0)).isEqualTo(21.0);
        assertThat(offer(link, 0, 250)).isEqualTo(21.25);
    }

    @Test
    void aRateDropQueuesNewPacketsBehindTheOldQueueAtTheNewRateAndBack() {
        LinkProfile fast = LinkProfile.PERFECT.withRate(8_000_000, 1000, 100_000);
        LinkProfile slow = LinkProfile.PERFECT.withRate(800_000, 1000, 100_000); // 1,000 B take 10 ms
        Link link = new Link(fast, new ScriptedRandom());
        assertThat(offer(link, 0)).isEqualTo(0.0);
        assertThat(offer(link, 0)).isEqualTo(1.0);
        link.setProfile(0, slow);
        assertThat(offer(link, 0)).as("behind the packet leaving at 1 ms, 10 ms at the new rate").isEqualTo(11.0);
        link.setProfile(5 * MS, fast);
        assertThat(offer(link, 5)).as("behind 11 ms, 1 ms at the old rate again").isEqualTo(12.0);
        link.setProfile(20 * MS, LinkProfile.PERFECT);
        assertThat(offer(link, 20)).as("no limit").isEqualTo(20.0);
        link.setProfile(30 * MS, slow);
        assertThat(offer(link, 30)).as("a new limit starts with a full bucket").isEqualTo(30.0);
        assertThat(offer(link, 30)).isEqualTo(40.0);
    }

    @Test
    void lostPacketsTakeNoTokens() {
        Link link = new Link(LinkProfile.PERFECT.withLoss(new LossModel.Bernoulli(0.5)).withRate(8_000_000, 1000, 0),
                new ScriptedRandom(0.1, 0.9, 0.9));
        assertThat(offer(link, 0)).isEqualTo("LOSS");
        assertThat(offer(link, 0)).isEqualTo(0.0);
        assertThat(offer(link, 0)).as("queue limit 0: a packet that would wait is dropped").isEqualTo("QUEUE_FULL");
    }

    @Test
    void anOutageDropsEverythingWithoutDrawingAndEndsCleanly() {
        ScriptedRandom random = new ScriptedRandom(0.9);
        Link link = new Link(LinkProfile.PERFECT.withDelay(Duration.ofMillis(10))
                .withLoss(new LossModel.Bernoulli(0.05)), random);
        link.setOutage(true);
        assertThat(offer(link, 0)).isEqualTo("OUTAGE");
        assertThat(offer(link, 1)).isEqualTo("OUTAGE");
        link.setOutage(false);
        assertThat(offer(link, 2)).isEqualTo(12.0);
        assertThat(random.left()).isZero();
    }

    @Test
    void badProfilesAreRefused() {
        assertThatThrownBy(() -> LinkProfile.PERFECT.withDelay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkProfile.PERFECT.withRate(1000, 0, 100))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LossModel.Bernoulli(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LossModel.GilbertElliott(0.1, 0, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LossModel.GilbertElliott.bursty(0.02, 0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
