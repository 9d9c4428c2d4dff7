package dev.prism.cluster;

import java.util.ArrayList;
import java.util.List;

/** A scheduler whose tasks run only when the test ticks them. Thread-safe enough for one test thread. */
final class ManualScheduler implements PeriodicScheduler {
    private final List<Task> tasks = new ArrayList<>();

    private static final class Task {
        final long periodMillis;
        final Runnable runnable;
        volatile boolean cancelled;

        Task(long periodMillis, Runnable runnable) {
            this.periodMillis = periodMillis;
            this.runnable = runnable;
        }
    }

    @Override
    public synchronized Cancellable every(long periodMillis, Runnable task) {
        Task t = new Task(periodMillis, task);
        tasks.add(t);
        return () -> t.cancelled = true;
    }

    /** Runs once every live task scheduled with this period. */
    void tick(long periodMillis) {
        List<Task> due;
        synchronized (this) {
            due = new ArrayList<>(tasks);
        }
        for (Task t : due) {
            if (!t.cancelled && t.periodMillis == periodMillis) {
                t.runnable.run();
            }
        }
    }
}
