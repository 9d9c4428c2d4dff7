package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.prism.core.clock.MonoClock;
import dev.prism.core.rtp.IceCandidate;
import dev.prism.rtp.testkit.FakePeer;
import dev.prism.rtp.testkit.SocketBrowsers;
import dev.prism.rtp.testkit.TcpPeerSocket;
import dev.prism.srtp.SrtpSession;
import io.netty.buffer.ByteBuf;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
    private MediaEngine engine;
    private SocketBrowsers browsers;

    @BeforeEach
    void start() {
        engine = MediaEngine.start(new MediaEngineConfig("127.0.0.1", 0, "127.0.0.1", Duration.ofSeconds(30),
                MonoClock.SYSTEM).withIceTcp(IceTcpConfig.SAME_PORT.withLimits(new TcpLimits(2048,
                Duration.ofSeconds(1), 32, 1024, 8192, 4, 1024 * 1024))));
        browsers = new SocketBrowsers(engine);
    }

    @AfterEach
    void stop() {
        browsers.close();
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
        SocketBrowsers.Relay relay = browsers.relay();
        WebRtcTransport overTcp = browsers.transport("tcp-pub", "btcp", relay);
        WebRtcTransport overUdp = browsers.transport("udp-sub", "budp", relay);
        relay.between(overTcp, overUdp);
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", engine.localPort());

        try (TcpPeerSocket tcp = new TcpPeerSocket(new InetSocketAddress("127.0.0.1", engine.localTcpPort()));
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            udp.setReceiveBufferSize(4 << 20);

            // ICE: a binding request with the transport's ufrag, framed; the answer comes back framed.
            SocketBrowsers.checkOverTcp(tcp, overTcp, "btcp");
            assertThat(browsers.onLoop(overTcp::protocol)).isEqualTo("tcp");
            assertThat(browsers.onLoop(overTcp::remoteAddress)).isEqualTo(tcp.localAddress());
            SocketBrowsers.checkOverUdp(udp, overUdp, "budp", server);
            udp.connect(server);
            assertThat(browsers.onLoop(overUdp::protocol)).isEqualTo("udp");
            assertThat(engine.counters().transportsOnTcp()).isEqualTo(1);

            // DTLS over both: the browsers are the clients (a=setup:active).
            UDPTransport udpLink = new UDPTransport(udp, 1500);
            var tcpPeer = browsers.dtls(tcp);
            var udpPeer = browsers.dtls(udpLink);
            try (FakePeer tcpBrowser = SocketBrowsers.await(tcpPeer);
                 FakePeer udpBrowser = SocketBrowsers.await(udpPeer)) {
                assertThat(SocketBrowsers.await(relay.bothConnected())).isEqualTo(2);

                // TCP -> engine -> UDP, then back
                SocketBrowsers.forward(tcpBrowser, tcp, udpBrowser, udpLink, 7);
                SocketBrowsers.forward(udpBrowser, udpLink, tcpBrowser, tcp, 8);

                printSendPathAllocation(overTcp, overUdp, tcp, udp);
            }
        }
        // The browser closed its socket: the transport has no path until another check, and the gauge follows.
        SocketBrowsers.waitFor("no TCP connection left", () -> engine.counters().tcpConnections() == 0);
        assertThat(browsers.onLoop(overTcp::protocol)).isEqualTo("udp");
        assertThat(engine.counters().transportsOnTcp()).isZero();
    }

    @Test
    void aConnectionThatNeverPassesIceIsClosedAtTheDeadline() throws Exception {
        try (TcpPeerSocket silent = new TcpPeerSocket(new InetSocketAddress("127.0.0.1", engine.localTcpPort()))) {
            silent.sendRaw(new byte[] {0x00}); // half a length: a trickle that never becomes a frame
            assertThat(silent.closedByEngine(10_000)).isTrue();
        }
        SocketBrowsers.waitFor("one ICE timeout",
                () -> engine.counters().drops(DropReason.TCP_ICE_TIMEOUT) == 1);
        SocketBrowsers.waitFor("no TCP connection left", () -> engine.counters().tcpConnections() == 0);
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
                        SocketBrowsers.rtpInto(p, firstSeq + i);
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
}
