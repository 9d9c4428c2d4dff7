package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.rtp.IceCandidate;
import dev.prism.rtp.testkit.FakePeer;
import dev.prism.rtp.testkit.SocketBrowsers;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.bouncycastle.tls.UDPTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * IPv6 dual stack through a real engine on loopback: with an IPv6 address advertised too, the engine offers one UDP
 * host candidate per family, an IPv6 browser (::1) and an IPv4 browser (127.0.0.1) each pass ICE and DTLS on their
 * family's socket, and media goes from one to the other both ways, each answered from the address it sent to.
 */
class DualStackTransportTest {
    private MediaEngine engine;
    private SocketBrowsers browsers;

    @BeforeEach
    void start() {
        engine = MediaEngine.start(new MediaEngineConfig("0.0.0.0", 0, "127.0.0.1", Duration.ofSeconds(30),
                MonoClock.SYSTEM).withIpv6("::1"));
        browsers = new SocketBrowsers(engine);
    }

    @AfterEach
    void stop() {
        browsers.close();
        engine.close();
    }

    @Test
    void oneUdpHostCandidatePerFamily() {
        assertThat(engine.localPort6()).isPositive();
        assertThat(engine.localTcpPort6()).isEqualTo(-1);
        assertThat(engine.localCandidates()).containsExactly(
                new IceCandidate("1", 1, "udp", 2130706431L, "127.0.0.1", engine.localPort(), "host"),
                new IceCandidate("3", 1, "udp", 2130706175L, "::1", engine.localPort6(), "host"));
        assertThat(engine.localCandidates().get(1).toSdpValue())
                .isEqualTo("3 1 udp 2130706175 ::1 " + engine.localPort6() + " typ host");
    }

    @Test
    void mediaIsForwardedBetweenAnIpv6AndAnIpv4BrowserBothWays() throws Exception {
        SocketBrowsers.Relay relay = browsers.relay();
        WebRtcTransport over6 = browsers.transport("v6", "bv6", relay);
        WebRtcTransport over4 = browsers.transport("v4", "bv4", relay);
        relay.between(over6, over4);
        InetSocketAddress server6 = new InetSocketAddress("::1", engine.localPort6());
        InetSocketAddress server4 = new InetSocketAddress("127.0.0.1", engine.localPort());

        try (DatagramSocket udp6 = new DatagramSocket(new InetSocketAddress("::1", 0));
             DatagramSocket udp4 = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            // Not connected: the answer's source is checked, not filtered by the kernel.
            assertThat(SocketBrowsers.checkOverUdp(udp6, over6, "bv6", server6)).isEqualTo(server6);
            assertThat(SocketBrowsers.checkOverUdp(udp4, over4, "bv4", server4)).isEqualTo(server4);
            assertThat(browsers.onLoop(over6::remoteAddress)).isEqualTo(udp6.getLocalSocketAddress());
            assertThat(browsers.onLoop(over4::remoteAddress)).isEqualTo(udp4.getLocalSocketAddress());
            udp6.connect(server6);
            udp4.connect(server4);
            UDPTransport link6 = new UDPTransport(udp6, 1500);
            UDPTransport link4 = new UDPTransport(udp4, 1500);

            var peer6 = browsers.dtls(link6);
            var peer4 = browsers.dtls(link4);
            try (FakePeer browser6 = SocketBrowsers.await(peer6);
                 FakePeer browser4 = SocketBrowsers.await(peer4)) {
                assertThat(SocketBrowsers.await(relay.bothConnected())).isEqualTo(2);

                // IPv6 -> engine -> IPv4, then back
                SocketBrowsers.forward(browser6, link6, browser4, link4, 7);
                SocketBrowsers.forward(browser4, link4, browser6, link6, 8);
            }
        }
    }
}
