package dev.prism.rtp.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import org.junit.jupiter.api.Test;

class ProberTest {
    private final FakeClock clock = new FakeClock();
    private final Prober prober = new Prober(clock, Prober.Config.DEFAULT);

    @Test
    void probesOnlyWhenTheEstimateLimitsTheAllocation() {
        assertThat(prober.maybeStart(2_000_000, 1_800_000, 1_800_000, false)).isNull(); // everything fits
        assertThat(prober.maybeStart(1_000_000, 800_000, 2_500_000, true)).isNull();    // congested
        ProbeCluster c = prober.maybeStart(1_000_000, 800_000, 2_500_000, false);
        assertThat(c).isNotNull();
        assertThat(c.targetBps()).isEqualTo(2_000_000);           // capped at 2 x the estimate
        assertThat(c.baselineBps()).isEqualTo(1_000_000);
        assertThat(prober.maybeStart(1_000_000, 800_000, 2_500_000, false)).isNull();   // one at a time
    }

    /**
     * An estimate a little above the desired rate (2.57 Mbit/s for 2.5: a probe that fell just short of its target)
     * does not pay for the allocator's upgrade headroom, so the allocation stays lower; the prober must still probe,
     * to the desired rate with headroom, or that subscriber stays on the lower layer for good.
     */
    @Test
    void probesWhenTheEstimateCoversTheDesiredRateButNotItsHeadroom() {
        assertThat(prober.maybeStart(2_570_000, 2_500_000, 2_500_000, false)).as("everything allocated").isNull();
        assertThat(prober.maybeStart(3_100_000, 520_000, 2_500_000, false)).as("headroom covered: the allocator's call")
                .isNull();
        ProbeCluster c = prober.maybeStart(2_570_000, 520_000, 2_500_000, false);
        assertThat(c).isNotNull();
        assertThat(c.targetBps()).isEqualTo(3_000_000);           // 1.2 x desired
    }

    @Test
    void targetCoversTheDesiredRateWithHeadroom() {
        ProbeCluster c = prober.maybeStart(1_000_000, 800_000, 1_200_000, false);
        assertThat(c.targetBps()).isEqualTo(1_440_000);           // 1.2 x desired, below 2 x estimate
    }

    @Test
    void paddingFillsTheGapBetweenMediaAndTarget() {
        ProbeCluster c = prober.maybeStart(1_000_000, 800_000, 2_500_000, false);
        assertThat(prober.activeClusterId()).isEqualTo(c.id());
        // 2 Mbit/s = 250 bytes per ms; 5 ms released ahead.
        assertThat(prober.paddingBytesDue()).isEqualTo(1250);
        prober.onSent(1200);                                      // media counts toward the target
        assertThat(prober.paddingBytesDue()).isEqualTo(50);
        clock.advanceMillis(10);
        assertThat(prober.paddingBytesDue()).isEqualTo(3750 - 1200);
        clock.advanceMillis(100);                                 // the cluster is over
        assertThat(prober.paddingBytesDue()).isZero();
        assertThat(prober.activeClusterId()).isEqualTo(-1);
        prober.onSent(1200);                                      // no longer counted
    }

    @Test
    void successAllowsTheNextProbeSoonFailureBacksOffExponentially() {
        ProbeCluster c = prober.maybeStart(1_000_000, 800_000, 2_500_000, false);
        clock.advanceMillis(150);
        assertThat(prober.maybeStart(1_000_000, 800_000, 2_500_000, false)).isNull(); // awaiting the result
        prober.onProbeResult(c.id(), 1_900_000);                  // 95% of the 2 Mbit/s target
        assertThat(prober.succeeded()).isEqualTo(1);
        assertThat(prober.backoffMillis()).isEqualTo(1_000);
        clock.advanceMillis(999);
        assertThat(prober.maybeStart(1_900_000, 1_500_000, 2_500_000, false)).isNull();
        clock.advanceMillis(1);
        long[] waits = new long[5];
        for (int i = 0; i < waits.length; i++) {
            ProbeCluster f = prober.maybeStart(1_900_000, 1_500_000, 2_500_000, false);
            assertThat(f).as("probe " + i).isNotNull();
            clock.advanceMillis(150);
            prober.onProbeResult(f.id(), 2_500_000);              // below 90% of the 3.0 Mbit/s target: failed
            waits[i] = prober.backoffMillis();
            clock.advanceMillis(waits[i] - 1);
            assertThat(prober.maybeStart(1_900_000, 1_500_000, 2_500_000, false)).isNull();
            clock.advanceMillis(1);
        }
        assertThat(waits).containsExactly(2_000, 4_000, 8_000, 16_000, 32_000);
        assertThat(prober.failed()).isEqualTo(5);
    }

    @Test
    void afterAFailureProbesAimJustAboveTheMeasuredCapacityUntilOneSucceeds() {
        Prober gentle = new Prober(clock, new Prober.Config(100, 2.0, 1.2, 1_000, 4_000, 2_000, 1.25, 500));
        ProbeCluster first = gentle.maybeStart(300_000, 200_000, 700_000, false);
        assertThat(first.targetBps()).isEqualTo(600_000);                 // 2 x the estimate
        assertThat(first.durationMillis()).isEqualTo(100);
        clock.advanceMillis(150);
        gentle.onProbeResult(first.id(), 380_000);                          // the path carries 380k: failed
        assertThat(gentle.measuredCapacityBps()).isEqualTo(380_000);
        clock.advanceMillis(gentle.backoffMillis());
        ProbeCluster retry = gentle.maybeStart(290_000, 200_000, 700_000, false);
        assertThat(retry.targetBps()).isEqualTo(475_000);                 // 1.25 x the capacity, not 580k
        assertThat(retry.durationMillis()).isEqualTo(500);                // long enough to fill a narrow path's buffers
        clock.advanceMillis(550);
        gentle.onProbeResult(retry.id(), 470_000);                          // the path widened: success
        assertThat(gentle.measuredCapacityBps()).isZero();
        clock.advanceMillis(1_000);
        ProbeCluster next = gentle.maybeStart(470_000, 200_000, 700_000, false);
        assertThat(next.targetBps()).isEqualTo(840_000);
        assertThat(next.durationMillis()).isEqualTo(100);
    }

    @Test
    void aNarrowPathThatWidensAgainIsFoundWithinSeconds() {
        PathSimulator sim = new PathSimulator(SendSideEstimator.Config.DEFAULT, 0);
        sim.capacityBps = 400_000;
        sim.sendRateBps = () -> Math.min(sim.estimator.estimateBps(), 200_000);
        Prober p = new Prober(sim.clock, new Prober.Config(100, 2.0, 1.2, 1_000, 4_000, 2_000, 1.35, 500));
        sim.estimator.setProbeObserver(p);
        sim.prober = p;
        sim.desiredBps = 1_500_000;
        sim.run(30_000);
        assertThat(sim.estimator.estimateBps()).as("narrow").isLessThan(500_000L);
        sim.capacityBps = 10_000_000;
        sim.run(8_000);
        assertThat(sim.estimator.estimateBps()).as("8 s after the path widened").isGreaterThan(1_000_000L);
    }

    @Test
    void aMissingResultCountsAsFailure() {
        prober.maybeStart(1_000_000, 800_000, 2_500_000, false);
        clock.advanceMillis(100 + 2_000);
        assertThat(prober.activeClusterId()).isEqualTo(-1);
        assertThat(prober.failed()).isEqualTo(1);
        assertThat(prober.backoffMillis()).isEqualTo(2_000);
    }

    @Test
    void backoffIsCapped() {
        for (int i = 0; i < 12; i++) {
            clock.advanceMillis(prober.backoffMillis());
            ProbeCluster c = prober.maybeStart(1_000_000, 800_000, 2_500_000, false);
            clock.advanceMillis(150);
            prober.onProbeResult(c.id(), 0);
        }
        assertThat(prober.backoffMillis()).isEqualTo(60_000);
    }

    @Test
    void staleOrEarlyResultsAreIgnored() {
        ProbeCluster c = prober.maybeStart(1_000_000, 800_000, 2_500_000, false);
        prober.onProbeResult(c.id(), 2_000_000);                  // the cluster is still sending
        prober.onProbeResult(c.id() + 7, 2_000_000);              // someone else's
        assertThat(prober.succeeded() + prober.failed()).isZero();
    }

    @Test
    void probingRaisesAnApplicationLimitedEstimateStepByStep() {
        PathSimulator sim = new PathSimulator(SendSideEstimator.Config.DEFAULT, 0);
        sim.capacityBps = 6_000_000;
        sim.sendRateBps = () -> Math.min(sim.estimator.estimateBps(), 300_000 + sim.estimator.estimateBps() / 4);
        Prober p = new Prober(sim.clock, Prober.Config.DEFAULT);
        sim.estimator.setProbeObserver(p);
        sim.prober = p;
        sim.desiredBps = 4_000_000;
        sim.run(15_000);
        assertThat(sim.estimator.estimateBps()).isGreaterThan(3_500_000L);
        assertThat(p.succeeded()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void probingANarrowPathBacksOffInsteadOfHammeringIt() {
        PathSimulator sim = new PathSimulator(SendSideEstimator.Config.DEFAULT, 0);
        sim.capacityBps = 900_000;
        sim.sendRateBps = () -> Math.min(sim.estimator.estimateBps(), 600_000);
        Prober p = new Prober(sim.clock, Prober.Config.DEFAULT);
        sim.estimator.setProbeObserver(p);
        sim.prober = p;
        sim.desiredBps = 2_500_000;
        sim.run(60_000);
        assertThat(sim.estimator.estimateBps()).isLessThan(1_000_000L);
        assertThat(p.started()).isLessThan(12);                   // exponential back-off, not one per second
        assertThat(p.backoffMillis()).isGreaterThanOrEqualTo(8_000);
    }
    /**
     * A link drop ({@link LinkDropDetector}) ends a running probe and counts as a failure that measured the capacity:
     * the next probe waits the back-off and is a long retry at twice the capacity (even when the estimate is lower),
     * so a narrow link's token bucket cannot swallow it and pass it as success. Before: the drop changed nothing and the next probe was a 100 ms burst
     * at twice the estimate one second later.
     */
    @Test
    void aLinkDropEndsTheProbeAndMakesTheNextOneALongRetryAboveTheMeasuredCapacity() {
        Prober p = new Prober(clock, new Prober.Config(100, 2.0, 1.2, 1_000, 3_000, 2_000, 2.0, 400));
        ProbeCluster first = p.maybeStart(1_500_000, 1_400_000, 2_000_000, false);
        assertThat(first).isNotNull();
        clock.advanceMillis(50);
        p.onLinkDrop(300_000);
        assertThat(p.isProbing()).isFalse();
        assertThat(p.paddingBytesDue()).isZero();
        assertThat(p.measuredCapacityBps()).isEqualTo(300_000);
        assertThat(p.failed()).isEqualTo(1);
        p.onProbeResult(first.id(), 1_500_000);                   // the cut-short cluster's late result: ignored
        assertThat(p.succeeded()).isZero();
        clock.advanceMillis(1_000);
        assertThat(p.maybeStart(255_000, 200_000, 2_000_000, false)).as("back-off of 2 s").isNull();
        clock.advanceMillis(1_000);
        ProbeCluster retry = p.maybeStart(255_000, 200_000, 2_000_000, false);
        assertThat(retry).isNotNull();
        assertThat(retry.targetBps()).isEqualTo(600_000);         // 2 x the measured capacity (not of the lower estimate)
        assertThat(retry.durationMillis()).isEqualTo(400);
        clock.advanceMillis(400);
        p.onProbeResult(retry.id(), 560_000);                     // the link widened: a success
        assertThat(p.succeeded()).isEqualTo(1);
        clock.advanceMillis(1_000);
        ProbeCluster next = p.maybeStart(560_000, 200_000, 2_000_000, false);
        assertThat(next.targetBps()).isEqualTo(1_120_000);
        assertThat(next.durationMillis()).as("still long: a short one would pass the link's burst").isEqualTo(400);
        clock.advanceMillis(20_000);
        p.onProbeResult(next.id(), 1_120_000);
        clock.advanceMillis(1_000);
        assertThat(p.maybeStart(1_000_000, 800_000, 2_000_000, false).durationMillis()).as("20 s after the drop")
                .isEqualTo(100);
    }

    /** Issue #14 item 2: a retry whose packets queue up stops sending at once and counts as failed. */
    @Test
    void aProbeWhosePacketsQueueUpStopsAtOnceAndFails() {
        Prober p = new Prober(clock, new Prober.Config(100, 2.0, 1.2, 1_000, 3_000, 2_000, 1.5, 800));
        p.onLinkDrop(300_000);
        clock.advanceMillis(p.backoffMillis());
        ProbeCluster retry = p.maybeStart(255_000, 200_000, 1_700_000, false);
        assertThat(retry.targetBps()).isEqualTo(450_000);                 // 1.5 x the measured capacity
        assertThat(retry.durationMillis()).isEqualTo(800);
        clock.advanceMillis(500);
        p.onProbeQueueing(retry.id() + 1);                                // not this cluster: ignored
        assertThat(p.isProbing()).isTrue();
        p.onProbeQueueing(retry.id());
        assertThat(p.isProbing()).isFalse();
        assertThat(p.paddingBytesDue()).isZero();
        assertThat(p.aborted()).isEqualTo(1);
        p.onProbeResult(retry.id(), 290_000);                              // what arrived once the queue stood
        assertThat(p.failed()).isEqualTo(2);                               // the drop, then this retry
        assertThat(p.measuredCapacityBps()).isEqualTo(290_000);
        assertThat(p.backoffMillis()).isEqualTo(3_000);
        assertThat(p.maybeStart(255_000, 200_000, 1_700_000, false)).as("backing off").isNull();
    }
}
