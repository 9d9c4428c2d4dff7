package dev.prism.rtp.pacer;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.clock.Timers;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The one drain timer of an event loop's pacers: every {@link #TICK_MILLIS} it lets each pacer with queued packets
 * send what its budget allows, then flushes the loop's socket writes once. A pacer joins when it queues a packet
 * ({@link Pacer#send}) and leaves when its queue is empty; the timer runs only while some pacer is queued (it stops
 * after {@link #IDLE_TICKS_BEFORE_STOP} empty ticks, so a loop with steady key frames does not reschedule it per
 * burst). One timer per loop instead of one per subscriber: one wake-up and one flush per tick whatever the number
 * of congested subscribers.
 *
 * <p>Threading: the event loop that owns the timers and every pacer given to it.
 */
public final class PacingLoop {
    /** Drain granularity. */
    public static final long TICK_MILLIS = 5;
    /** Ticks with nothing queued before the timer stops (1 s). */
    static final int IDLE_TICKS_BEFORE_STOP = 200;

    private final Timers timers;
    private final MonoClock clock;
    private final Runnable flush;
    private final PacerTotals totals;
    private final Runnable tickTask = this::tick;
    private Pacer[] active = new Pacer[16];
    private int count;
    private Timers.Handle handle;
    private int idleTicks;
    private long ticks;

    /** @param flush writes what the tick's pacers emitted to the socket (the engine's batched flush) */
    public PacingLoop(Timers timers, MonoClock clock, Runnable flush) {
        this(timers, clock, flush, PacerTotals.NONE);
    }

    /** @param totals where this loop's pacers report waits and early sends (the engine's media counters) */
    public PacingLoop(Timers timers, MonoClock clock, Runnable flush, PacerTotals totals) {
        this.timers = timers;
        this.clock = clock;
        this.flush = flush;
        this.totals = totals;
    }

    PacerTotals totals() {
        return totals;
    }

    /** {@code pacer} has packets queued: drain it from the next tick on. */
    void wake(Pacer pacer) {
        if (pacer.inLoop) {
            return;
        }
        pacer.inLoop = true;
        if (count == active.length) {
            active = Arrays.copyOf(active, count * 2); // grows with the loop's congested subscribers, rarely
        }
        active[count++] = pacer;
        idleTicks = 0;
        if (handle == null) {
            handle = timers.scheduleAtFixedRate(tickTask, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** {@code pacer} closed: never drained again. */
    void remove(Pacer pacer) {
        if (!pacer.inLoop) {
            return;
        }
        for (int i = 0; i < count; i++) {
            if (active[i] == pacer) {
                removeAt(i);
                break;
            }
        }
    }

    private void removeAt(int i) {
        active[i].inLoop = false;
        active[i] = active[--count];
        active[count] = null;
    }

    void tick() {
        ticks++;
        if (count == 0) {
            if (++idleTicks >= IDLE_TICKS_BEFORE_STOP && handle != null) {
                handle.cancel();
                handle = null;
            }
            return;
        }
        long now = clock.nanos();
        for (int i = 0; i < count; ) {
            if (active[i].process(now)) {
                i++;
            } else {
                removeAt(i);
            }
        }
        flush.run();
    }

    /** Pacers with packets queued now. */
    public int activePacers() {
        return count;
    }

    /** Whether the drain timer is scheduled. */
    public boolean isTicking() {
        return handle != null;
    }

    /** Ticks run so far. */
    public long ticks() {
        return ticks;
    }
}
