package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.prism.core.clock.MonoClock;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.IceCandidate;
import dev.prism.core.rtp.IceParameters;
import dev.prism.rtp.dtls.DtlsCertificate;
import dev.prism.rtp.dtls.PlainBctlsPeers;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.stun.StunIntegrity;
import dev.prism.rtp.stun.StunMessage;
import dev.prism.rtp.stun.StunMessageWriter;
import dev.prism.rtp.testkit.FakePeer;
import dev.prism.rtp.testkit.TcpPeerSocket;
import dev.prism.srtp.SrtpProfile;
import dev.prism.srtp.SrtpSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.UDPTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ICE-TCP through a real engine on loopback: a browser end on a TCP socket (RFC 4571 frames) passes an ICE check with
 * its ufrag, completes DTLS over the stream and exchanges SRTP with a UDP browser through the engine, both ways; the
 * engine advertises the passive candidate below UDP; a connection that never checks is closed at the deadline.
 */
class IceTcpTransportTest {
    private static final String BROWSER_PWD = "browserPassword012345678";

    private final DtlsCertificate browserCert = DtlsCertificate.generate();
    private final ExecutorService browserThreads = Executors.newFixedThreadPool(2);
    private MediaEngine engine;

    @BeforeEach
    void start() {
        engine = MediaEngine.start(new MediaEngineConfig("127.0.0.1", 0, "127.0.0.1", Duration.ofSeconds(30),
                MonoClock.SYSTEM).withIceTcp(IceTcpConfig.SAME_PORT.withLimits(new TcpLimits(2048,
                Duration.ofSeconds(1), 32, 1024, 8192, 4, 1024 * 1024))));
    }

    @AfterEach
    void stop() {
        browserThreads.shutdownNow();
        engine.close();
    }

    @Test
    void theEngineAdvertisesAPassiveTcpCandidateBelowUdp() {
        assertThat(engine.localTcpPort()).isPositive();
        assertThat(engine.localCandidates()).containsExactly(
                new IceCandidate("1", 1, "udp", 2130706431L, "127.0.0.1", engine.localPort(), "host"),
                new IceCandidate("2", 1, "tcp", 1520435199L, "127.0.0.1", engine.localTcpPort(), "host", "passive"));
        assertThat(engine.localCandidates().get(1).toSdpValue())
                .isEqualTo("2 1 tcp 1520435199 127.0.0.1 " + engine.localTcpPort() + " typ host tcptype passive");
    }

    @Test
    void iceDtlsAndSrtpOverTcpWithMediaToAUdpPeerAndBack() throws Exception {
        Relay relay = new Relay();
        WebRtcTransport overTcp = transport("tcp-pub", "btcp", relay);
        WebRtcTransport overUdp = transport("udp-sub", "budp", relay);
        relay.a = overTcp;
        relay.b = overUdp;

        try (TcpPeerSocket tcp = new TcpPeerSocket(new InetSocketAddress("127.0.0.1", engine.localTcpPort()));
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            udp.setSoTimeout(10_000);
            udp.setReceiveBufferSize(4 << 20);
            udp.connect(new InetSocketAddress("127.0.0.1", engine.localPort()));

            // ICE: a binding request with the transport's ufrag, framed; the answer comes back framed.
            tcp.sendFrame(check(overTcp, "btcp"));
            byte[] answer = tcp.receiveFrame(10_000);
            assertThat(answer).isNotNull();
            assertThat(StunMessage.parse(Unpooled.wrappedBuffer(answer)).messageClass())
                    .isEqualTo(StunMessage.CLASS_SUCCESS_RESPONSE);
            assertThat(onLoop(overTcp::protocol)).isEqualTo("tcp");
            assertThat(onLoop(overTcp::remoteAddress)).isEqualTo(tcp.localAddress());
            byte[] udpCheck = check(overUdp, "budp");
            udp.send(new DatagramPacket(udpCheck, udpCheck.length));
            udp.receive(new DatagramPacket(new byte[2048], 2048));
            assertThat(onLoop(overUdp::protocol)).isEqualTo("udp");
            assertThat(engine.counters().transportsOnTcp()).isEqualTo(1);

            // DTLS over both: the browsers are the clients (a=setup:active).
            CompletableFuture<FakePeer> tcpPeer = dtls(tcp, overTcp);
            CompletableFuture<FakePeer> udpPeer = dtls(new UDPTransport(udp, 1500), overUdp);
            FakePeer tcpBrowser = tcpPeer.get(15, TimeUnit.SECONDS);
            FakePeer udpBrowser = udpPeer.get(15, TimeUnit.SECONDS);
            assertThat(relay.connected.get(15, TimeUnit.SECONDS)).isEqualTo(2);

            // TCP -> engine -> UDP
            ByteBuf plain = rtp(7);
            tcp.sendFrame(tcpBrowser.protect(plain));
            byte[] got = receive(udp);
            ByteBuf decrypted = udpBrowser.unprotect(got);
            assertThat(ByteBufUtil.getBytes(decrypted)).isEqualTo(ByteBufUtil.getBytes(plain));
            decrypted.release();
            // UDP -> engine -> TCP
            ByteBuf back = rtp(8);
            byte[] wire = udpBrowser.protect(back);
            udp.send(new DatagramPacket(wire, wire.length));
            byte[] frame = tcp.receiveFrame(10_000);
            assertThat(frame).isNotNull();
            ByteBuf decryptedBack = tcpBrowser.unprotect(frame);
            assertThat(ByteBufUtil.getBytes(decryptedBack)).isEqualTo(ByteBufUtil.getBytes(back));
            decryptedBack.release();
            plain.release();
            back.release();

            printSendPathAllocation(overTcp, overUdp, tcp, udp);
            tcpBrowser.close();
            udpBrowser.close();
        }
        // The browser closed its socket: the transport has no path until another check, and the gauge follows.
        waitFor(() -> engine.counters().tcpConnections() == 0);
        assertThat(onLoop(overTcp::protocol)).isEqualTo("udp");
        assertThat(engine.counters().transportsOnTcp()).isZero();
    }

    @Test
    void aConnectionThatNeverPassesIceIsClosedAtTheDeadline() throws Exception {
        try (TcpPeerSocket silent = new TcpPeerSocket(new InetSocketAddress("127.0.0.1", engine.localTcpPort()))) {
            silent.sendRaw(new byte[] {0x00}); // half a length: a trickle that never becomes a frame
            assertThat(silent.closedByEngine(10_000)).isTrue();
        }
        waitFor(() -> engine.counters().drops(DropReason.TCP_ICE_TIMEOUT) == 1);
        waitFor(() -> engine.counters().tcpConnections() == 0);
    }

    /**
     * Not an assertion (allocation is measured properly in perf): bytes the media loop allocates per packet sent to a
     * TCP and to a UDP peer, 1,000 packets each, in one loop task (writes and the flush), printed for the report.
     */
    private void printSendPathAllocation(WebRtcTransport overTcp, WebRtcTransport overUdp, TcpPeerSocket tcp,
                                         DatagramSocket udp) throws Exception {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        int n = 1000;
        double[] perPacket = new double[2];
        // The paranoid leak detector records a stack trace per buffer: off for the measured sends only (every buffer
        // they allocate is released on the loop before the task ends; the exact-pool tests check that path).
        io.netty.util.ResourceLeakDetector.Level level = io.netty.util.ResourceLeakDetector.getLevel();
        io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        try {
            measure(overTcp, overUdp, tcp, udp, mx, n, perPacket);
        } finally {
            io.netty.util.ResourceLeakDetector.setLevel(level);
        }
        System.out.printf("ICE-TCP send path: %.1f B allocated per packet over TCP, %.1f B over UDP "
                + "(media loop, batches of 10)%n", perPacket[0], perPacket[1]);
    }

    private void measure(WebRtcTransport overTcp, WebRtcTransport overUdp, TcpPeerSocket tcp, DatagramSocket udp,
                         ThreadMXBean mx, int n, double[] perPacket) throws Exception {
        for (int round = 0; round < 5; round++) { // the first rounds warm up pools and caches
            int k = 0;
            int firstSeq = 1000 + round * n; // SRTP never protects one sequence number twice
            for (WebRtcTransport t : new WebRtcTransport[] {overTcp, overUdp}) {
                perPacket[k++] = engine.eventLoop().submit(() -> {
                    long tid = Thread.currentThread().getId();
                    long before = mx.getThreadAllocatedBytes(tid);
                    for (int i = 0; i < n; i++) {
                        ByteBuf p = engine.allocator().heapBuffer(200 + SrtpSession.MAX_TRAILER);
                        rtpInto(p, firstSeq + i);
                        t.sendRtp(p);
                        if (i % 10 == 9) {
                            engine.flushPendingWrites(); // a read batch of 10
                        }
                    }
                    engine.flushPendingWrites();
                    return (mx.getThreadAllocatedBytes(tid) - before) / (double) n;
                }).get(10, TimeUnit.SECONDS);
            }
            drain(tcp, udp, n);
        }
    }

    private static void drain(TcpPeerSocket tcp, DatagramSocket udp, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            assertThat(tcp.receiveFrame(10_000)).isNotNull();
        }
        // Loopback UDP may drop part of a burst this size; read until it stops.
        udp.setSoTimeout(300);
        try {
            for (int i = 0; i < n; i++) {
                udp.receive(new DatagramPacket(new byte[2048], 2048));
            }
        } catch (java.net.SocketTimeoutException enough) {
            // the rest was dropped by the kernel
        } finally {
            udp.setSoTimeout(10_000);
        }
    }

    /** Passes decrypted RTP from one transport to the other, as a router would (a copy with SRTP tail room). */
    private final class Relay implements TransportListener {
        volatile WebRtcTransport a;
        volatile WebRtcTransport b;
        final CompletableFuture<Integer> connected = new CompletableFuture<>();
        private int count;

        @Override
        public void onConnected(WebRtcTransport t) {
            if (++count == 2) {
                connected.complete(count);
            }
        }

        @Override
        public void onRtp(WebRtcTransport from, RtpPacket packet) {
            ByteBuf in = packet.buffer();
            ByteBuf copy = engine.allocator().heapBuffer(in.readableBytes() + SrtpSession.MAX_TRAILER);
            copy.writeBytes(in, in.readerIndex(), in.readableBytes());
            (from == a ? b : a).sendRtp(copy);
        }
    }

    private WebRtcTransport transport(String id, String browserUfrag, TransportListener listener) throws Exception {
        return onLoop(() -> {
            WebRtcTransport t = engine.createTransport(id, listener);
            t.setRemoteParameters(new IceParameters(browserUfrag, BROWSER_PWD), browserCert.fingerprint(),
                    DtlsRole.ACTIVE);
            return t;
        });
    }

    private CompletableFuture<FakePeer> dtls(org.bouncycastle.tls.DatagramTransport network, WebRtcTransport t) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                PlainBctlsPeers.Client client = new PlainBctlsPeers.Client(browserCert,
                        SrtpProfile.AEAD_AES_128_GCM.protectionProfileId());
                DTLSTransport connected = new DTLSClientProtocol().connect(client, network);
                assertThat(connected).isNotNull();
                return new FakePeer(new InetSocketAddress(0), new InetSocketAddress(0), client.keys);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }, browserThreads);
    }

    private static byte[] check(WebRtcTransport t, String browserUfrag) {
        ByteBuf check = StunMessageWriter.start(UnpooledByteBufAllocator.DEFAULT, StunMessage.BINDING_REQUEST,
                        new byte[StunMessage.TRANSACTION_ID_LENGTH])
                .username(t.localIceParameters().ufrag() + ":" + browserUfrag)
                .priority(1518280447L)
                .iceControlling(7)
                .useCandidate()
                .finish(StunIntegrity.forPassword(t.localIceParameters().pwd()), true);
        byte[] b = ByteBufUtil.getBytes(check);
        check.release();
        return b;
    }

    private static ByteBuf rtp(int seq) {
        return rtpInto(Unpooled.buffer(200), seq);
    }

    private static ByteBuf rtpInto(ByteBuf p, int seq) {
        p.writeByte(0x80).writeByte(96).writeShort(seq).writeInt(seq * 3000).writeInt(0x5eed0001);
        for (int i = 12; i < 172; i++) {
            p.writeByte(i);
        }
        return p;
    }

    private static byte[] receive(DatagramSocket udp) throws Exception {
        byte[] buf = new byte[2048];
        DatagramPacket d = new DatagramPacket(buf, buf.length);
        udp.receive(d);
        return Arrays.copyOf(buf, d.getLength());
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
        return engine.eventLoop().submit(task).get(10, TimeUnit.SECONDS);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
    }
}
