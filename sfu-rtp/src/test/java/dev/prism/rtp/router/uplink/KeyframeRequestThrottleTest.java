package dev.prism.rtp.router.uplink;

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

    @Test
    void requestsInsideTheIntervalAreCoalescedIntoOneSentWhenItEnds() {
        FakeClock clock = new FakeClock();
        KeyframeRequestThrottle t = new KeyframeRequestThrottle(clock, 500);
        assertThat(t.request()).as("first: at once").isTrue();
        clock.advanceMillis(100);
        for (int i = 0; i < 50; i++) {
            assertThat(t.request()).isFalse(); // a storm from many subscribers
        }
        assertThat(t.hasDeferred()).isTrue();
        assertThat(t.coalesced()).isEqualTo(50);
        clock.advanceMillis(399);
        assertThat(t.pollDeferred()).isFalse();
        clock.advanceMillis(1);
        assertThat(t.pollDeferred()).as("one PLI for the 50 requests, when the interval ends").isTrue();
        assertThat(t.pollDeferred()).isFalse();
        assertThat(t.sent()).isEqualTo(2);
    }

    @Test
    void aKeyframeArrivingAnswersTheDeferredRequest() {
        FakeClock clock = new FakeClock();
        KeyframeRequestThrottle t = new KeyframeRequestThrottle(clock, 500);
        assertThat(t.request()).isTrue();
        clock.advanceMillis(10);
        assertThat(t.request()).isFalse();
        t.onKeyframe();
        clock.advanceMillis(1000);
        assertThat(t.pollDeferred()).isFalse();
        assertThat(t.sent()).isEqualTo(1);
    }
}
