package dev.prism.core.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManualTimersTest {
    private final FakeClock clock = new FakeClock();
    private final ManualTimers timers = new ManualTimers(clock);
    private final long start = clock.millis();
    private final List<String> runs = new ArrayList<>();

    private Runnable record(String name) {
        return () -> runs.add(name + "@" + (clock.millis() - start));
    }

    @Test
    void nothingRunsUntilTheClockIsAdvancedThenEachTaskRunsAtItsOwnDueTimeInOrder() {
        timers.scheduleAtFixedRate(record("rr"), 1000, 1000, TimeUnit.MILLISECONDS);
        timers.scheduleAtFixedRate(record("tcc"), 50, 50, TimeUnit.MILLISECONDS);
        timers.schedule(record("once"), 120, TimeUnit.MILLISECONDS);
        assertThat(runs).isEmpty();

        timers.advanceMillis(160);
        assertThat(runs).containsExactly("tcc@50", "tcc@100", "once@120", "tcc@150");
        assertThat(clock.millis() - start).as("the clock ends where asked").isEqualTo(160);
        runs.clear();

        timers.advanceMillis(840); // at 1000 ms both: the first scheduled runs first
        assertThat(runs).hasSize(18).endsWith("tcc@950", "rr@1000", "tcc@1000");
        assertThat(timers.pending()).isEqualTo(2);
    }

    @Test
    void aCancelledTaskDoesNotRunAgainAndMayCancelItselfWhileRunning() {
        Timers.Handle[] self = new Timers.Handle[1];
        self[0] = timers.scheduleAtFixedRate(() -> {
            runs.add("self@" + (clock.millis() - start));
            self[0].cancel();
        }, 10, 10, TimeUnit.MILLISECONDS);
        Timers.Handle other = timers.scheduleAtFixedRate(record("other"), 10, 10, TimeUnit.MILLISECONDS);
        timers.advanceMillis(20);
        other.cancel();
        other.cancel(); // idempotent
        timers.advanceMillis(100);
        assertThat(runs).containsExactly("self@10", "other@10", "other@20");
        assertThat(timers.pending()).isZero();
    }

    @Test
    void aTaskScheduledByARunningTaskRunsInTheSameAdvanceWhenItFallsDueInside() {
        timers.schedule(() -> timers.schedule(record("chained"), 5, TimeUnit.MILLISECONDS), 10,
            TimeUnit.MILLISECONDS);
        timers.advanceMillis(15);
        assertThat(runs).containsExactly("chained@15");
    }

    @Test
    void aZeroDelayTaskRunsOnRunDueWithoutMovingTheClock() {
        timers.schedule(record("now"), 0, TimeUnit.MILLISECONDS);
        timers.runDue();
        assertThat(runs).containsExactly("now@0");
    }

    @Test
    void aFailingTaskReachesTheTest() {
        timers.schedule(() -> {
            throw new IllegalStateException("boom");
        }, 1, TimeUnit.MILLISECONDS);
        assertThatThrownBy(() -> timers.advanceMillis(5)).hasMessage("boom");
        assertThatThrownBy(() -> timers.scheduleAtFixedRate(record("x"), 0, 0, TimeUnit.MILLISECONDS))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> timers.advanceMillis(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
