package dev.prism.rtp.testutil;

import java.lang.management.ManagementFactory;

/** Test helper: heap bytes allocated by the current thread while running a task (HotSpot's thread MXBean). */
public final class Allocations {
    private Allocations() {
    }

    /**
     * Heap bytes the current thread allocated per run of {@code task}, averaged over {@code times} runs after the same
     * number of warm-up runs. A path that allocates per call reports at least 16 (the smallest object); JIT
     * compilation and deoptimisation may leave a few hundred bytes in the whole window, so callers assert a value
     * well below 1.
     */
    public static double bytesPerRun(int times, Runnable task) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int i = 0; i < times; i++) {
            task.run();
        }
        long before = mx.getThreadAllocatedBytes(id);
        for (int i = 0; i < times; i++) {
            task.run();
        }
        long after = mx.getThreadAllocatedBytes(id);
        // Calibrate: the MXBean call itself may allocate a little; measure it with an empty window.
        long c0 = mx.getThreadAllocatedBytes(id);
        long c1 = mx.getThreadAllocatedBytes(id);
        return Math.max(0, (after - before) - (c1 - c0)) / (double) times;
    }
}
