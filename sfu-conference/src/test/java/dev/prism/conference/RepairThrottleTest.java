package dev.prism.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RepairThrottleTest {
    @Test
    void oneConnectionRepairPerInterval() {
        FakeClock clock = new FakeClock();
        RepairThrottle t = new RepairThrottle(clock);
        assertThat(t.admit()).isTrue();
        clock.advance(Duration.ofMillis(4)); // the second track's report
        assertThat(t.admit()).isFalse();
        clock.advance(Duration.ofSeconds(6)); // the client asks again
        assertThat(t.admit()).isFalse();
        clock.advance(Duration.ofSeconds(4));
        assertThat(t.admit()).isTrue();
        t.reset();
        assertThat(t.admit()).isTrue();
    }
}
