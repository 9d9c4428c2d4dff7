package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.prism.srtp.SrtpProfile;
import dev.prism.srtp.SrtpSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
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
 * IPv6 dual stack through a real engine on loopback: with an IPv6 address advertised too, the engine offers one UDP
 * host candidate per family, an IPv6 browser (::1) and an IPv4 browser (127.0.0.1) each pass ICE and DTLS on their
 * family's socket, and media goes from one to the other both ways, each answered from the address it sent to.
 */
class DualStackTransportTest {
    private static final String BROWSER_PWD = "browserPassword012345678";

    private final DtlsCertificate browserCert = DtlsCertificate.generate();
    private final ExecutorService browserThreads = Executors.newFixedThreadPool(2);
    private MediaEngine engine;

    @BeforeEach
    void start() {
        engine = MediaEngine.start(new MediaEngineConfig("0.0.0.0", 0, "127.0.0.1", Duration.ofSeconds(30),
                MonoClock.SYSTEM).withIpv6("::1"));
    }

    @AfterEach
    void stop() {
        browserThreads.shutdownNow();
        engine.close();
    }

    @Test
    void oneUdpHostCandidatePerFamily() {
        assertThat(engine.localPort6()).isPositive();
        assertThat(engine.localCandidates()).containsExactly(
                new IceCandidate("1", 1, "udp", 2130706431L, "127.0.0.1", engine.localPort(), "host"),
                new IceCandidate("3", 1, "udp", 2130706175L, "::1", engine.localPort6(), "host"));
        assertThat(engine.localCandidates().get(1).toSdpValue())
                .isEqualTo("3 1 udp 2130706175 ::1 " + engine.localPort6() + " typ host");
    }

    @Test
    void mediaIsForwardedBetweenAnIpv6AndAnIpv4BrowserBothWays() throws Exception {
        Relay relay = new Relay();
        WebRtcTransport over6 = transport("v6", "bv6", relay);
        WebRtcTransport over4 = transport("v4", "bv4", relay);
        relay.a = over6;
        relay.b = over4;
        InetSocketAddress server6 = new InetSocketAddress("::1", engine.localPort6());
        InetSocketAddress server4 = new InetSocketAddress("127.0.0.1", engine.localPort());

        try (DatagramSocket udp6 = new DatagramSocket(new InetSocketAddress("::1", 0));
             DatagramSocket udp4 = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            for (DatagramSocket s : new DatagramSocket[] {udp6, udp4}) {
                s.setSoTimeout(10_000);
            }
            // Not connected: the answer's source is checked, not filtered by the kernel.
            assertThat(checkAnswerSource(udp6, over6, "bv6", server6)).isEqualTo(server6);
            assertThat(checkAnswerSource(udp4, over4, "bv4", server4)).isEqualTo(server4);
            assertThat(onLoop(over6::remoteAddress)).isEqualTo(udp6.getLocalSocketAddress());
            assertThat(onLoop(over4::remoteAddress)).isEqualTo(udp4.getLocalSocketAddress());
            udp6.connect(server6);
            udp4.connect(server4);

            CompletableFuture<FakePeer> peer6 = dtls(new UDPTransport(udp6, 1500));
            CompletableFuture<FakePeer> peer4 = dtls(new UDPTransport(udp4, 1500));
            FakePeer browser6 = peer6.get(15, TimeUnit.SECONDS);
            FakePeer browser4 = peer4.get(15, TimeUnit.SECONDS);
            assertThat(relay.connected.get(15, TimeUnit.SECONDS)).isEqualTo(2);

            // IPv6 -> engine -> IPv4, then back
            assertForwarded(browser6, udp6, browser4, udp4, 7);
            assertForwarded(browser4, udp4, browser6, udp6, 8);
            browser6.close();
            browser4.close();
        }
    }

    private static void assertForwarded(FakePeer fromPeer, DatagramSocket from, FakePeer toPeer, DatagramSocket to,
                                        int seq) throws Exception {
        ByteBuf plain = rtp(seq);
        byte[] wire = fromPeer.protect(plain);
        from.send(new DatagramPacket(wire, wire.length));
        ByteBuf decrypted = toPeer.unprotect(receive(to));
        assertThat(ByteBufUtil.getBytes(decrypted)).isEqualTo(ByteBufUtil.getBytes(plain));
        decrypted.release();
        plain.release();
    }

    private InetSocketAddress checkAnswerSource(DatagramSocket browser, WebRtcTransport t, String browserUfrag,
                                                InetSocketAddress server) throws Exception {
        byte[] check = check(t, browserUfrag);
        browser.send(new DatagramPacket(check, check.length, server));
        DatagramPacket answer = new DatagramPacket(new byte[2048], 2048);
        browser.receive(answer);
        assertThat(StunMessage.parse(Unpooled.wrappedBuffer(answer.getData(), 0, answer.getLength())).messageClass())
                .isEqualTo(StunMessage.CLASS_SUCCESS_RESPONSE);
        return (InetSocketAddress) answer.getSocketAddress();
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

    private CompletableFuture<FakePeer> dtls(org.bouncycastle.tls.DatagramTransport network) {
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
        ByteBuf p = Unpooled.buffer(200);
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

    private <T> T onLoop(Callable<T> task) throws Exception {
        return engine.eventLoop().submit(task).get(10, TimeUnit.SECONDS);
    }
}
