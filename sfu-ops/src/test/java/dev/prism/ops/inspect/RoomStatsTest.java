package dev.prism.ops.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A room's byte-rate meters: a rate per live object from one sample to the next, objects absent from a sample
 * forgotten, and a sample over known objects allocating nothing (the two meter maps are reused, the rates unboxed).
 */
class RoomStatsTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void ratesPerObjectAndObjectsAbsentFromASampleAreForgotten() {
        RoomStats stats = new RoomStats(10);
        Object a = new Object();
        Object b = new Object();
        stats.sampleBytes(counters(a, 1000, b, 0), SECOND);
        assertThat(stats.bitsPerSecond(a)).as("first sample: no rate yet").isNull();
        stats.sampleBytes(counters(a, 3000, b, 500), 2 * SECOND);
        assertThat(stats.bitsPerSecond(a)).isEqualTo(16_000.0);
        assertThat(stats.bitsPerSecond(b)).isEqualTo(4_000.0);
        stats.sampleBytes(counters(a, 4000), 3 * SECOND);
        assertThat(stats.bitsPerSecond(a)).isEqualTo(8_000.0);
        assertThat(stats.bitsPerSecond(b)).as("absent: forgotten").isNull();
        stats.sampleBytes(counters(a, 4000, b, 600), 4 * SECOND);
        assertThat(stats.bitsPerSecond(b)).as("back: measured afresh").isNull();
        assertThat(stats.bitsPerSecond(a)).isEqualTo(0.0);
        assertThat(stats.bitsPerSecond(new Object())).isNull();
    }

    @Test
    void aSampleOfKnownObjectsAllocatesNothing() {
        RoomStats stats = new RoomStats(10);
        Object[] objects = new Object[50];
        for (int i = 0; i < objects.length; i++) {
            objects[i] = new Object();
        }
        long[] now = {0};
        Runnable sample = () -> {
            now[0] += SECOND;
            stats.beginSample(now[0]);
            for (int i = 0; i < objects.length; i++) {
                stats.counter(objects[i], now[0] / 1000 * i);
            }
            stats.endSample();
        };
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) {
            sample.run();
        }
        long before = mx.getThreadAllocatedBytes(id);
        for (int i = 0; i < 2_000; i++) {
            sample.run();
        }
        long bytes = mx.getThreadAllocatedBytes(id) - before;
        assertThat(bytes / 2_000.0).as("bytes per sample of 50 objects").isLessThan(16);
        assertThat(stats.bitsPerSecond(objects[3])).isEqualTo(24_000_000.0); // 3 MB more per second
    }

    private static Map<Object, Long> counters(Object... keysAndBytes) {
        Map<Object, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndBytes.length; i += 2) {
            m.put(keysAndBytes[i], ((Number) keysAndBytes[i + 1]).longValue());
        }
        return m;
    }
}
