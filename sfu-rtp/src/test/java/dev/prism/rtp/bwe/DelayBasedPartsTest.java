package dev.prism.rtp.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pieces of the delay-based chain, one at a time. */
class DelayBasedPartsTest {

    @Test
    void interArrivalGroupsBurstsAndMeasuresGroupSpacing() {
        InterArrival ia = new InterArrival();
        // send µs, arrival µs: three packets of one frame (within 5 ms), then the next frame 33 ms later.
        assertThat(ia.add(0, 50_000)).isFalse();
        assertThat(ia.add(1_000, 51_000)).isFalse();
        assertThat(ia.add(2_000, 52_500)).isFalse();
        assertThat(ia.add(33_000, 84_000)).isFalse();          // second group starts: no previous complete pair yet
        assertThat(ia.add(34_000, 86_000)).isFalse();
        assertThat(ia.add(66_000, 118_000)).isTrue();          // second group complete against the first
        assertThat(ia.sendDeltaMicros()).isEqualTo(34_000 - 2_000);
        assertThat(ia.arrivalDeltaMicros()).isEqualTo(86_000 - 52_500);
        assertThat(ia.lastGroupArrivalMicros()).isEqualTo(86_000);
    }

    @Test
    void interArrivalJoinsADeliveryBurstToItsGroup() {
        InterArrival ia = new InterArrival();
        ia.add(0, 100_000);
        // Sent 20 ms later but delivered 1 ms after the first: a queue released them together.
        assertThat(ia.add(20_000, 101_000)).isFalse();
        ia.add(40_000, 140_000);
        assertThat(ia.add(80_000, 180_000)).isTrue();
        assertThat(ia.sendDeltaMicros()).isEqualTo(40_000 - 20_000); // the burst was one group ending at 20 ms
    }

    @Test
    void interArrivalResetsWhenTheArrivalClockJumps() {
        InterArrival ia = new InterArrival();
        ia.add(0, 1_000_000);
        ia.add(10_000, 1_010_000);
        ia.add(20_000, 9_000_000);                              // the receiver's clock jumped 8 s
        assertThat(ia.add(30_000, 9_010_000)).isFalse();
        assertThat(ia.resets()).isEqualTo(1);
    }

    @Test
    void trendlineSlopeFollowsGrowingDelay() {
        TrendlineFilter flat = new TrendlineFilter();
        TrendlineFilter growing = new TrendlineFilter();
        double flatTrend = 0;
        double growingTrend = 0;
        for (int i = 0; i < 60; i++) {
            flatTrend = flat.update(0, i * 20);
            growingTrend = growing.update(1.0, i * 20);         // each 20 ms group arrives 1 ms later than sent
        }
        assertThat(flatTrend).isEqualTo(0.0);
        // Slope of the smoothed accumulated delay approaches 1 ms per 20 ms = 0.05; x 60 samples x gain 4 = 12.
        assertThat(growingTrend).isBetween(9.0, 12.5);
        assertThat(growing.samples()).isEqualTo(60);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // name,                            trend, repeats, expected
            "'flat',                            0.0,   10,      normal",
            "'draining',                        -20.0, 3,       underusing",
            "'one sample above: not yet',       30.0,  1,       normal",
            "'sustained above threshold',       30.0,  3,       overusing",
    })
    void overuseNeedsTimeAndRepeats(String name, double trend, int repeats, String expected) {
        OveruseDetector d = new OveruseDetector();
        BandwidthUsage u = null;
        for (int i = 0; i < repeats; i++) {
            u = d.detect(trend, 10, 30, i * 10);
        }
        assertThat(u).hasToString(expected);
    }

    @Test
    void thresholdAdaptsSlowlyUpAndIgnoresSpikes() {
        OveruseDetector d = new OveruseDetector();
        double start = d.thresholdMs();
        d.detect(start + 100, 10, 30, 0);                       // a spike: no adaptation
        d.detect(start + 100, 10, 30, 100);
        assertThat(d.thresholdMs()).isEqualTo(start);
        for (int i = 0; i < 100; i++) {
            d.detect(start + 5, 10, 30, 200 + i * 100);          // persistently a little above: threshold rises
        }
        assertThat(d.thresholdMs()).isGreaterThan(start + 3);
        for (int i = 0; i < 100; i++) {
            d.detect(0, 10, 30, 20_000 + i * 100);               // quiet: back down to the floor
        }
        assertThat(d.thresholdMs()).isEqualTo(OveruseDetector.MIN_THRESHOLD_MS);
    }

    @Test
    void aimdDecreasesToBetaOfDeliveredAndThenCreepsAdditively() {
        AimdRateControl a = new AimdRateControl(2_000_000, 50_000, 10_000_000);
        a.update(BandwidthUsage.NORMAL, 1_900_000, 0);
        long afterDecrease = a.update(BandwidthUsage.OVERUSING, 1_600_000, 100_000);
        assertThat(afterDecrease).isEqualTo(1_360_000);          // 0.85 x 1.6 Mbit/s
        assertThat(a.state()).isEqualTo(AimdRateControl.State.HOLD);
        assertThat(a.knowsCapacity()).isTrue();
        // Still overusing 50 ms later: within one RTT (100 ms) no second cut.
        assertThat(a.update(BandwidthUsage.OVERUSING, 1_300_000, 150_000)).isEqualTo(1_360_000);
        a.update(BandwidthUsage.NORMAL, 1_300_000, 1_000_000);   // hold -> increase
        long before = a.estimate();
        long after = a.update(BandwidthUsage.NORMAL, 1_300_000, 2_000_000);
        assertThat(after - before).isBetween(4_000L, 60_000L);  // additive: about a packet per response time
    }

    @Test
    void aimdIncreasesMultiplicativelyWhenNoCapacityIsKnown() {
        AimdRateControl a = new AimdRateControl(1_000_000, 50_000, 10_000_000);
        a.update(BandwidthUsage.NORMAL, 0, 0);
        a.update(BandwidthUsage.NORMAL, 0, 1);
        long e = a.update(BandwidthUsage.NORMAL, 0, 1_000_001);
        assertThat(e).isBetween(1_079_000L, 1_081_000L);        // 8% in one second
    }

    @Test
    void aimdNeverRunsFarAheadOfWhatIsDelivered() {
        AimdRateControl a = new AimdRateControl(1_000_000, 50_000, 10_000_000);
        for (int i = 0; i <= 60; i++) {
            a.update(BandwidthUsage.NORMAL, 300_000, i * 1_000_000L);
        }
        assertThat(a.estimate()).isEqualTo(1_000_000);          // 1.5 x 300k + 10k is below: held, never lowered
    }

    @Test
    void lossControllerHoldsCutsAndReleases() {
        LossBasedController l = new LossBasedController();
        l.onPackets(19, 0);
        assertThat(l.update(1_000_000, 0, 100)).isEqualTo(LossBasedController.NO_CAP); // too few packets yet
        l.onPackets(95, 5);                                      // 5%: hold
        assertThat(l.update(1_000_000, 100_000, 100)).isEqualTo(1_000_000);
        l.onPackets(80, 20);                                     // 20%: cut to estimate x (1 - 0.1)
        assertThat(l.update(1_000_000, 200_000, 100)).isEqualTo(900_000);
        l.onPackets(80, 20);                                     // again 100 ms later: too soon (300 ms + RTT)
        assertThat(l.update(900_000, 300_000, 100)).isEqualTo(900_000);
        l.onPackets(80, 20);
        assertThat(l.update(900_000, 700_000, 100)).isEqualTo(810_000);
        l.onPackets(100, 0);                                     // clean: loosens by 8% per second
        assertThat(l.update(900_000, 1_800_000, 100)).isEqualTo(875_800);
        l.onPackets(100, 0);
        assertThat(l.update(800_000, 2_900_000, 100)).isEqualTo(LossBasedController.NO_CAP); // no longer binding
    }

    @Test
    void aLossCutStopsAtWhatThePathDelivered() {
        // An SFU still forwards a 700k layer into a 300k path while the lower layer's key frame is on its way: 55%
        // loss, 300k delivered. Cut after cut would reach the floor; 85% of the delivered rate is where it stops.
        LossBasedController l = new LossBasedController();
        long estimate = 1_000_000;
        long[] caps = new long[5];
        for (int i = 0; i < caps.length; i++) {
            l.onPackets(45, 55);
            caps[i] = l.update(estimate, i * 500_000L, 100, 300_000);
            estimate = caps[i];
        }
        assertThat(caps).containsExactly(725_000, 525_625, 381_078, 276_281, 255_000);
        l.onPackets(45, 55);
        assertThat(l.update(200_000, 3_000_000, 100, 300_000)).as("never above the estimate").isEqualTo(200_000);
    }
}
