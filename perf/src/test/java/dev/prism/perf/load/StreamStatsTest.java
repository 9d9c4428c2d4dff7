package dev.prism.perf.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.rtp.MediaKind;
import org.junit.jupiter.api.Test;

class StreamStatsTest {
    @Test
    void countsLossAcrossTheSequenceWrapAndWithinAWindow() {
        StreamStats s = new StreamStats(MediaKind.VIDEO);
        s.onPacket(65533);
        s.onPacket(65534);
        s.mark();
        s.onPacket(65535);
        s.onPacket(1);      // 0 lost, across the wrap
        s.onPacket(65535);  // a duplicate that arrives late: no change to the highest
        s.onPacket(2);
        assertThat(s.highestExt()).isEqualTo(65536 + 2);
        assertThat(s.receivedSinceMark()).isEqualTo(4);
        assertThat(s.expectedSinceMark()).isEqualTo(4); // 65535, 0, 1, 2
        assertThat(s.lost()).isEqualTo(0); // the duplicate makes up for the loss in the cumulative count (RFC 3550)
    }

    @Test
    void aStreamThatStartsAfterTheMarkCountsNothingExpected() {
        StreamStats s = new StreamStats(MediaKind.AUDIO);
        assertThat(s.highestExt()).isEqualTo(-1);
        s.mark();
        s.onPacket(10);
        s.onPacket(12);
        assertThat(s.expectedSinceMark()).isZero();
        assertThat(s.receivedSinceMark()).isEqualTo(2);
        assertThat(s.lost()).isEqualTo(1);
    }
}
