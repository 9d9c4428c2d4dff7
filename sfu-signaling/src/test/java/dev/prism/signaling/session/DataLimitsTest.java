package dev.prism.signaling.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import org.junit.jupiter.api.Test;

class DataLimitsTest {
    @Test
    void aBurstPassesThenTheRateRefillsOneMessagePerFiftyMilliseconds() {
        FakeClock clock = new FakeClock();
        DataLimits limits = new DataLimits(clock);
        for (int i = 0; i < DataLimits.BURST; i++) {
            assertThat(limits.admit()).as("message %d of the burst", i).isTrue();
        }
        assertThat(limits.admit()).isFalse();
        assertThat(limits.admit()).isFalse(); // a refusal takes nothing
        clock.advanceMillis(1000 / DataLimits.PER_SECOND - 1);
        assertThat(limits.admit()).isFalse();
        clock.advanceMillis(1);
        assertThat(limits.admit()).isTrue();
        assertThat(limits.admit()).isFalse();
        clock.advanceMillis(60_000); // a long pause refills the burst, no more
        int passed = 0;
        while (limits.admit()) {
            passed++;
        }
        assertThat(passed).isEqualTo(DataLimits.BURST);
    }
}
