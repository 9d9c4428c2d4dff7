package dev.prism.rtp.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import org.junit.jupiter.api.Test;

class KeyframeRequestThrottleTest {
    @Test
    void letsOneRequestThroughPerInterval() {
        FakeClock clock = new FakeClock();
        KeyframeRequestThrottle t = new KeyframeRequestThrottle(clock, 500);
        assertThat(t.tryAcquire()).isTrue();
        assertThat(t.tryAcquire()).isFalse();
        clock.advanceMillis(499);
        assertThat(t.tryAcquire()).isFalse();
        clock.advanceMillis(1);
        assertThat(t.tryAcquire()).isTrue();
        // A storm of 1000 requests within one interval costs one PLI.
        int passed = 0;
        for (int i = 0; i < 1000; i++) {
            clock.advanceMillis(0);
            passed += t.tryAcquire() ? 1 : 0;
        }
        assertThat(passed).isZero();
    }
}
