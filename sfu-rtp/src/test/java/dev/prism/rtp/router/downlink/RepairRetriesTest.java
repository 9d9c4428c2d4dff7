package dev.prism.rtp.router.downlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Second tries of retransmissions the subscriber's transport-cc feedback reports lost: who is asked to send again,
 * as which try, and when nothing happens.
 */
class RepairRetriesTest {
    /** Records the retries asked for as "outSeq/try@ms"; answers {@code sends}. */
    private static final class Target implements RepairRetries.Target {
        final List<String> asked = new ArrayList<>();
        boolean sends = true;

        @Override
        public boolean retryLostRetransmission(int outSeq, int n, long nowNanos) {
            asked.add(outSeq + "/" + n + "@" + nowNanos / 1_000_000);
            return sends;
        }
    }

    @Test
    void aLostRetransmissionIsSentAgainUpToTheTryLimit() {
        RepairRetries r = new RepairRetries();
        Target video = new Target();
        // event                                 transport seq  out seq  try  -> retry asked
        r.onSent(100, video, 5000, 1);        // the NACK's answer
        assertThat(r.take(100, 60_000_000L)).isTrue();                        // reported lost at 60 ms
        assertThat(video.asked).containsExactly("5000/2@60");
        r.onSent(130, video, 5000, 2);        // the second try
        assertThat(r.take(130, 120_000_000L)).isTrue();                       // lost too
        r.onSent(170, video, 5000, 3);        // the third
        assertThat(r.take(170, 180_000_000L)).as("MAX_TRIES reached").isFalse();
        assertThat(video.asked).containsExactly("5000/2@60", "5000/3@120");
    }

    @Test
    void anEntryIsUsedOnceAndUnknownNumbersDoNothing() {
        RepairRetries r = new RepairRetries();
        Target video = new Target();
        r.onSent(7, video, 42, 1);
        assertThat(r.take(8, 0)).as("never a retransmission").isFalse();
        assertThat(r.take(7, 0)).isTrue();
        assertThat(r.take(7, 0)).as("reported lost twice: one retry").isFalse();
        assertThat(video.asked).containsExactly("42/2@0");
    }

    @Test
    void aSecondCopyIsNotRetriedItself() {
        RepairRetries r = new RepairRetries();
        Target video = new Target();
        r.onSent(10, video, 1, 1);
        r.onSent(11, video, 1, RepairRetries.MAX_TRIES); // the duplicate sent along with the answer
        assertThat(r.take(11, 0)).isFalse();
        assertThat(r.take(10, 0)).isTrue();
        assertThat(video.asked).containsExactly("1/2@0");
    }

    @Test
    void aSlotReusedByALaterRetransmissionForgetsTheOlderOne() {
        RepairRetries r = new RepairRetries();
        Target a = new Target();
        Target b = new Target();
        r.onSent(3, a, 300, 1);
        r.onSent(3 + RepairRetries.CAPACITY, b, 400, 1);
        assertThat(r.take(3, 0)).isFalse();
        assertThat(r.take(3 + RepairRetries.CAPACITY, 0)).isTrue();
        assertThat(a.asked).isEmpty();
        assertThat(b.asked).containsExactly("400/2@0");
    }

    @Test
    void transportSequenceNumbersWrap() {
        RepairRetries r = new RepairRetries();
        Target video = new Target();
        r.onSent(65_535, video, 9, 1);
        r.onSent(0x1_0000, video, 10, 1); // the caller's number after 65535 is 0; the ring keys 16 bits
        assertThat(r.take(65_535, 0)).isTrue();
        assertThat(r.take(0, 0)).isTrue();
        assertThat(video.asked).containsExactly("9/2@0", "10/2@0");
    }

    @Test
    void aTargetThatDoesNotSendReportsFalse() {
        RepairRetries r = new RepairRetries();
        Target closed = new Target();
        closed.sends = false;
        r.onSent(1, closed, 1, 1);
        assertThat(r.take(1, 0)).isFalse();
        assertThat(closed.asked).hasSize(1);
    }
}
