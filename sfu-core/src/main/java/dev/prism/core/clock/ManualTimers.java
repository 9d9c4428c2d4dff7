package dev.prism.core.clock;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link Timers} driven by a {@link FakeClock}, for tests: nothing runs until the test calls {@link #advance}, which
 * moves the clock to each due task's time in turn and runs it there, in due order (tasks due at the same instant in
 * the order they were first scheduled, as on Netty's loop), including tasks that the running ones schedule within the window. A task sees the
 * clock at its own due time, as it would on a loop that is never late.
 *
 * <p>A task that throws stops the advance and the exception reaches the test (Netty's loop would log it and cancel a
 * periodic task; a test wants to see it). Single-threaded: schedule, cancel and advance from the test's thread.
 */
public final class ManualTimers implements Timers {
    private final FakeClock clock;
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private long sequence;

    public ManualTimers(FakeClock clock) {
        this.clock = clock;
    }

    public FakeClock clock() {
        return clock;
    }

    @Override
    public Handle schedule(Runnable task, long delay, TimeUnit unit) {
        return add(task, unit.toNanos(delay), 0);
    }

    @Override
    public Handle scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        return add(task, unit.toNanos(initialDelay), unit.toNanos(period));
    }

    /** Moves the clock forward by {@code d}, running every task that falls due on the way. */
    public ManualTimers advance(Duration d) {
        return advanceNanos(d.toNanos());
    }

    /** Moves the clock forward by {@code ms} milliseconds, running every task that falls due on the way. */
    public ManualTimers advanceMillis(long ms) {
        return advanceNanos(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    /** Runs the tasks due now without moving the clock. */
    public ManualTimers runDue() {
        return advanceNanos(0);
    }

    /** Tasks scheduled and not cancelled (a periodic task counts once). */
    public int pending() {
        int n = 0;
        for (Entry e : queue) {
            if (!e.cancelled) {
                n++;
            }
        }
        return n;
    }

    private ManualTimers advanceNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("time does not go back: " + nanos);
        }
        long target = clock.nanos() + nanos;
        Entry next;
        while ((next = queue.peek()) != null && next.due <= target) {
            queue.poll();
            if (next.cancelled) {
                continue;
            }
            moveClockTo(next.due);
            if (next.period > 0) {
                // Re-queued before it runs, so the task may cancel itself.
                next.due += next.period;
                queue.add(next);
            } else {
                next.cancelled = true;
            }
            next.task.run();
        }
        moveClockTo(target);
        return this;
    }

    private void moveClockTo(long nanos) {
        long now = clock.nanos();
        if (nanos > now) {
            clock.advance(Duration.ofNanos(nanos - now));
        }
    }

    private Handle add(Runnable task, long delayNanos, long periodNanos) {
        Entry e = new Entry(task, clock.nanos() + Math.max(0, delayNanos), periodNanos, sequence++);
        queue.add(e);
        return e;
    }

    private static final class Entry implements Handle, Comparable<Entry> {
        final Runnable task;
        final long period;
        long due;
        final long order;
        boolean cancelled;

        Entry(Runnable task, long due, long period, long order) {
            this.task = task;
            this.due = due;
            this.period = period;
            this.order = order;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }
}
