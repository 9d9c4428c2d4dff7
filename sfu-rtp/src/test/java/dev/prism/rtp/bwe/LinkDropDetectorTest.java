package dev.prism.rtp.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The rule of {@link LinkDropDetector} as a table: packets of 1,200 bytes sent at one rate over 200 ms, arriving at
 * another with a given queueing delay, judged at the end of one feedback message.
 */
class LinkDropDetectorTest {
    private static final int SIZE = 1200;

    @ParameterizedTest(name = "sent {0} bit/s, arrived {1} bit/s, queue {2} us, {3} lost, overusing {4} -> {5} {6}")
    @CsvSource({
            // send bps, arrival bps, queue us, lost of the first 20, delay gradient overusing, capacity (-1 none),
            // the verdict the operator's log shows
            "1600000, 300000, 120000, 12, false, 300000, DROP",  // link dropped, its queue overflowing
            "1600000, 300000, 120000, 0,  true,  300000, DROP",  // link dropped, a deep queue still growing
            "1600000, 300000, 120000, 0,  false, -1, QUEUE_NEITHER_FULL_NOR_GROWING", // a stalled thread
            "1600000, 1600000,  2000, 0,  false, -1, NO_STANDING_QUEUE",              // a wide path
            "1600000, 1600000, 120000, 0, true,  -1, ARRIVALS_KEEP_UP", // a standing queue but delivering everything
            "1600000, 300000,  20000, 12, false, -1, NO_STANDING_QUEUE", // arrivals bunched by jitter, no queue
            "1600000, 1520000,   3000, 1, false, -1, NO_STANDING_QUEUE", // 5 % random loss: arrivals keep pace
            "1600000, 1400000,  60000, 2, false, -1, ARRIVALS_KEEP_UP",  // a queue, arrivals at 87 % of sending
    })
    void judgesOneInterval(long sendBps, long arrivalBps, long queueMicros, int lost, boolean overusing,
                           long expected, LinkDropDetector.Verdict verdict) {
        LinkDropDetector d = new LinkDropDetector();
        assertThat(d.lastVerdict()).isEqualTo(LinkDropDetector.Verdict.NOT_JUDGED);
        feed(d, 0, sendBps, arrivalBps, queueMicros, lost);
        long found = d.onFeedback(overusing);
        assertThat(d.lastVerdict()).as(d.describeLast()).isEqualTo(verdict);
        assertThat(d.describeLast()).startsWith(verdict + ": sent ");
        if (expected < 0) {
            assertThat(found).isEqualTo(LinkDropDetector.NO_DROP);
            assertThat(d.drops()).isZero();
        } else {
            assertThat(found).isBetween(expected * 95 / 100, expected * 105 / 100);
            assertThat(d.drops()).isEqualTo(1);
            assertThat(d.lastCapacityBps()).isEqualTo(found);
        }
    }

    @Test
    void tooShortAnIntervalWaitsForTheNextMessage() {
        LinkDropDetector d = new LinkDropDetector();
        // 5 packets over 30 ms: too little to judge; kept, and judged with the next message's packets.
        long sendGap = SIZE * 8L * 1_000_000 / 1_600_000;
        for (int i = 0; i < 5; i++) {
            d.onReceived(i * sendGap, 50_000 + i * 32_000L, SIZE, 120_000);
        }
        assertThat(d.onFeedback(true)).isEqualTo(LinkDropDetector.NO_DROP);
        for (int i = 5; i < 25; i++) {
            d.onReceived(i * sendGap, 50_000 + i * 32_000L, SIZE, 120_000);
        }
        assertThat(d.onFeedback(true)).isBetween(280_000L, 320_000L);
    }

    @Test
    void restsAfterADetectionWhileTheQueueDrains() {
        LinkDropDetector d = new LinkDropDetector();
        long t = feed(d, 0, 1_600_000, 300_000, 120_000, 0);
        assertThat(d.onFeedback(true)).isPositive();
        t = feed(d, t, 1_600_000, 300_000, 120_000, 0);  // the same queue, 200 ms later: within the rest
        assertThat(d.onFeedback(true)).isEqualTo(LinkDropDetector.NO_DROP);
        assertThat(d.lastVerdict()).isEqualTo(LinkDropDetector.Verdict.RESTING);
        t = feed(d, t + 400_000, 1_600_000, 300_000, 120_000, 0); // past it: measured again
        assertThat(d.onFeedback(true)).isPositive();
        assertThat(d.drops()).isEqualTo(2);
    }

    /** 200 ms of packets from send time {@code start}; every 20th-or-so of the first {@code lost} are lost. */
    private static long feed(LinkDropDetector d, long start, long sendBps, long arrivalBps, long queueMicros,
                             int lost) {
        long sendGap = SIZE * 8L * 1_000_000 / sendBps;
        long arrivalGap = SIZE * 8L * 1_000_000 / arrivalBps;
        int n = (int) (200_000 / sendGap);
        long arrival = start + 10_000 + queueMicros;
        int lostLeft = lost;
        for (int i = 0; i < n; i++) {
            long send = start + i * sendGap;
            if (lostLeft > 0 && i % 2 == 1) {
                lostLeft--;
                d.onLost(send, SIZE);
                continue;
            }
            d.onReceived(send, arrival, SIZE, queueMicros);
            arrival += arrivalGap;
        }
        return start + n * sendGap;
    }
}
