package dev.prism.rtp.router.downlink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SentPacketLogTest {
    private static final long MS = 1_000_000L;

    @Test
    void mapsOutputNumbersBackToTheProducersWithTheOutputTimestamp() {
        SentPacketLog log = new SentPacketLog(16);
        log.record(65535, 1000, 0xFFFF_FFF0L);
        log.record(0, 1001, 0xFFFF_FFF0L);
        log.record(1, 1003, 3000);
        assertThat(log.originalSeq(65535)).isEqualTo(1000);
        assertThat(log.originalSeq(0)).isEqualTo(1001);
        assertThat(log.originalSeq(1)).isEqualTo(1003);
        assertThat(log.outputTimestamp(1)).isEqualTo(3000);
        assertThat(log.outputTimestamp(65535)).isEqualTo(0xFFFF_FFF0L);
        assertThat(log.originalSeq(2)).as("never sent").isEqualTo(-1);
    }

    @Test
    void anEntryOverwrittenByALaterNumberIsForgotten() {
        SentPacketLog log = new SentPacketLog(16);
        log.record(4, 40, 0);
        log.record(20, 200, 0); // same slot (20 & 15 == 4)
        assertThat(log.originalSeq(4)).isEqualTo(-1);
        assertThat(log.originalSeq(20)).isEqualTo(200);
        log.clear();
        assertThat(log.originalSeq(20)).isEqualTo(-1);
    }

    @Test
    void aPacketIsResentAtMostOncePerInterval() {
        SentPacketLog log = new SentPacketLog(16);
        log.record(9, 90, 0);
        long t = 1_000 * MS;
        assertThat(log.tryResend(9, t, 20 * MS)).isTrue();
        assertThat(log.tryResend(9, t + 19 * MS, 20 * MS)).isFalse();
        assertThat(log.tryResend(9, t + 20 * MS, 20 * MS)).isTrue();
        assertThat(log.tryResend(8, t, 20 * MS)).as("unknown").isFalse();
        log.record(9, 91, 0);
        assertThat(log.tryResend(9, t + 21 * MS, 20 * MS)).as("a new packet under that number starts fresh").isTrue();
    }
}
