package dev.prism.ops.inspect;

import dev.prism.core.inspect.NodeSnapshot.BufferStats;
import dev.prism.core.inspect.NodeSnapshot.JvmStats;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;

/**
 * Process CPU (measured as CPU time per interval over all cores, so two readers do not disturb each other), heap and
 * the media plane's pooled buffers. {@link #sample} from the sampler thread; the rest from any thread.
 */
final class JvmProbe {
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final int cpus = Runtime.getRuntime().availableProcessors();
    private long lastCpuNanos = -1;
    private long lastSampleNanos;
    private volatile Double processCpu;

    /** Sampler thread only. */
    void sample(long nowNanos) {
        if (!(os instanceof com.sun.management.OperatingSystemMXBean sun)) {
            return;
        }
        long cpu = sun.getProcessCpuTime();
        if (cpu >= 0 && lastCpuNanos >= 0 && nowNanos > lastSampleNanos) {
            processCpu = Math.min(1.0, Math.max(0.0,
                    (cpu - lastCpuNanos) / (double) (nowNanos - lastSampleNanos) / cpus));
        }
        lastCpuNanos = cpu;
        lastSampleNanos = nowNanos;
    }

    JvmStats jvm() {
        Double system = null;
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            double load = sun.getCpuLoad();
            system = load < 0 ? null : load;
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new JvmStats(processCpu, system, cpus, heap.getUsed(), heap.getCommitted(), heap.getMax(),
                ManagementFactory.getThreadMXBean().getThreadCount());
    }

    /** Pooled buffers in use of {@code allocator}: zeros when it keeps no metrics. */
    static BufferStats buffers(ByteBufAllocator allocator) {
        if (!(allocator instanceof ByteBufAllocatorMetricProvider provider)) {
            return new BufferStats(0, 0, 0);
        }
        ByteBufAllocatorMetric metric = provider.metric();
        long active = 0;
        if (metric instanceof PooledByteBufAllocatorMetric pooled) {
            for (PoolArenaMetric a : pooled.heapArenas()) {
                active += a.numActiveAllocations();
            }
            for (PoolArenaMetric a : pooled.directArenas()) {
                active += a.numActiveAllocations();
            }
        }
        return new BufferStats(Math.max(0, active), metric.usedHeapMemory(), metric.usedDirectMemory());
    }
}
