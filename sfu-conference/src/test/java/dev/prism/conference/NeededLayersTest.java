package dev.prism.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Dynacast's per-track decision: hold time, lowest layer kept, announcements only on change and rate-limited. */
class NeededLayersTest {
    private static final long MS = 1_000_000L;
    private static final long HOLD = 3_000 * MS;
    private static final long INTERVAL = 500 * MS;
    private static final int Q = 1;
    private static final int H = 2;
    private static final int F = 4;

    private long now = 1_000 * MS;

    private NeededLayers track() {
        return new NeededLayers(3, HOLD, INTERVAL, now);
    }

    private int at(NeededLayers n, long ms, int demand) {
        now += ms * MS;
        return n.update(now, demand);
    }

    @Test
    void everyLayerIsOnAndHeldRightAfterThePublishAndTheLowestStaysWithNobodySubscribed() {
        NeededLayers n = track();
        assertThat(n.announced()).isEqualTo(Q | H | F);
        assertThat(at(n, 250, 0)).as("held: nothing announced").isEqualTo(-1);
        assertThat(at(n, 2_500, 0)).isEqualTo(-1);
        assertThat(at(n, 250, 0)).as("hold over, nobody subscribes: the lowest only").isEqualTo(Q);
        assertThat(at(n, 60_000, 0)).isEqualTo(-1);
    }

    @Test
    void aLayerNobodyNeedsGoesOffAfterTheHold() {
        NeededLayers n = track();
        assertThat(at(n, 250, Q)).isEqualTo(-1);
        assertThat(at(n, 2_700, Q)).as("2.95 s: still held").isEqualTo(-1);
        assertThat(at(n, 50, Q)).as("3 s after the last need: h and f off").isEqualTo(Q);
        assertThat(at(n, 250, Q)).as("no change, no message").isEqualTo(-1);
        assertThat(at(n, 5_000, 0)).as("a paused subscriber: the lowest stays").isEqualTo(-1);
        assertThat(n.announced()).isEqualTo(Q);
    }

    @Test
    void aNeededLayerComesBackAtOnceWhenTheIntervalAllows() {
        NeededLayers n = track();
        at(n, 3_000, Q);
        assertThat(n.announced()).isEqualTo(Q);
        assertThat(at(n, 250, Q)).isEqualTo(-1);
        assertThat(at(n, 250, Q | F)).as("500 ms after the last message: sent now").isEqualTo(Q | F);
    }

    @Test
    void aChangeInsideTheIntervalWaitsForItsEnd() {
        NeededLayers n = track();
        at(n, 3_000, Q);
        assertThat(at(n, 100, Q | H | F)).as("100 ms after the last message").isEqualTo(-1);
        assertThat(at(n, 250, Q | H | F)).isEqualTo(-1);
        assertThat(at(n, 150, Q | H | F)).isEqualTo(Q | H | F);
    }

    @Test
    void aLayerThatFlapsInsideTheHoldIsNeverAnnouncedOff() {
        NeededLayers n = track();
        for (int i = 0; i < 40; i++) { // a tile resized back and forth every second for 40 s
            assertThat(at(n, 1_000, i % 2 == 0 ? Q : Q | H | F)).isEqualTo(-1);
        }
        assertThat(n.announced()).isEqualTo(Q | H | F);
    }

    @Test
    void theMiddleLayerAloneCanBeNeeded() {
        NeededLayers n = track();
        assertThat(at(n, 3_000, H)).isEqualTo(Q | H);
    }

    @Test
    void nothingIsReplayedBeforeTheFirstAnnouncementAndTheLastOneAfter() {
        NeededLayers n = track();
        assertThat(n.replay()).isEqualTo(-1);
        at(n, 3_000, Q);
        assertThat(n.replay()).isEqualTo(Q);
    }

    @Test
    void theCeilingFollowsTheAllocatorsHeightRule() {
        int[] heights = {120, 240, 480};
        assertThat(Dynacast.ceiling(heights, 3, 0)).as("no limit").isEqualTo(2);
        assertThat(Dynacast.ceiling(heights, 3, 90)).as("all taller: the lowest").isEqualTo(0);
        assertThat(Dynacast.ceiling(heights, 3, 200)).isEqualTo(0);
        assertThat(Dynacast.ceiling(heights, 3, 240)).isEqualTo(1);
        assertThat(Dynacast.ceiling(heights, 3, 1080)).isEqualTo(2);
        assertThat(Dynacast.ceiling(new int[] {120, 240, 0}, 3, 200)).as("a height not known: no limit")
                .isEqualTo(2);
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new NeededLayers(0, HOLD, INTERVAL, now)).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> new NeededLayers(3, -1, INTERVAL, now)).isInstanceOf(
                IllegalArgumentException.class);
    }
}
