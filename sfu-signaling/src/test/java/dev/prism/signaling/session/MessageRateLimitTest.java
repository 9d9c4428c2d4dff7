package dev.prism.signaling.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.signaling.session.MessageRateLimit.Verdict;
import org.junit.jupiter.api.Test;

class MessageRateLimitTest {
    private final FakeClock clock = new FakeClock();
    private final MessageRateLimit limit = new MessageRateLimit(clock, 50);

    @Test
    void aBurstPassesThenTheSocketIsThrottledAndWhatWasBufferedDropped() {
        for (int i = 0; i < 200; i++) {
            assertThat(limit.admit()).isEqualTo(Verdict.ACCEPT);
        }
        assertThat(limit.admit()).isEqualTo(Verdict.THROTTLE);
        assertThat(limit.pauseMillis()).isEqualTo(1_000); // a quarter of the burst at 50 a second
        assertThat(limit.admit()).isEqualTo(Verdict.DROP);
        clock.advanceMillis(999);
        assertThat(limit.admit()).isEqualTo(Verdict.DROP);
        clock.advanceMillis(1);
        for (int i = 0; i < 49; i++) {
            assertThat(limit.admit()).as("refilled during the pause").isEqualTo(Verdict.ACCEPT);
        }
    }

    @Test
    void aSteadyClientAtTheRateIsNeverThrottled() {
        for (int i = 0; i < 10_000; i++) {
            clock.advanceMillis(20);
            assertThat(limit.admit()).isEqualTo(Verdict.ACCEPT);
        }
    }

    @Test
    void aFloodSustainedForAboutTenSecondsIsClosed() {
        // The flooder's socket is read only when not paused: one throttle a second, each after a refill.
        int throttles = 0;
        Verdict v = Verdict.ACCEPT;
        for (int second = 0; second < 60 && v != Verdict.CLOSE; second++) {
            do {
                v = limit.admit();
            } while (v == Verdict.ACCEPT);
            if (v == Verdict.THROTTLE) {
                throttles++;
            }
            clock.advanceMillis(limit.pauseMillis());
        }
        assertThat(v).isEqualTo(Verdict.CLOSE);
        assertThat(throttles).isBetween(9, 12);
    }

    @Test
    void anOccasionalOvershootIsForgiven() {
        for (int round = 0; round < 30; round++) {
            for (int i = 0; i < 250; i++) {
                assertThat(limit.admit()).isNotEqualTo(Verdict.CLOSE);
            }
            clock.advanceMillis(10_000);
        }
    }

    @Test
    void theBucketNeverHoldsMoreThanTheBurst() {
        clock.advanceMillis(3_600_000);
        int accepted = 0;
        while (limit.admit() == Verdict.ACCEPT) {
            accepted++;
        }
        assertThat(accepted).isEqualTo(200);
    }
}
