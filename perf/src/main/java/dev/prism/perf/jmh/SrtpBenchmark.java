package dev.prism.perf.jmh;

import dev.prism.srtp.SrtpImplementation;
import dev.prism.srtp.SrtpKeyingMaterial;
import dev.prism.srtp.SrtpProfile;
import dev.prism.srtp.SrtpSession;
import dev.prism.srtp.SrtpStatus;
import io.netty.buffer.ByteBuf;
import java.util.Random;
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
 * {@link SrtpSession} on 1200-byte RTP packets, in place, for both profiles Prism negotiates and both implementations
 * ({@link SrtpImplementation}: Prism's own and jitsi-srtp), side by side in one run.
 *
 * <p>{@code protect} encrypts a packet with a new sequence number each time (a session refuses to protect one index
 * twice). Unprotect cannot be repeated on one packet either (replay protection), and a fresh valid packet costs a
 * protect, so {@code protectThenUnprotect} does both: unprotect = that minus {@code protect}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {NettyThreadExecutor.EXECUTOR, NettyThreadExecutor.EXECUTOR_CLASS,
    NettyThreadExecutor.OPEN_JDK_GHASH})
public class SrtpBenchmark {
    @Param({"PRISM", "JITSI"})
    public SrtpImplementation implementation = SrtpImplementation.DEFAULT;

    @Param({"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    public SrtpProfile profile;

    private SrtpSession sender;
    private SrtpSession receiver;
    private ByteBuf packet;
    private int seq;

    @Setup
    public void setUp() {
        byte[] material = new byte[profile.keyingMaterialLength()];
        new Random(7).nextBytes(material);
        SrtpKeyingMaterial keys = SrtpKeyingMaterial.fromExporterOutput(profile, material);
        sender = implementation.create(profile, keys, true);
        receiver = implementation.create(profile, keys, false);
        packet = BenchPackets.vp8(0x0102_0304L, 0, false, SrtpSession.MAX_TRAILER);
    }

    @TearDown
    public void tearDown() {
        sender.close();
        receiver.close();
        packet.release();
    }

    @Benchmark
    public SrtpStatus protect() {
        nextPacket();
        return sender.protectRtp(packet);
    }

    @Benchmark
    public SrtpStatus protectThenUnprotect() {
        nextPacket();
        SrtpStatus s = sender.protectRtp(packet);
        if (s != SrtpStatus.OK) {
            return s;
        }
        return receiver.unprotectRtp(packet);
    }

    /** Back to the plain length with the next sequence number; the bytes need not be plaintext to cost the same. */
    private void nextPacket() {
        seq = (seq + 1) & 0xFFFF;
        packet.writerIndex(BenchPackets.VIDEO_PACKET_LENGTH);
        packet.setShort(2, seq);
    }
}
