package dev.prism.ops.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateMeterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void firstUpdateHasNoRateThenRatesArePerSecond() {
        RateMeter m = new RateMeter();
        assertThat(m.update(1000, 5 * SECOND)).isNull();
        assertThat(m.rate()).isNull();
        assertThat(m.update(3000, 6 * SECOND)).isEqualTo(2000.0);
        assertThat(m.update(3000, 8 * SECOND)).as("nothing new over two seconds").isEqualTo(0.0);
        assertThat(m.update(4000, 8 * SECOND + SECOND / 2)).isEqualTo(2000.0);
        assertThat(m.rate()).isEqualTo(2000.0);
    }

    @Test
    void noTimePassedOrACounterThatWentBackHasNoRate() {
        RateMeter m = new RateMeter();
        m.update(100, SECOND);
        assertThat(m.update(200, SECOND)).as("same instant").isNull();
        assertThat(m.update(50, 2 * SECOND)).as("counter went back (a new object under the same key)").isNull();
        assertThat(m.update(150, 3 * SECOND)).as("measures again from there").isEqualTo(100.0);
    }
}
