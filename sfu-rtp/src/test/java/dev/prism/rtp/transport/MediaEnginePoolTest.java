package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.IceParameters;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.stun.StunIntegrity;
import dev.prism.rtp.stun.StunMessage;
import dev.prism.rtp.stun.StunMessageWriter;
import dev.prism.srtp.SrtpImplementation;
import dev.prism.srtp.SrtpKeyingMaterial;
import dev.prism.srtp.SrtpProfile;
import dev.prism.srtp.SrtpSession;
import dev.prism.srtp.SrtpStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.IllegalReferenceCountException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The media plane over real UDP on loopback, through the engine's own socket (epoll where available): SRTP both ways
 * with a "browser" made of a plain socket and an {@link SrtpSession} of the other implementation than the engine's
 * configured one, and every pooled buffer back in the pool afterwards. The engine gets its own allocator without thread caches, so its count of outstanding buffers is exact.
 */
class MediaEnginePoolTest {
    private static final int PACKETS = 300;
    private static final int PAYLOAD = 1100;
    private static final int BATCH = 30;

    /** Every profile with every implementation on the engine's side; the browser runs the other one. */
    static Stream<Arguments> implementationsAndProfiles() {
        return Arrays.stream(SrtpImplementation.values())
            .flatMap(i -> Arrays.stream(SrtpProfile.values()).map(p -> Arguments.of(i, p)));
    }

    @ParameterizedTest
    @MethodSource("implementationsAndProfiles")
    void mediaFlowsBothWaysAndThePoolReturnsToItsBaseline(SrtpImplementation srtp, SrtpProfile profile)
            throws Exception {
        PooledByteBufAllocator pool = new PooledByteBufAllocator(true, 1, 1, 8192, 9, 0, 0, false);
        long baseline = outstanding(pool.metric());
        MediaEngine engine = MediaEngine.start(
            new MediaEngineConfig("127.0.0.1", 0, "127.0.0.1", Duration.ofSeconds(30), MonoClock.SYSTEM, srtp),
            pool);
        AtomicInteger received = new AtomicInteger();
        AtomicInteger corrupt = new AtomicInteger();
        SrtpKeyingMaterial keys = keys(profile);
        SrtpImplementation browserSide = srtp == SrtpImplementation.PRISM ? SrtpImplementation.JITSI
            : SrtpImplementation.PRISM;
        SrtpSession browserSrtp = browserSide.create(profile, keys, false); // Prism is the DTLS server below
        try (DatagramSocket browser = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            browser.setSoTimeout(5000);
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", engine.localPort());
            TransportListener listener = new TransportListener() {
                @Override
                public void onRtp(WebRtcTransport transport, RtpPacket packet) {
                    ByteBuf b = packet.buffer();
                    boolean ok = b.readableBytes() == 12 + PAYLOAD;
                    for (int i = 12; ok && i < 12 + PAYLOAD; i++) {
                        ok = b.getByte(b.readerIndex() + i) == (byte) i;
                    }
                    (ok ? received : corrupt).incrementAndGet();
                }
            };
            WebRtcTransport transport = engine.eventLoop().submit(() -> {
                WebRtcTransport t = engine.createTransport("pool-test", listener);
                t.setRemoteParameters(new IceParameters("brws", "browserPassword012345678"),
                    new DtlsFingerprint("sha-256", "00"), DtlsRole.ACTIVE);
                return t;
            }).get();

            // ICE: one nominating binding request, answered
            ByteBuf check = StunMessageWriter.start(UnpooledByteBufAllocator.DEFAULT, StunMessage.BINDING_REQUEST,
                    new byte[StunMessage.TRANSACTION_ID_LENGTH])
                .username(transport.localIceParameters().ufrag() + ":brws")
                .priority(1853824767L)
                .iceControlling(7)
                .useCandidate()
                .finish(StunIntegrity.forPassword(transport.localIceParameters().pwd()), true);
            send(browser, server, check);
            browser.receive(new DatagramPacket(new byte[2048], 2048));
            engine.eventLoop().submit(() -> transport.dtlsConnected(profile, keys, true)).get();
            assertThat(engine.eventLoop().submit(transport::srtpImplementation).get()).as("the configured one")
                .isEqualTo(srtp);

            // browser -> Prism
            for (int seq = 0; seq < PACKETS; seq++) {
                ByteBuf p = rtp(Unpooled.buffer(12 + PAYLOAD + SrtpSession.MAX_TRAILER), seq);
                assertThat(browserSrtp.protectRtp(p)).isEqualTo(SrtpStatus.OK);
                send(browser, server, p);
            }
            waitFor(() -> received.get() + corrupt.get() == PACKETS);
            assertThat(corrupt.get()).isZero();

            // Prism -> browser: heap and direct packets as the fan-out hands them, in batches that the browser's
            // socket buffer holds, each flushed by an RTCP packet
            for (int first = 0; first < PACKETS; first += BATCH) {
                int from = first;
                engine.eventLoop().submit(() -> {
                    for (int seq = from; seq < from + BATCH; seq++) {
                        ByteBuf p = seq % 2 == 0
                            ? engine.allocator().heapBuffer(12 + PAYLOAD + SrtpSession.MAX_TRAILER)
                            : engine.allocator().directBuffer(12 + PAYLOAD + SrtpSession.MAX_TRAILER);
                        transport.sendRtp(rtp(p, seq));
                    }
                    ByteBuf rr = engine.allocator().heapBuffer(8 + SrtpSession.MAX_TRAILER);
                    rr.writeInt(0x80c90001).writeInt(0x0bad0bad);
                    transport.sendRtcp(rr);
                }).get();
                for (int seq = from; seq <= from + BATCH; seq++) {
                    ByteBuf in = receive(browser);
                    if (seq < from + BATCH) {
                        assertThat(browserSrtp.unprotectRtp(in)).as("RTP %d", seq).isEqualTo(SrtpStatus.OK);
                        assertThat(rtpEquals(in, seq)).as("RTP %d", seq).isTrue();
                    } else {
                        assertThat(browserSrtp.unprotectRtcp(in)).isEqualTo(SrtpStatus.OK);
                        assertThat(in.readableBytes()).isEqualTo(8);
                        in.release();
                    }
                }
            }
            assertThat(pool.metric().heapArenas().get(0).numAllocations()).as("the engine used this pool")
                .isGreaterThanOrEqualTo(PACKETS);
        } finally {
            browserSrtp.close();
            engine.close();
        }
        assertThat(outstanding(pool.metric())).as("buffers not returned to the pool").isEqualTo(baseline);
    }

    private static ByteBuf rtp(ByteBuf p, int seq) {
        p.writeByte(0x80).writeByte(96).writeShort(seq).writeInt(seq * 3000).writeInt(0x5eed0001);
        for (int i = 12; i < 12 + PAYLOAD; i++) {
            p.writeByte(i);
        }
        return p;
    }

    private static boolean rtpEquals(ByteBuf in, int seq) {
        ByteBuf expected = rtp(Unpooled.buffer(12 + PAYLOAD), seq);
        try {
            return io.netty.buffer.ByteBufUtil.equals(in, expected);
        } finally {
            expected.release();
            in.release();
        }
    }

    private static ByteBuf receive(DatagramSocket socket) throws Exception {
        byte[] datagram = new byte[2048];
        DatagramPacket d = new DatagramPacket(datagram, datagram.length);
        socket.receive(d);
        return Unpooled.wrappedBuffer(Arrays.copyOf(datagram, d.getLength()));
    }

    private static void send(DatagramSocket socket, InetSocketAddress to, ByteBuf packet) throws Exception {
        byte[] bytes = new byte[packet.readableBytes()];
        packet.readBytes(bytes);
        packet.release();
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    private static long outstanding(PooledByteBufAllocatorMetric metric) {
        long n = 0;
        for (PoolArenaMetric arena : metric.heapArenas()) {
            n += arena.numActiveAllocations();
        }
        for (PoolArenaMetric arena : metric.directArenas()) {
            n += arena.numActiveAllocations();
        }
        return n;
    }

    private static SrtpKeyingMaterial keys(SrtpProfile profile) {
        byte[] material = new byte[profile.keyingMaterialLength()];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) (31 * i + 5);
        }
        return SrtpKeyingMaterial.fromExporterOutput(profile, material);
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void envelopesAreReusedWithTheirBuffersAndReleasedOnClose() {
        PooledByteBufAllocator pool = new PooledByteBufAllocator(true, 1, 1, 8192, 9, 0, 0, false);
        OutboundDatagramPool envelopes = new OutboundDatagramPool(pool);
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", 9);

        ByteBuf heap = Unpooled.buffer(16).writeInt(0x01020304);
        OutboundDatagram first = envelopes.copyOf(heap, to);
        assertThat(heap.refCnt()).as("the packet was copied and released").isZero();
        assertThat(first.content().isDirect()).isTrue();
        assertThat(first.content().readInt()).isEqualTo(0x01020304);
        assertThat(first.recipient()).isSameAs(to);
        assertThat(first.sender()).isNull();

        // the channel may retain (EmbeddedChannel does) before its own release
        first.retain();
        assertThat(first.release()).isFalse();
        assertThat(first.release()).isTrue();
        assertThat(envelopes.idleCount()).isEqualTo(1);
        assertThatThrownBy(first::release).isInstanceOf(IllegalReferenceCountException.class);

        OutboundDatagram second = envelopes.copyOf(Unpooled.buffer(4).writeShort(7), to);
        assertThat(second).as("reused").isSameAs(first);
        assertThat(second.content().readableBytes()).isEqualTo(2);
        assertThat(envelopes.idleCount()).isZero();

        int jumboSize = OutboundDatagramPool.BUFFER_SIZE + 1;
        ByteBuf jumbo = Unpooled.buffer(jumboSize).writeZero(jumboSize);
        OutboundDatagram oneOff = envelopes.copyOf(jumbo, to);
        assertThat(oneOff.content().readableBytes()).isEqualTo(jumboSize);
        assertThat(oneOff.release()).isTrue();
        assertThat(envelopes.idleCount()).as("one-offs are not kept").isZero();

        envelopes.close();
        assertThat(second.release()).as("in flight at close: frees its buffer").isTrue();
        assertThat(envelopes.idleCount()).isZero();
        assertThat(outstanding(pool.metric())).isZero();
    }
}
