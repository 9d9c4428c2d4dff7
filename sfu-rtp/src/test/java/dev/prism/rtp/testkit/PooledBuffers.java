package dev.prism.rtp.testkit;

import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * A pooled allocator whose outstanding buffers can be counted exactly: one heap and one direct arena and no thread
 * caches (a cached buffer would count as active in its arena). Give it to an engine, note {@link #outstanding} before,
 * and check that it returns to that baseline once everything is closed.
 */
public final class PooledBuffers {
    private PooledBuffers() {
    }

    /** A fresh pool without thread caches. */
    public static PooledByteBufAllocator exactPool() {
        return new PooledByteBufAllocator(true, 1, 1, 8192, 9, 0, 0, false);
    }

    /** Buffers allocated from {@code pool} and not yet released, heap and direct. */
    public static long outstanding(PooledByteBufAllocator pool) {
        long n = 0;
        for (PoolArenaMetric arena : pool.metric().heapArenas()) {
            n += arena.numActiveAllocations();
        }
        for (PoolArenaMetric arena : pool.metric().directArenas()) {
            n += arena.numActiveAllocations();
        }
        return n;
    }
}
