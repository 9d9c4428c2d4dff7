package dev.prism.rtp.router.downlink;

import static dev.prism.rtp.router.downlink.TopNAudioGate.FORWARD;
import static dev.prism.rtp.router.downlink.TopNAudioGate.RESUME;
import static dev.prism.rtp.router.downlink.TopNAudioGate.WITHHOLD;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TopNAudioGateTest {
    private static final long MS = 1_000_000L;

    /** Rows: time (ms), selected by the ranking (1/0), packet level (-dBov, -1 none), expected decision. */
    private static void run(long[][] rows) {
        TopNAudioGate g = new TopNAudioGate();
        long withheld = 0;
        for (int i = 0; i < rows.length; i++) {
            long now = rows[i][0] * MS;
            g.select(rows[i][1] == 1, now);
            int d = g.admit((int) rows[i][2], now);
            assertEquals(rows[i][3], d, "row " + i + " at " + rows[i][0] + " ms");
            withheld += d == WITHHOLD ? 1 : 0;
        }
        assertEquals(withheld, g.withheld());
    }

    @Test
    void selectedStreamFlowsAndResumesAfterAWithheldRun() {
        run(new long[][] {
                {0, 1, 30, FORWARD},
                {20, 1, 30, FORWARD},
                {40, 0, 127, WITHHOLD},  // deselected at a silent packet: stops at once
                {60, 0, 20, WITHHOLD},   // loud but not selected: stays withheld
                {80, 1, 20, RESUME},     // selected again: first packet after the run
                {100, 1, 20, FORWARD},
        });
    }

    @Test
    void leavingStreamWaitsForAQuietPacket() {
        run(new long[][] {
                {0, 1, 25, FORWARD},
                {20, 0, 25, FORWARD},    // still talking: no cut mid-word
                {40, 0, 30, FORWARD},
                {60, 0, 49, FORWARD},    // below speech but not quiet yet
                {80, 0, 50, WITHHOLD},   // -50 dBov: a pause, stop here
                {100, 0, 20, WITHHOLD},
        });
    }

    @Test
    void leavingStreamStopsAfterStayingLowFor200Ms() {
        run(new long[][] {
                {0, 0, 45, FORWARD},     // low (quieter than -40 dBov) from here
                {100, 0, 45, FORWARD},
                {180, 0, 38, FORWARD},   // speech again: the low run starts over
                {200, 0, 45, FORWARD},
                {380, 0, 45, FORWARD},
                {400, 0, 45, WITHHOLD},  // 200 ms low
        });
    }

    @Test
    void leavingStreamThatNeverPausesStopsAfterTwoSeconds() {
        run(new long[][] {
                {0, 0, 10, FORWARD},
                {1000, 0, 10, FORWARD},
                {1999, 0, -1, FORWARD},  // no level: only the deadline stops it
                {2000, 0, 10, WITHHOLD},
        });
    }

    @Test
    void reselectedBeforeItStoppedJustGoesOn() {
        run(new long[][] {
                {0, 0, 20, FORWARD},
                {20, 1, 127, FORWARD},   // back in the top N before it went quiet: nothing to resume
                {40, 1, 127, FORWARD},
        });
    }
}
