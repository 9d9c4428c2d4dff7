package dev.prism.ops.inspect;

import dev.prism.core.inspect.NodeSnapshot.EventLoopStats;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.RejectedExecutionException;

/**
 * Measures how loaded one event loop is: the CPU time its thread used per interval, and how long a tiny probe task
 * waits in its queue (lag). A loop that is stuck shows a lag that keeps growing, not the last good value.
 *
 * <p>Threading: {@link #sample} from the sampler thread only; {@link #stats} and the getters from any thread.
 */
public final class EventLoopProbe {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final EventExecutor loop;
    private volatile long threadId = -1;
    private volatile String name;
    private volatile long probeSubmittedNanos;
    private volatile Double lagMillis;
    private volatile Double busyFraction;
    private long lastCpuNanos = -1;
    private long lastSampleNanos;

    public EventLoopProbe(EventExecutor loop, String fallbackName) {
        this.loop = loop;
        this.name = fallbackName;
        try {
            loop.execute(() -> {
                threadId = Thread.currentThread().getId();
                name = Thread.currentThread().getName();
            });
        } catch (RejectedExecutionException e) {
            // a loop shutting down: nothing to measure
        }
    }

    /** Takes one measurement: CPU since the previous call, and sends the next lag probe. Sampler thread only. */
    void sample(long nowNanos) {
        long submitted = probeSubmittedNanos;
        if (submitted != 0) {
            lagMillis = (System.nanoTime() - submitted) / 1e6; // the previous probe still waits: the loop is stuck
        } else {
            long at = System.nanoTime();
            probeSubmittedNanos = at;
            try {
                loop.execute(() -> {
                    lagMillis = (System.nanoTime() - at) / 1e6;
                    probeSubmittedNanos = 0;
                });
            } catch (RejectedExecutionException e) {
                probeSubmittedNanos = 0;
            }
        }
        long id = threadId;
        if (id >= 0 && THREADS.isThreadCpuTimeSupported()) {
            long cpu = THREADS.getThreadCpuTime(id);
            if (cpu >= 0 && lastCpuNanos >= 0 && nowNanos > lastSampleNanos) {
                busyFraction = Math.min(1.0, Math.max(0.0, (cpu - lastCpuNanos) / (double) (nowNanos - lastSampleNanos)));
            }
            lastCpuNanos = cpu;
            lastSampleNanos = nowNanos;
        }
    }

    public String name() {
        return name;
    }

    /** Busy fraction 0..1 over the last interval, or null. */
    public Double busyFraction() {
        return busyFraction;
    }

    /** Queue wait of the last (or still waiting) probe task in milliseconds, or null. */
    public Double lagMillis() {
        return lagMillis;
    }

    /** Tasks queued now, or -1 when the loop does not tell. */
    public int pendingTasks() {
        return loop instanceof SingleThreadEventExecutor s ? s.pendingTasks() : -1;
    }

    public EventLoopStats stats() {
        return new EventLoopStats(name, busyFraction, lagMillis, pendingTasks());
    }
}
