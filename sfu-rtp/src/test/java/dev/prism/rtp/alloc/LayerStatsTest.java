package dev.prism.rtp.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.rtp.testutil.Allocations;
import org.junit.jupiter.api.Test;

class LayerStatsTest {
    private final FakeClock clock = new FakeClock();
    private final LayerStats stats = new LayerStats(clock, 1000);

    /** 30 fps for {@code millis}: L1T3 frames of 1000 bytes on layer 0 and 3000 on layer 1 (2 packets). */
    private void send(long millis) {
        int[] tids = {0, 2, 1, 2};
        for (long t = 0; t < millis; t += 33) {
            int tid = tids[(int) (t / 33) % 4];
            stats.onPacket(0, tid, 1000, true);
            stats.onPacket(1, tid, 1500, true);
            stats.onPacket(1, tid, 1500, false);
            clock.advanceMillis(33);
        }
    }

    @Test
    void measuresCumulativeBitratesAndFrameRates() {
        send(3_000);
        // 30 fps x 1000 bytes = 240 kbit/s on layer 0: TL0 a quarter, TL0+TL1 half.
        assertThat(stats.bitrateBps(0, 2)).isBetween(230_000L, 250_000L);
        assertThat(stats.bitrateBps(0, 0)).isBetween(55_000L, 65_000L);
        assertThat(stats.bitrateBps(0, 1)).isBetween(115_000L, 125_000L);
        assertThat(stats.bitrateBps(1, 2)).isBetween(690_000L, 750_000L);
        assertThat(stats.frameRate(0, 2)).isBetween(29.0, 31.0);
        assertThat(stats.frameRate(1, 0)).isBetween(7.0, 8.0);
        assertThat(stats.isActive(1)).isTrue();
        assertThat(stats.isActive(2)).isFalse();
    }

    @Test
    void snapshotMarksMissingLayersWithZero() {
        send(2_000);
        long[][] snap = stats.snapshot(3);
        assertThat(snap).hasDimensions(3, 4);
        assertThat(snap[0][3]).isZero();                  // no TL3 traffic
        assertThat(snap[2]).containsOnly(0L);             // layer 2 never sent
        assertThat(snap[0][2]).isGreaterThan(snap[0][1]);
    }

    @Test
    void aLayerThatStopsFadesOutOfTheWindow() {
        send(2_000);
        for (int i = 0; i < 40; i++) {                    // only layer 0 continues
            stats.onPacket(0, 0, 1000, true);
            clock.advanceMillis(33);
        }
        assertThat(stats.isActive(1)).isFalse();
        assertThat(stats.bitrateBps(1, 2)).isZero();
        assertThat(stats.snapshot(2)[1]).containsOnly(0L);
    }

    @Test
    void earlyNumbersUseTheTimeSinceTheFirstPacket() {
        send(300);
        assertThat(stats.bitrateBps(0, 2)).isBetween(200_000L, 290_000L);
    }

    @Test
    void countingAllocatesNothing() {
        int[] i = {0};
        double bytes = Allocations.bytesPerRun(100_000, () -> {
            stats.onPacket(i[0] % 3, i[0] % 4, 1200, (i[0] & 1) == 0);
            if (i[0]++ % 10 == 0) {
                clock.advanceMillis(1);
            }
        });
        assertThat(bytes).isLessThan(0.1);
    }
}
