package dev.prism.core.clock;

import java.util.concurrent.TimeUnit;

/**
 * Where time-driven work is scheduled: the RTCP reports, transport-cc feedback, consent checks and estimator ticks
 * of the media plane. Production runs them on the owning event loop (sfu-rtp's {@code EventLoopTimers}); tests use
 * {@link ManualTimers}, which runs due tasks when a {@link FakeClock} is advanced, so periodic work follows the same
 * clock as everything that reads time.
 *
 * <p>Threads: an implementation runs every task on one thread, the one that owns the state the task touches (the
 * media loop in production, the test's thread with {@link ManualTimers}). Schedule and cancel from that thread.
 */
public interface Timers {
    /** Runs {@code task} once after {@code delay}. */
    Handle schedule(Runnable task, long delay, TimeUnit unit);

    /**
     * Runs {@code task} first after {@code initialDelay}, then every {@code period} from the first run's due time
     * (fixed rate: a late run does not move the later ones).
     */
    Handle scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit);

    /** A scheduled task. */
    @FunctionalInterface
    interface Handle {
        /** The task does not run again (a run already under way finishes). Idempotent. */
        void cancel();
    }
}
