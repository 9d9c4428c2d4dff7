package dev.prism.perf.socket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WindowTest {
    @Test
    void runsUntilTheHardDeadlineThenUntilTheWindowsTimeOrCount() throws InterruptedException {
        Window w = new Window(1_000);
        assertThat(w.shouldStop(999, Long.MAX_VALUE - 1)).as("warm-up: only the deadline counts").isFalse();
        assertThat(w.shouldStop(1_000, 0)).isTrue();

        w.measure(500, 100);
        assertThat(w.shouldStop(499, 99)).isFalse();
        assertThat(w.shouldStop(500, 0)).as("window's end").isTrue();
        assertThat(w.shouldStop(0, 100)).as("window's count").isTrue();

        Window late = new Window(1_000);
        late.measure(5_000, 100);
        assertThat(late.shouldStop(1_000, 0)).as("a window never extends the hard deadline").isTrue();
    }

    @Test
    void remembersTheFirstStopOnly() throws InterruptedException {
        Window w = new Window(Long.MAX_VALUE);
        assertThat(w.await(0)).isFalse();
        assertThat(w.endNanos()).isZero();
        w.finished(42);
        w.finished(43);
        assertThat(w.await(0)).isTrue();
        assertThat(w.endNanos()).isEqualTo(42);
    }
}
