package dev.prism.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    @Test
    void delaysDoubleFromTheFirstAndStopAtTheCap() {
        RetrySchedule s = RetrySchedule.DEFAULT;
        long[] expected = {500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000};
        for (int failures = 1; failures <= expected.length; failures++) {
            assertThat(s.delayAfter(failures)).as("after failure %d", failures).isEqualTo(expected[failures - 1]);
        }
        assertThat(s.delayAfter(10_000)).isEqualTo(30_000); // no overflow however long it fails
    }

    @Test
    void theWindowIncludesItsLastMillisecond() {
        RetrySchedule s = RetrySchedule.DEFAULT.withWindowMillis(1_000);
        assertThat(s.withinWindow(5_000, 6_000)).isTrue();
        assertThat(s.withinWindow(5_000, 6_001)).isFalse();
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> new RetrySchedule(0, 10, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrySchedule(100, 10, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetrySchedule.DEFAULT.delayAfter(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
