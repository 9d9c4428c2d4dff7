package dev.prism.signaling.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.signaling.session.MessageRateLimit.Verdict;
import org.junit.jupiter.api.Test;

class MessageRateLimitTest {
    private final FakeClock clock = new FakeClock();

    @Test
    void aBurstPassesThenExcessIsDroppedWithOneErrorWorthyFirst() {
        MessageRateLimit limit = new MessageRateLimit(clock, 50, 200, 1_000);
        for (int i = 0; i < 200; i++) {
            assertThat(limit.admit()).isEqualTo(Verdict.ACCEPT);
        }
        assertThat(limit.admit()).isEqualTo(Verdict.DROP_FIRST);
        assertThat(limit.admit()).isEqualTo(Verdict.DROP);
        clock.advanceMillis(20); // one token back at 50 a second
        assertThat(limit.admit()).isEqualTo(Verdict.ACCEPT);
        assertThat(limit.admit()).isEqualTo(Verdict.DROP_FIRST);
    }

    @Test
    void aSteadyClientAtTheRateIsNeverDropped() {
        MessageRateLimit limit = new MessageRateLimit(clock, 50, 200, 1_000);
        for (int i = 0; i < 10_000; i++) {
            clock.advanceMillis(20);
            assertThat(limit.admit()).isEqualTo(Verdict.ACCEPT);
        }
    }

    @Test
    void aSustainedFloodIsClosed() {
        MessageRateLimit limit = new MessageRateLimit(clock, 50, 200, 1_000);
        int accepted = 0;
        Verdict v;
        int n = 0;
        do {
            v = limit.admit();
            if (v == Verdict.ACCEPT) {
                accepted++;
            }
            n++;
        } while (v != Verdict.CLOSE && n < 10_000);
        assertThat(v).isEqualTo(Verdict.CLOSE);
        assertThat(accepted).isEqualTo(200);
        assertThat(n).isEqualTo(1_200);
    }

    @Test
    void aFloodAtTwiceTheRateIsClosedToo() {
        MessageRateLimit limit = new MessageRateLimit(clock, 50, 200, 1_000);
        Verdict v = Verdict.ACCEPT;
        int n = 0;
        for (; n < 100_000 && v != Verdict.CLOSE; n++) {
            clock.advanceMillis(10); // 100 a second: half accepted, half dropped, forgiven at 1,000 a minute
            v = limit.admit();
        }
        assertThat(v).isEqualTo(Verdict.CLOSE);
        assertThat(n).isBetween(2_000, 10_000);
    }

    @Test
    void aOneOffOvershootIsForgiven() {
        MessageRateLimit limit = new MessageRateLimit(clock, 50, 200, 1_000);
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 1_100; i++) {
                assertThat(limit.admit()).isNotEqualTo(Verdict.CLOSE); // 200 accepted, 900 dropped
            }
            clock.advanceMillis(60_000);
        }
    }

    @Test
    void theBucketNeverHoldsMoreThanTheBurst() {
        MessageRateLimit limit = new MessageRateLimit(clock, 50, 200, 1_000);
        clock.advanceMillis(3_600_000);
        int accepted = 0;
        while (limit.admit() == Verdict.ACCEPT) {
            accepted++;
        }
        assertThat(accepted).isEqualTo(200);
    }
}
