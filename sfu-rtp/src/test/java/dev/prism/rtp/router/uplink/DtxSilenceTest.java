package dev.prism.rtp.router.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Opus DTX as the uplink sees it: in silence the encoder sends one packet every 400 ms instead of one every 20 ms;
 * the sequence numbers stay contiguous (each packet sent takes the next one) while the RTP timestamp jumps by the
 * silence (19,200 ticks at 48 kHz). Talk, then silence, then talk again, built per RFC 7587 / libwebrtc's DTX (not a
 * capture): the gap is silence, not loss.
 */
class DtxSilenceTest {
    private static final long MS = 1_000_000L;
    /** 20 ms of speech, 2 s of DTX (a packet every 400 ms), 20 ms frames again: {seq offset, ts, arrival ms}. */
    private static final long[][] TALK_SILENCE_TALK = build();

    private static long[][] build() {
        long[][] p = new long[50 + 5 + 50][];
        int i = 0;
        long ts = 0;
        long at = 0;
        for (int k = 0; k < 50; k++, ts += 960, at += 20) {
            p[i++] = new long[] {i, ts, at};
        }
        for (int k = 0; k < 5; k++) {
            ts += 19_200 - 960;
            at += 400 - 20;
            p[i++] = new long[] {i, ts, at};
            ts += 960;
            at += 20;
        }
        for (int k = 0; k < 50; k++, ts += 960, at += 20) {
            p[i++] = new long[] {i, ts, at};
        }
        return p;
    }

    @Test
    void receiveStatsCountNoLossAndNoJitterAcrossDtx() {
        ReceiveStreamStats s = new ReceiveStreamStats(48000);
        for (long[] p : TALK_SILENCE_TALK) {
            s.onPacket((int) (40_000 + p[0]) & 0xFFFF, 3_000_000_000L + p[1], p[2] * MS, false);
        }
        assertThat(s.expected()).isEqualTo(TALK_SILENCE_TALK.length);
        assertThat(s.cumulativeLost()).isZero();
        assertThat(s.closeInterval()).as("fraction lost").isZero();
        assertThat(s.jitter()).as("the timestamp jumps exactly as much as the arrival time").isZero();
    }

    @Test
    void nackGeneratorAsksForNothingAcrossDtx() {
        // Audio producers have no NACK generator at all (Producer: video with nack negotiated only); this shows
        // that one would not NACK DTX either: it follows sequence numbers, which DTX keeps contiguous.
        NackGenerator g = new NackGenerator();
        int[] out = new int[64];
        for (long[] p : TALK_SILENCE_TALK) {
            long now = p[2] * MS;
            assertThat(g.onPacket((int) (p[0] & 0xFFFF), now, p[1], false))
                    .isIn(NackGenerator.IN_ORDER, NackGenerator.RESET);
            assertThat(g.collect(now, 50 * MS, out)).isZero();
        }
        assertThat(g.missingCount()).isZero();
        assertThat(g.nacked()).isZero();
    }
}
