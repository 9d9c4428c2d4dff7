package dev.prism.perf.jmh;

import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtcpFeedback;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.router.downlink.SubscriberEndpoint;
import dev.prism.rtp.router.uplink.PublisherEndpoint;
import dev.prism.rtp.transport.EmbeddedMedia;
import dev.prism.rtp.transport.WebRtcTransport;
import dev.prism.srtp.SrtpImplementation;
import dev.prism.srtp.SrtpKeyingMaterial;
import dev.prism.srtp.SrtpProfile;
import dev.prism.srtp.SrtpSession;
import dev.prism.srtp.SrtpStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
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
 * One incoming video packet forwarded to N subscribers through Prism's real objects: {@link PublisherEndpoint} ->
 * {@code Producer} -> N x {@code Consumer} (copy, rewrite) -> {@link WebRtcTransport#sendRtp} (SRTP protect) ->
 * {@code MediaEngine} write, on an {@link EmbeddedMedia} channel instead of a UDP socket. Every transport passed a
 * real ICE check and holds its own SRTP keys.
 *
 * <ul>
 *   <li>{@code fanOut}: from the decrypted packet, as the publisher's transport hands it to its endpoint;</li>
 *   <li>{@code receiveAndFanOut}: from the encrypted datagram through the engine's socket handler (demux, address
 *       lookup, heap copy, unprotect, parse) and the flush at read-complete. The benchmark first encrypts the next
 *       datagram as the browser would; {@code browserEncrypt} is that part alone, to subtract.</li>
 * </ul>
 * Scores are per incoming packet; divide by {@code receivers} for the cost per forwarded packet. The datagrams the
 * engine writes are released by the benchmark, as a socket write would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {NettyThreadExecutor.EXECUTOR, NettyThreadExecutor.EXECUTOR_CLASS,
    NettyThreadExecutor.OPEN_JDK_GHASH})
public class ForwardingBenchmark {
    private static final long PUBLISHER_SSRC = 0x1111_0000L;
    private static final String TRACK = "pub:1";

    @Param({"1", "10", "50"})
    public int receivers;

    @Param({"AEAD_AES_128_GCM"})
    public SrtpProfile profile;

    /** The engine's SRTP implementation; {@code -p srtp=PRISM,JITSI} compares them on the whole path. */
    @Param({"PRISM"})
    public SrtpImplementation srtp = SrtpImplementation.DEFAULT;

    /**
     * The subscribers' pacer; {@code -p pacer=true,false} compares. The subscribers negotiate no congestion feedback
     * (their pacers run at 2.5 x {@code DownlinkController.UNLIMITED_BPS}) and the media plane's clock moves on by
     * {@link #PACKET_INTERVAL_MILLIS} per incoming packet, so each subscriber gets ~10 Mbit/s of simulated time: the
     * pacer never holds a packet back, and this measures what it costs the common case. (On the wall clock the
     * benchmark would send each subscriber gigabits per second and measure a saturated pacer instead.)
     */
    @Param({"true"})
    public boolean pacer = true;

    /** Simulated time between two incoming packets: 1,000 packets a second from the publisher. */
    static final long PACKET_INTERVAL_MILLIS = 1;
    private final dev.prism.core.clock.FakeClock clock = new dev.prism.core.clock.FakeClock();

    /**
     * The video codec of the forwarded track; {@code -p codec=VP8,H264} compares them (issue #15: H.264 forwarding
     * within 10 % of VP8's CPU per packet). H.264 has no payload descriptor to rewrite; VP8's picture id is rewritten.
     */
    @Param({"VP8"})
    public String codec = "VP8";

    /** Where the engine's buffers come from; the tests swap in a pool whose outstanding buffers they count. */
    ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;

    private EmbeddedMedia media;
    private RoomRouter room;
    private PublisherEndpoint publisher;
    private WebRtcTransport publisherTransport;
    private SrtpSession browser;
    private final RtpPacket view = new RtpPacket();
    private ByteBuf plain;
    private ByteBuf template;
    private ByteBuf encrypted;
    private ByteBuf wire;
    private DatagramPacket datagram;
    private int seq;

    @Setup
    public void setUp() {
        media = new EmbeddedMedia(allocator, srtp, clock, null, pacer);
        room = new RoomRouter("bench", media.engine());
        Random random = new Random(1);

        publisher = new PublisherEndpoint(media.engine().counters(), room.rtcp(), (t, reason) -> { });
        publisherTransport = media.createTransport("pub", publisher);
        publisher.bind(publisherTransport);
        SrtpKeyingMaterial publisherKeys = keys(random);
        InetSocketAddress browserAddress = new InetSocketAddress("127.0.0.1", 50000);
        media.connect(publisherTransport, browserAddress, profile, publisherKeys);
        browser = SrtpSession.create(profile, publisherKeys, false);
        room.addProducer(TRACK, "pub", videoDescription(h264()), PUBLISHER_SSRC, 0, publisher);

        for (int i = 0; i < receivers; i++) {
            SubscriberEndpoint sub = new SubscriberEndpoint((t, reason) -> { }, media.engine().counters(), room.rtcp());
            WebRtcTransport t = media.createTransport("sub" + i, sub);
            sub.bind(t);
            media.connect(t, new InetSocketAddress("127.0.0.1", 50001 + i), profile, keys(random));
            room.subscribe(TRACK, sub, 0x2222_0000L + i, BenchPackets.VP8_PT,
                    List.of(new HeaderExtension(BenchPackets.EXT_ABS_SEND_TIME, HeaderExtension.ABS_SEND_TIME)));
        }
        media.drainOutbound(); // keyframe requests

        // Consumers start on a key frame; every later packet is a delta packet.
        ByteBuf key = packet(true);
        view.wrap(key);
        publisher.onRtp(publisherTransport, view);
        media.flush();
        // One copy per receiver; the same flush may also carry the publisher's transport-cc feedback (its timer)
        if (media.drainOutbound() < receivers) {
            throw new IllegalStateException("key frame not forwarded: " + media.engine().countersSummary());
        }
        key.release();

        plain = packet(false);
        template = packet(false);
        encrypted = Unpooled.buffer(BenchPackets.VIDEO_PACKET_LENGTH + SrtpSession.MAX_TRAILER);
        wire = Unpooled.directBuffer(BenchPackets.VIDEO_PACKET_LENGTH + SrtpSession.MAX_TRAILER);
        datagram = new DatagramPacket(wire, EmbeddedMedia.LOCAL, browserAddress);
    }

    @TearDown
    public void tearDown() {
        room.removeProducer(TRACK); // releases the packet history it retains for retransmissions
        media.close();
        browser.close();
        plain.release();
        template.release();
        encrypted.release();
        wire.release();
    }

    @Benchmark
    public int fanOut() {
        clock.advanceMillis(PACKET_INTERVAL_MILLIS);
        seq = (seq + 1) & 0xFFFF;
        plain.setShort(2, seq);
        view.wrap(plain);
        publisher.onRtp(publisherTransport, view);
        media.flush();
        return media.drainOutbound();
    }

    @Benchmark
    public int receiveAndFanOut() {
        if (browserEncrypt() != SrtpStatus.OK) {
            return -1;
        }
        datagram.retain(); // the engine's handler releases it after the read; the benchmark reuses it
        media.receive(datagram);
        return media.drainOutbound();
    }

    /** What {@link #receiveAndFanOut} does before the engine sees the datagram. */
    @Benchmark
    public SrtpStatus browserEncrypt() {
        clock.advanceMillis(PACKET_INTERVAL_MILLIS);
        seq = (seq + 1) & 0xFFFF;
        encrypted.clear().writeBytes(template, 0, BenchPackets.VIDEO_PACKET_LENGTH);
        encrypted.setShort(2, seq);
        SrtpStatus s = browser.protectRtp(encrypted);
        wire.clear().writeBytes(encrypted, 0, encrypted.writerIndex());
        return s;
    }

    private boolean h264() {
        return "H264".equalsIgnoreCase(codec);
    }

    private ByteBuf packet(boolean keyframe) {
        return h264() ? BenchPackets.h264(PUBLISHER_SSRC, 0, keyframe, 0)
                : BenchPackets.vp8(PUBLISHER_SSRC, 0, keyframe, 0);
    }

    private SrtpKeyingMaterial keys(Random random) {
        byte[] material = new byte[profile.keyingMaterialLength()];
        random.nextBytes(material);
        return SrtpKeyingMaterial.fromExporterOutput(profile, material);
    }

    private static MediaDescription videoDescription(boolean h264) {
        List<RtcpFeedback> fb = List.of(new RtcpFeedback("nack", ""), new RtcpFeedback("nack", "pli"));
        RtpCodec primary = h264
                ? new RtpCodec(BenchPackets.H264_PT, "H264", 90000, 1,
                        Map.of("packetization-mode", "1", "profile-level-id", "42e01f"), fb)
                : new RtpCodec(BenchPackets.VP8_PT, "VP8", 90000, 1, Map.of(), fb);
        RtpCodec rtx = new RtpCodec(97, "rtx", 90000, 1, Map.of("apt", "96"), List.of());
        return new MediaDescription("1", MediaKind.VIDEO, List.of(primary, rtx),
                List.of(new HeaderExtension(BenchPackets.EXT_ABS_SEND_TIME, HeaderExtension.ABS_SEND_TIME),
                        new HeaderExtension(BenchPackets.EXT_TRANSPORT_CC, HeaderExtension.TRANSPORT_CC)),
                List.of(new RtpEncoding(PUBLISHER_SSRC, 0, null)), "stream", "track");
    }
}
