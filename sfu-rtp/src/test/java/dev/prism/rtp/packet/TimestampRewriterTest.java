package dev.prism.rtp.packet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimestampRewriterTest {

    @Test
    void javadocWorkedExample() {
        TimestampRewriter r = new TimestampRewriter(90_000);
        assertThat(r.started()).isFalse();
        assertThat(r.rewrite(4294964296L, 1_000_000)).isEqualTo(4294964296L);
        assertThat(r.rewrite(3000, 1_033_333)).isEqualTo(3000);           // through the 2^32 wrap
        r.switchSource();
        assertThat(r.rewrite(500_000, 1_066_666)).isEqualTo(5999);        // 33_333 us = 2999 ticks
        assertThat(r.rewrite(503_000, 1_099_999)).isEqualTo(8999);
        assertThat(r.lastOutput()).isEqualTo(8999);
    }

    @Test
    void reorderedPacketsKeepTheirSpacingAndDoNotMoveTheReference() {
        TimestampRewriter r = new TimestampRewriter(48_000);
        assertThat(r.rewrite(1000, 0)).isEqualTo(1000);
        assertThat(r.rewrite(2920, 40_000)).isEqualTo(2920);
        assertThat(r.rewrite(1960, 45_000)).isEqualTo(1960); // late
        assertThat(r.lastOutput()).isEqualTo(2920);
        r.switchSource();
        // Measured from when 2920 was first sent (40 ms), not from the late packet: 20 ms = 960 ticks at 48 kHz.
        assertThat(r.rewrite(77_777, 60_000)).isEqualTo(2920 + 960);
        assertThat(r.rewrite(77_777 - 960, 61_000)).isEqualTo(2920); // the new source's own late packet
    }

    @Test
    void explicitGapEstimateWins() {
        TimestampRewriter r = new TimestampRewriter(90_000);
        r.rewrite(0, 0);
        r.switchSource(100_000); // 100 ms
        assertThat(r.rewrite(123_456, 5_000_000)).isEqualTo(9000);
        // Next switch measures again.
        r.switchSource();
        assertThat(r.rewrite(0, 5_010_000)).isEqualTo(9000 + 900);
    }

    @Test
    void timeNeverStandsStillAtASwitch() {
        TimestampRewriter r = new TimestampRewriter(90_000);
        r.rewrite(0xFFFF_FFFFL, 1_000);
        r.switchSource();
        assertThat(r.rewrite(42, 1_000)).isEqualTo(0);       // one tick, wrapping
        r.switchSource(-5);                                     // nonsense estimate is clamped to zero
        assertThat(r.rewrite(7, 1_000)).isEqualTo(1);
        r.switchSource();
        assertThat(r.rewrite(7, 500)).isEqualTo(2);             // clock went back: still one tick
    }

    @Test
    void hugeGapDoesNotOverflow() {
        TimestampRewriter r = new TimestampRewriter(90_000);
        r.rewrite(0, 0);
        r.switchSource(Long.MAX_VALUE);
        long expected = ((long) Integer.MAX_VALUE * 90_000 / 1_000_000) & 0xFFFF_FFFFL;
        assertThat(r.rewrite(5, 0)).isEqualTo(expected);
    }

    @Test
    void switchBeforeStartIsIgnored() {
        TimestampRewriter r = new TimestampRewriter(8_000);
        r.switchSource();
        r.switchSource(1_000_000);
        assertThat(r.rewrite(160, 0)).isEqualTo(160);
        assertThat(r.clockRate()).isEqualTo(8_000);
    }
}
