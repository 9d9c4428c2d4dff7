package dev.prism.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    /**
     * Index estimation (RFC 3711 3.3.1) after the stream reached {@code highest}: rows of highest index, sequence
     * number received, expected index (-1: before index 0).
     */
    @Test
    void rtpIndexIsTheNearestToTheHighestSoFar() {
        long[][] rows = {
            // highest (ROC<<16|SEQ), seq, expected
            {0x0_0005, 6, 0x0_0006},              // next packet
            {0x0_0005, 3, 0x0_0003},              // a little late, same ROC
            {0x0_FFF0, 0x0002, 0x1_0002},         // wrapped: ROC + 1
            {0x1_0002, 0xFFF0, 0x0_FFF0},         // late packet from before the wrap: ROC - 1
            {0x0_0002, 0xFFF0, -1},               // would be ROC -1: before the stream
            {0x7_8000, 0x0000, 0x7_0000},         // exactly half a cycle back stays in this ROC
            {0x7_8001, 0x0000, 0x8_0000},         // more than half a cycle ahead of SEQ: next ROC
            {0x7_7FFF, 0xFFFF, 0x7_FFFF},         // s_l < 2^15: SEQ - s_l = 0x8000, not > 0x8000, so same ROC
            {0x7_7FFE, 0xFFFF, 0x6_FFFF},         // SEQ - s_l = 0x8001: previous ROC
            {0xFFFF_FFFF_FFF0L, 0x0001, -1},      // past the 2^48 limit
        };
        for (long[] row : rows) {
            ReplayWindow w = new ReplayWindow();
            w.accept(row[0]);
            assertThat(w.rtpIndex((int) row[1])).as("highest %x seq %x", row[0], row[1]).isEqualTo(row[2]);
        }
        assertThat(new ReplayWindow().rtpIndex(0xABCD)).as("first packet: ROC 0").isEqualTo(0xABCD);
    }

    @Test
    void duplicatesAndOldIndexesAreRefused() {
        ReplayWindow w = new ReplayWindow();
        assertThat(w.check(1000)).isEqualTo(SrtpStatus.OK);
        w.accept(1000);
        assertThat(w.check(1000)).isEqualTo(SrtpStatus.REPLAY_FAIL);
        assertThat(w.check(1001)).isEqualTo(SrtpStatus.OK);
        assertThat(w.check(999)).as("inside the window, not seen").isEqualTo(SrtpStatus.OK);
        w.accept(999);
        assertThat(w.check(999)).isEqualTo(SrtpStatus.REPLAY_FAIL);
        assertThat(w.check(1000 - ReplayWindow.SIZE + 1)).isEqualTo(SrtpStatus.OK);
        assertThat(w.check(1000 - ReplayWindow.SIZE)).isEqualTo(SrtpStatus.REPLAY_OLD);
        assertThat(w.check(-1)).isEqualTo(SrtpStatus.REPLAY_OLD);

        w.accept(1010); // the window moves; what was seen is still remembered
        assertThat(w.check(1000)).isEqualTo(SrtpStatus.REPLAY_FAIL);
        assertThat(w.check(999)).isEqualTo(SrtpStatus.REPLAY_FAIL);
        assertThat(w.check(1005)).isEqualTo(SrtpStatus.OK);
        w.accept(1010 + 200); // a jump past the window forgets it all
        assertThat(w.check(1010)).isEqualTo(SrtpStatus.REPLAY_OLD);
        assertThat(w.check(1209)).isEqualTo(SrtpStatus.OK);
        assertThat(w.highest()).isEqualTo(1210);

        w.reset();
        assertThat(w.highest()).isEqualTo(-1);
        assertThat(w.check(5)).isEqualTo(SrtpStatus.OK);
    }
}
