package dev.prism.rtp.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The receiver-report loss estimate (the fallback for unusable transport-cc), as a table over a fake clock. */
class ReceiverReportLossEstimatorTest {
    private final FakeClock clock = new FakeClock();
    private final ReceiverReportLossEstimator estimator =
        new ReceiverReportLossEstimator(clock, 1_000_000, 100_000, 30_000_000);

    @ParameterizedTest(name = "fraction {0}/256 one second after the start -> {1}")
    @CsvSource({
        "0,   1081000", // below 2%: +8% + 1 kbit/s
        "5,   1081000", // 1.95%
        "6,   1000000", // 2.3%: hold
        "25,  1000000", // 9.8%: hold
        "26,  949218",  // 10.2%: x (1 - loss/2)
        "128, 750000",  // 50%
        "255, 501953",  // 99.6%
    })
    void oneReport(int fractionLost, long expected) {
        clock.advanceMillis(1_000);
        estimator.onFractionLost(fractionLost);
        assertThat(estimator.estimateBps()).isEqualTo(expected);
    }

    @Test
    void growsAtMostOnceASecondAndCutsAtMostOncePer300MsPlusRtt() {
        clock.advanceMillis(500);
        estimator.onFractionLost(0);
        assertThat(estimator.estimateBps()).as("too soon after the start").isEqualTo(1_000_000);
        clock.advanceMillis(500);
        estimator.onFractionLost(0);
        estimator.onFractionLost(0);
        assertThat(estimator.estimateBps()).as("once").isEqualTo(1_081_000);

        estimator.setRttNanos(200_000_000L);
        estimator.onFractionLost(128);
        long cut = estimator.estimateBps();
        assertThat(cut).isEqualTo(810_750);
        clock.advanceMillis(400);
        estimator.onFractionLost(128);
        assertThat(estimator.estimateBps()).as("within 300 ms + RTT").isEqualTo(cut);
        clock.advanceMillis(100);
        estimator.onFractionLost(128);
        assertThat(estimator.estimateBps()).isEqualTo(608_062);
    }

    @Test
    void staysWithinItsFloorAndCeilingAndResetsToTheEstimateInForce() {
        for (int i = 0; i < 50; i++) {
            clock.advanceMillis(1_000);
            estimator.onFractionLost(255);
        }
        assertThat(estimator.estimateBps()).isEqualTo(100_000);
        estimator.reset(40_000_000);
        assertThat(estimator.estimateBps()).isEqualTo(30_000_000);
        assertThat(estimator.reports()).isEqualTo(50);
    }
}
