package dev.prism.perf.jmh;

import dev.prism.rtp.packet.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The packet view on a 1200-byte VP8 packet with a one-byte extension block: validating wrap (parse), an extension
 * lookup, and the per-consumer copy with SSRC, sequence number, timestamp, payload type and extension ids rewritten.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {NettyThreadExecutor.EXECUTOR, NettyThreadExecutor.EXECUTOR_CLASS,
    NettyThreadExecutor.OPEN_JDK_GHASH})
public class RtpPacketBenchmark {
    private final RtpPacket view = new RtpPacket();
    private final RtpPacket source = new RtpPacket();
    private final byte[] extIdMap = new byte[256];
    private ByteBuf packet;
    private ByteBuf dst;
    private int seq;

    @Setup
    public void setUp() {
        packet = BenchPackets.vp8(0x1234_5678L, 1, false, 0);
        dst = Unpooled.buffer(BenchPackets.VIDEO_PACKET_LENGTH + 64);
        extIdMap[BenchPackets.EXT_ABS_SEND_TIME] = 5; // re-mapped, as for a subscriber with other ids
        if (!source.wrap(packet)) {
            throw new IllegalStateException("bad benchmark packet");
        }
    }

    @TearDown
    public void tearDown() {
        packet.release();
        dst.release();
    }

    @Benchmark
    public int wrap() {
        if (!view.wrap(packet)) {
            return -1;
        }
        return view.sequenceNumber() + view.payloadLength();
    }

    @Benchmark
    public int wrapAndFindExtension() {
        view.wrap(packet);
        return view.findExtension(BenchPackets.EXT_ABS_SEND_TIME);
    }

    @Benchmark
    public int copyRewritten() {
        dst.clear();
        seq++;
        return source.copyRewritten(dst, 0xCAFE_BABEL, seq & 0xFFFF, 3000L * seq, 100, extIdMap);
    }
}
