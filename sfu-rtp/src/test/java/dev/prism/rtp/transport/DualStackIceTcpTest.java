package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.rtp.IceCandidate;
import dev.prism.rtp.testkit.FakePeer;
import dev.prism.rtp.testkit.SocketBrowsers;
import dev.prism.rtp.testkit.TcpPeerSocket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.bouncycastle.tls.UDPTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ICE-TCP over IPv6 (issue #13 item 4) through a real engine on loopback: with ICE-TCP on and an IPv6 address
 * advertised, the engine listens on TCP on the IPv6 address too, on its port number, and offers a passive TCP candidate
 * per family. A browser on [::1] over TCP exchanges SRTP with an IPv4 UDP browser both ways; the IPv6 listener counts
 * against the engine's one set of limits.
 */
class DualStackIceTcpTest {
    private MediaEngine engine;
    private SocketBrowsers browsers;

    @BeforeEach
    void start() {
        // At most one checking connection per engine: enough for the forwarding test, and the limit test's bound.
        engine = MediaEngine.start(new MediaEngineConfig("0.0.0.0", 0, "127.0.0.1", Duration.ofSeconds(30),
                MonoClock.SYSTEM).withIpv6("::1").withIceTcp(IceTcpConfig.SAME_PORT.withLimits(new TcpLimits(2048,
                Duration.ofSeconds(5), 32, 1, 8192, 4, 1024 * 1024))));
        browsers = new SocketBrowsers(engine);
    }

    @AfterEach
    void stop() {
        browsers.close();
        engine.close();
    }

    @Test
    void oneUdpAndOneTcpHostCandidatePerFamilyOnTheEnginesPortNumber() {
        int port = engine.localPort();
        assertThat(engine.localTcpPort6()).isPositive();
        assertThat(engine.localCandidates()).containsExactly(
                new IceCandidate("1", 1, "udp", 2130706431L, "127.0.0.1", port, "host"),
                new IceCandidate("2", 1, "tcp", 1520435199L, "127.0.0.1", engine.localTcpPort(), "host", "passive"),
                new IceCandidate("3", 1, "udp", 2130706175L, "::1", engine.localPort6(), "host"),
                new IceCandidate("4", 1, "tcp", 1520434943L, "::1", engine.localTcpPort6(), "host", "passive"));
        assertThat(engine.localCandidates().get(3).toSdpValue())
                .isEqualTo("4 1 tcp 1520434943 ::1 " + engine.localTcpPort6() + " typ host tcptype passive");
        // The IPv6 listener takes the IPv4 one's port number (only a listener of another process on [::1] or [::] at
        // that number, which then could not be dual-stack, would move it to any free one).
        assertThat(engine.localTcpPort6()).isEqualTo(engine.localTcpPort());
    }

    @Test
    void anIpv6BrowserOverTcpAndAnIpv4BrowserOverUdpExchangeMediaBothWays() throws Exception {
        SocketBrowsers.Relay relay = browsers.relay();
        WebRtcTransport overTcp6 = browsers.transport("tcp6", "btcp6", relay);
        WebRtcTransport overUdp4 = browsers.transport("udp4", "budp4", relay);
        relay.between(overTcp6, overUdp4);
        InetSocketAddress server4 = new InetSocketAddress("127.0.0.1", engine.localPort());

        try (TcpPeerSocket tcp6 = new TcpPeerSocket(new InetSocketAddress("::1", engine.localTcpPort6()));
             DatagramSocket udp4 = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            SocketBrowsers.checkOverTcp(tcp6, overTcp6, "btcp6");
            assertThat(browsers.onLoop(overTcp6::protocol)).isEqualTo("tcp");
            assertThat(browsers.onLoop(overTcp6::remoteAddress)).isEqualTo(tcp6.localAddress());
            assertThat(tcp6.localAddress().getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
            assertThat(SocketBrowsers.checkOverUdp(udp4, overUdp4, "budp4", server4)).isEqualTo(server4);
            udp4.connect(server4);
            assertThat(engine.counters().transportsOnTcp()).isEqualTo(1);

            UDPTransport link4 = new UDPTransport(udp4, 1500);
            var peer6 = browsers.dtls(tcp6);
            var peer4 = browsers.dtls(link4);
            try (FakePeer browser6 = SocketBrowsers.await(peer6);
                 FakePeer browser4 = SocketBrowsers.await(peer4)) {
                assertThat(SocketBrowsers.await(relay.bothConnected())).isEqualTo(2);

                SocketBrowsers.forward(browser6, tcp6, browser4, link4, 7);
                SocketBrowsers.forward(browser4, link4, browser6, tcp6, 8);
            }
        }
        SocketBrowsers.waitFor("no TCP connection left", () -> engine.counters().tcpConnections() == 0);
        assertThat(engine.counters().transportsOnTcp()).isZero();
    }

    @Test
    void theIpv6ListenerCountsAgainstTheEnginesLimits() throws Exception {
        // One checking connection over IPv4 takes the engine's only place: an IPv6 one is refused at accept.
        try (TcpPeerSocket first = new TcpPeerSocket(new InetSocketAddress("127.0.0.1", engine.localTcpPort()))) {
            SocketBrowsers.waitFor("the IPv4 connection accepted", () -> engine.counters().tcpAccepted() == 1);
            try (TcpPeerSocket second = new TcpPeerSocket(new InetSocketAddress("::1", engine.localTcpPort6()))) {
                assertThat(second.closedByEngine(10_000)).isTrue();
            }
            assertThat(engine.counters().drops(DropReason.TCP_CONNECTION_LIMIT)).isEqualTo(1);
            assertThat(engine.counters().tcpConnections()).isEqualTo(1);
        }
    }
}
