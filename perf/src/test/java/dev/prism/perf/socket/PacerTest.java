package dev.prism.perf.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PacerTest {
    private static final long MS = 1_000_000;

    @Test
    void owesWhatTheRateAccumulatedMinusWhatWasSentWithinTheBurst() {
        // 1000 items/s from t=0; burst 20, lag 100.
        long[][] rows = {
                // now (ms), done, expected due
                {0, 0, 0},
                {1, 0, 1},
                {10, 0, 10},
                {10, 10, 0},
                {10, 12, 0},     // ahead of the rate: nothing due, never negative
                {50, 0, 20},     // 50 owed, one call answers at most the burst
                {50, 40, 10},
        };
        for (long[] r : rows) {
            Pacer p = new Pacer(1000, 0, 20, 100);
            assertThat(p.due(r[0] * MS, r[1])).as("t=%d ms, done=%d", r[0], r[1]).isEqualTo(r[2]);
        }
    }

    @Test
    void aStalledDriverCatchesUpAtMostTheLagThenContinuesAtTheRate() {
        Pacer p = new Pacer(1000, 0, 1000, 100);
        assertThat(p.due(1000 * MS, 0)).isEqualTo(100);      // 1000 owed after a 1 s stall: only 100
        assertThat(p.due(1000 * MS, 100)).isEqualTo(0);      // the rest of the stall's credit is gone
        assertThat(p.due(1005 * MS, 100)).isEqualTo(5);      // and the rate goes on from there
    }

    @Test
    void unpacedAlwaysAnswersTheBurst() {
        Pacer p = new Pacer(0, 0, 64, 64);
        assertThat(p.due(0, 0)).isEqualTo(64);
        assertThat(p.due(1, 1_000_000)).isEqualTo(64);
    }

    @Test
    void refusesBadBounds() {
        assertThatThrownBy(() -> new Pacer(-1, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pacer(1, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pacer(1, 0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
