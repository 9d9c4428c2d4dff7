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
        assertThat(s.onPacket(65535)).isTrue();
        assertThat(s.onPacket(1)).isTrue();      // 0 lost, across the wrap
        assertThat(s.onPacket(65535)).isFalse(); // a duplicate that arrives late: no change to the highest
        s.onPacket(2);
        assertThat(s.highestExt()).isEqualTo(65536 + 2);
        assertThat(s.receivedSinceMark()).isEqualTo(4);
        assertThat(s.sinceMark(StreamStats.DUPLICATES)).isEqualTo(1);
        assertThat(s.sinceMark(StreamStats.DISTINCT)).isEqualTo(3);
        assertThat(s.expectedSinceMark()).isEqualTo(4); // 65535, 0, 1, 2
        assertThat(s.lost()).isEqualTo(1); // 0: a duplicate does not make up for it
    }

    @Test
    void aStreamThatStartsAfterTheMarkCountsNothingExpected() {
        StreamStats s = new StreamStats(MediaKind.AUDIO);
        assertThat(s.highestExt()).isEqualTo(-1);
        assertThat(s.lost()).isZero();
        s.mark();
        s.onPacket(10);
        s.onPacket(12);
        assertThat(s.expectedSinceMark()).isZero();
        assertThat(s.receivedSinceMark()).isEqualTo(2);
        assertThat(s.lost()).isEqualTo(1);
    }

    @Test
    void aRetransmissionRepairsOnlyWhatIsMissing() {
        StreamStats s = new StreamStats(MediaKind.VIDEO);
        s.onPacket(10);
        s.onPacket(11);
        s.onPacket(13);
        assertThat(s.lost()).isEqualTo(1);
        assertThat(s.onRetransmission(12)).as("12 was missing").isTrue();
        assertThat(s.onRetransmission(11)).as("a probe copy of a packet that arrived").isFalse();
        assertThat(s.onRetransmission(12)).as("repaired twice").isFalse();
        assertThat(s.onPacket(12)).as("the original, late").isFalse();
        assertThat(s.lost()).isZero();
        assertThat(s.count(StreamStats.RETRANSMISSIONS)).isEqualTo(3);
        assertThat(s.count(StreamStats.REPAIRED)).isEqualTo(1);
        assertThat(s.count(StreamStats.DUPLICATES)).isEqualTo(1);
        assertThat(s.count(StreamStats.DISTINCT)).isEqualTo(4);
        assertThat(s.received()).isEqualTo(4);
    }

    @Test
    void aRetransmissionAheadOfEverythingStartsOrAdvancesTheStream() {
        StreamStats s = new StreamStats(MediaKind.VIDEO);
        assertThat(s.onRetransmission(100)).isTrue();
        assertThat(s.onPacket(100)).isFalse();
        assertThat(s.onRetransmission(102)).isTrue(); // its original is still to come, or lost
        assertThat(s.highestExt()).isEqualTo(102);
        assertThat(s.lost()).isEqualTo(1);
    }

    @Test
    void fillerTakesItsSequenceNumberWithoutCountingAsMedia() {
        StreamStats s = new StreamStats(MediaKind.VIDEO);
        s.onPacket(1);
        s.onFiller(2);
        s.onPacket(3);
        assertThat(s.lost()).isZero();
        assertThat(s.received()).isEqualTo(2);
        assertThat(s.count(StreamStats.FILLER)).isEqualTo(1);
    }

    @Test
    void arrivalIsRememberedForAWindowAndForgottenAsTheStreamMovesOn() {
        StreamStats s = new StreamStats(MediaKind.VIDEO);
        s.onPacket(0);
        s.onPacket(10_000); // a jump beyond the window: every bit is cleared
        assertThat(s.onRetransmission(9_999)).isTrue();
        assertThat(s.onRetransmission(10_000 - StreamStats.WINDOW + 1)).as("the oldest one remembered").isTrue();
        assertThat(s.onRetransmission(10_000 - StreamStats.WINDOW)).as("too old to tell").isFalse();
        assertThat(s.count(StreamStats.TOO_OLD)).isEqualTo(1);
        // Step by step across the wrap: the bit of seq x is reused by x + WINDOW only after it is cleared.
        StreamStats w = new StreamStats(MediaKind.AUDIO);
        for (int i = 0; i < 3 * StreamStats.WINDOW; i++) {
            assertThat(w.onPacket((60_000 + i) & 0xFFFF)).isTrue();
        }
        assertThat(w.lost()).isZero();
        assertThat(w.count(StreamStats.DUPLICATES)).isZero();
        assertThat(w.onPacket((60_000 + 3 * StreamStats.WINDOW - 5) & 0xFFFF)).isFalse();
    }

    @Test
    void aPacketReorderedAheadOfTheFirstOneMovesTheStart() {
        StreamStats s = new StreamStats(MediaKind.VIDEO);
        s.onPacket(1);
        s.onPacket(65535); // sent before 1, across the wrap
        s.onPacket(2);
        assertThat(s.lost()).as("0 is missing").isEqualTo(1);
        assertThat(s.highestExt()).isEqualTo(2);
    }
}
