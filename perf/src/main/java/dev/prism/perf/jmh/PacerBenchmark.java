package dev.prism.perf.jmh;

import dev.prism.rtp.pacer.PacedOutput;
import dev.prism.rtp.pacer.PacketClass;
import dev.prism.rtp.pacer.Pacer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One subscriber's {@link Pacer} alone, per packet, with time passed in: key-frame-like bursts of 100 video packets of
 * 1,200 bytes at one instant every 100 ms of simulated time (9.6 Mbit/s), drained ({@code process}) every 5 ms as the
 * loop's timer would. {@code estimateBps} sets whether they leave at once (1 Gbit/s: the bucket holds the burst) or
 * half of each burst waits (5 Mbit/s: pacing at 12.5 Mbit/s, a 62.5 KB bucket; the rest leaves within ~40 ms; nothing
 * dropped). The output releases each packet, as the transport would after writing it; allocating the buffer is part
 * of the score (compare with the JMH GC profiler's 0 B/op beyond it).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {NettyThreadExecutor.EXECUTOR, NettyThreadExecutor.EXECUTOR_CLASS})
public class PacerBenchmark {
    private static final int BURST = 100;
    private static final long BURST_INTERVAL_NANOS = 100_000_000;
    private static final long TICK_NANOS = 5_000_000;

    @Param({"1000000000", "5000000"})
    public long estimateBps;

    private final ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    private Pacer pacer;
    private long now;
    private int inBurst;

    @Setup
    public void setUp() {
        pacer = new Pacer(new PacedOutput() {
            @Override
            public void emit(ByteBuf packet, int elementOffset, PacketClass type) {
                packet.release();
            }

            @Override
            public void dropped(PacketClass type) {
                throw new IllegalStateException("the benchmark's bursts should fit the queue");
            }
        }, null, estimateBps);
    }

    @TearDown
    public void tearDown() {
        pacer.close();
    }

    @Benchmark
    public int send() {
        ByteBuf p = allocator.heapBuffer(1200 + 32);
        p.writerIndex(1200);
        pacer.send(p, 14, PacketClass.VIDEO, now);
        if (++inBurst == BURST) {
            inBurst = 0;
            for (long t = TICK_NANOS; t < BURST_INTERVAL_NANOS; t += TICK_NANOS) {
                pacer.process(now + t);
            }
            now += BURST_INTERVAL_NANOS;
        }
        return pacer.queuedPackets();
    }
}
