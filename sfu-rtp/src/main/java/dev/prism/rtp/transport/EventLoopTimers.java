package dev.prism.rtp.transport;

import dev.prism.core.clock.Timers;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link Timers} on a Netty event loop: the production timers of a {@link MediaEngine}, whose tasks run on the media
 * loop that owns the state they touch. Netty reads its own clock ({@code System.nanoTime}), not the engine's
 * {@code MonoClock}; tests that drive time use {@link dev.prism.core.clock.ManualTimers} instead.
 */
public final class EventLoopTimers implements Timers {
    private final EventExecutor loop;

    public EventLoopTimers(EventExecutor loop) {
        this.loop = loop;
    }

    @Override
    public Handle schedule(Runnable task, long delay, TimeUnit unit) {
        ScheduledFuture<?> f = loop.schedule(task, delay, unit);
        return () -> f.cancel(false);
    }

    @Override
    public Handle scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        ScheduledFuture<?> f = loop.scheduleAtFixedRate(task, initialDelay, period, unit);
        return () -> f.cancel(false);
    }
}
