package dev.prism.cluster;

import io.vertx.core.Vertx;

/**
 * Runs a task periodically; injected so tests can tick the registry by hand. The task must not block: it runs on an
 * event loop (Vert.x timers) and only starts asynchronous Redis calls.
 */
@FunctionalInterface
public interface PeriodicScheduler {

    /** Runs {@code task} every {@code periodMillis} until the returned handle is cancelled. */
    Cancellable every(long periodMillis, Runnable task);

    /** A scheduled task's handle. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }

    /** Vert.x periodic timers (on an event loop of {@code vertx}). */
    static PeriodicScheduler vertx(Vertx vertx) {
        return (periodMillis, task) -> {
            long id = vertx.setPeriodic(periodMillis, timerId -> task.run());
            return () -> vertx.cancelTimer(id);
        };
    }
}
