package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.IceParameters;
import dev.prism.rtp.dtls.DtlsCertificate;
import dev.prism.rtp.dtls.DtlsSession;
import dev.prism.rtp.dtls.PlainBctlsPeers;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.srtp.SrtpProfile;
import dev.prism.srtp.SrtpSession;
import dev.prism.srtp.SrtpStatus;
import dev.prism.rtp.stun.StunIntegrity;
import dev.prism.rtp.stun.StunMessage;
import dev.prism.rtp.stun.StunMessageWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
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
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.UDPTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DTLS through a real transport over UDP on loopback, against a "browser" built from a plain socket and plain bctls
 * ({@link PlainBctlsPeers}): Prism in the client role when the browser's SDP said {@code a=setup:passive}, with SRTP
 * both ways; and a handshake that stalls after the ClientHello, failed at the deadline and counted.
 */
class WebRtcTransportDtlsTest {
    private static final String BROWSER_UFRAG = "brws";
    private static final String BROWSER_PWD = "browserPassword012345678";

    private final DtlsCertificate browserCert = DtlsCertificate.generate();
    private final ExecutorService browserThread = Executors.newSingleThreadExecutor();
    private final CompletableFuture<WebRtcTransport> connected = new CompletableFuture<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final CompletableFuture<byte[]> firstRtp = new CompletableFuture<>();
    private MediaEngine engine;
    private DatagramSocket browser;

    @BeforeEach
    void start() throws Exception {
        engine = MediaEngine.start(
            new MediaEngineConfig("127.0.0.1", 0, "127.0.0.1", Duration.ofSeconds(30), MonoClock.SYSTEM));
        browser = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        browser.setSoTimeout(10_000);
    }

    @AfterEach
    void stop() {
        browser.close();
        browserThread.shutdownNow();
        engine.close();
    }

    @Test
    void passiveBrowserMakesPrismTheDtlsClientAndSrtpFlowsBothWays() throws Exception {
        WebRtcTransport transport = transport(browserCert.fingerprint(), DtlsRole.PASSIVE);
        iceCheck(transport);
        PlainBctlsPeers.Server dtlsServer = new PlainBctlsPeers.Server(browserCert,
            SrtpProfile.AEAD_AES_128_GCM.protectionProfileId(), SrtpProfile.AES_CM_128_HMAC_SHA1_80.protectionProfileId());
        browser.connect(new InetSocketAddress("127.0.0.1", engine.localPort()));
        CompletableFuture<DTLSTransport> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return new DTLSServerProtocol().accept(dtlsServer, new UDPTransport(browser, 1500));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }, browserThread);

        assertThat(connected.get(10, TimeUnit.SECONDS)).isSameAs(transport);
        DTLSTransport browserDtls = accepted.get(10, TimeUnit.SECONDS);
        assertThat(engine.eventLoop().submit(() -> transport.state()).get()).isEqualTo(WebRtcTransport.State.CONNECTED);
        assertThat(dtlsServer.clientCertificate.getCertificateAt(0).getEncoded())
            .as("Prism presented its own certificate").isEqualTo(engine.certificate().encoded());

        // The browser is the DTLS server: it writes with the server keys and reads with the client keys (Prism's).
        SrtpSession browserSrtp = SrtpSession.create(SrtpProfile.AEAD_AES_128_GCM, dtlsServer.keys, true);
        try {
            ByteBuf up = rtp(Unpooled.buffer(200), 7);
            assertThat(browserSrtp.protectRtp(up)).isEqualTo(SrtpStatus.OK);
            sendRaw(up);
            byte[] got = firstRtp.get(10, TimeUnit.SECONDS);
            assertThat(got).isEqualTo(bytes(rtp(Unpooled.buffer(200), 7)));

            engine.eventLoop().submit(() -> transport.sendRtcp(rtp(engine.allocator().heapBuffer(200), 9))).get();
            ByteBuf down = receiveRaw();
            assertThat(browserSrtp.unprotectRtcp(down)).as("Prism's SRTCP decrypts with the client keys")
                .isEqualTo(SrtpStatus.OK);
            down.release();
            engine.eventLoop().submit(() -> transport.sendRtp(rtp(engine.allocator().heapBuffer(200), 8))).get();
            engine.eventLoop().submit(() -> transport.sendRtcp(rtp(engine.allocator().heapBuffer(200), 10))).get();
            ByteBuf media = receiveRaw();
            assertThat(browserSrtp.unprotectRtp(media)).isEqualTo(SrtpStatus.OK);
            assertThat(bytes(media)).isEqualTo(bytes(rtp(Unpooled.buffer(200), 8)));
        } finally {
            browserSrtp.close();
            browserDtls.close();
        }
    }

    @Test
    void prismAsClientRefusesAServerCertificateThatDoesNotMatchTheSdp() throws Exception {
        DtlsFingerprint someoneElse = DtlsCertificate.generate().fingerprint();
        WebRtcTransport transport = transport(someoneElse, DtlsRole.PASSIVE);
        iceCheck(transport);
        browser.connect(new InetSocketAddress("127.0.0.1", engine.localPort()));
        browserThread.execute(() -> {
            try {
                new DTLSServerProtocol().accept(new PlainBctlsPeers.Server(browserCert,
                    SrtpProfile.AEAD_AES_128_GCM.protectionProfileId()), new UDPTransport(browser, 1500));
            } catch (java.io.IOException expected) {
                // Prism's bad_certificate alert
            }
        });
        assertThat(closed.get(10, TimeUnit.SECONDS))
            .isEqualTo("dtls failed: remote certificate fingerprint does not match SDP");
        assertThat(connected).isNotDone();
        assertThat(engine.counters().dtlsFailures()).isEqualTo(1);
    }

    @Test
    void aHandshakeStalledAfterTheClientHelloFailsAtTheDeadlineAndIsCounted() throws Exception {
        engine.setDtlsOptions(DtlsSession.Options.DEFAULT.withHandshakeTimeout(Duration.ofMillis(1500)));
        WebRtcTransport transport = transport(browserCert.fingerprint(), DtlsRole.ACTIVE);
        iceCheck(transport);
        sendRaw(Unpooled.wrappedBuffer(clientHello()));

        assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo("dtls failed: handshake timed out after 1500 ms");
        assertThat(engine.counters().drops(DropReason.DTLS_HANDSHAKE_TIMEOUT)).isEqualTo(1);
        assertThat(engine.counters().dtlsFailures()).isEqualTo(1);
        waitFor(() -> engine.handshakeExecutor().running() == 0);
    }

    /** Issue #10: STUN with valid credentials from 5,000 source ports grew the address table and wrote 4,999 lines. */
    @Test
    void checksFromHundredsOfPortsKeepTheAddressTableBounded() throws Exception {
        WebRtcTransport transport = transport(browserCert.fingerprint(), DtlsRole.ACTIVE);
        DatagramSocket original = browser;
        InetSocketAddress last = null;
        try {
            for (int i = 0; i < 300; i++) {
                try (DatagramSocket port = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                    port.setSoTimeout(10_000);
                    browser = port;
                    iceCheck(transport);
                    last = (InetSocketAddress) port.getLocalSocketAddress();
                }
            }
        } finally {
            browser = original;
        }
        InetSocketAddress latest = last;
        assertThat(engine.eventLoop().submit(transport::boundAddressCount).get())
                .isEqualTo(WebRtcTransport.MAX_ADDRESSES);
        assertThat(engine.eventLoop().submit(engine::routedAddressCount).get())
                .isEqualTo(WebRtcTransport.MAX_ADDRESSES);
        assertThat(transport.remoteAddress()).as("the newest nominated address carries media").isEqualTo(latest);
        // an address forgotten long ago checks again: answered and routed, the table still bounded
        iceCheck(transport);
        assertThat(engine.eventLoop().submit(engine::routedAddressCount).get())
                .isEqualTo(WebRtcTransport.MAX_ADDRESSES);
    }

    private WebRtcTransport transport(DtlsFingerprint fingerprint, DtlsRole browserSetup) throws Exception {
        TransportListener listener = new TransportListener() {
            @Override
            public void onConnected(WebRtcTransport t) {
                connected.complete(t);
            }

            @Override
            public void onRtp(WebRtcTransport t, RtpPacket packet) {
                firstRtp.complete(io.netty.buffer.ByteBufUtil.getBytes(packet.buffer()));
            }

            @Override
            public void onClosed(WebRtcTransport t, String reason) {
                closed.complete(reason);
            }
        };
        return engine.eventLoop().submit(() -> {
            WebRtcTransport t = engine.createTransport("dtls-test", listener);
            t.setRemoteParameters(new IceParameters(BROWSER_UFRAG, BROWSER_PWD), fingerprint, browserSetup);
            return t;
        }).get();
    }

    /** One nominating binding request, and its answer read off the socket. */
    private void iceCheck(WebRtcTransport transport) throws Exception {
        ByteBuf check = StunMessageWriter.start(UnpooledByteBufAllocator.DEFAULT, StunMessage.BINDING_REQUEST,
                new byte[StunMessage.TRANSACTION_ID_LENGTH])
            .username(transport.localIceParameters().ufrag() + ":" + BROWSER_UFRAG)
            .priority(1853824767L)
            .iceControlling(7)
            .useCandidate()
            .finish(StunIntegrity.forPassword(transport.localIceParameters().pwd()), true);
        sendRaw(check);
        ByteBuf answer = receiveRaw();
        assertThat(answer.getByte(0)).as("STUN first").isEqualTo((byte) 1);
        answer.release();
    }

    /** The first flight of a plain bctls client. */
    private byte[] clientHello() throws Exception {
        CompletableFuture<byte[]> first = new CompletableFuture<>();
        PlainBctlsPeers.MemoryTransport[] t = new PlainBctlsPeers.MemoryTransport[1];
        t[0] = new PlainBctlsPeers.MemoryTransport(d -> {
            first.complete(d);
            t[0].close();
        });
        browserThread.execute(() -> {
            try {
                new DTLSClientProtocol().connect(new PlainBctlsPeers.Client(browserCert,
                    SrtpProfile.AEAD_AES_128_GCM.protectionProfileId()), t[0]);
            } catch (java.io.IOException expected) {
                // closed after its first flight
            }
        });
        return first.get(10, TimeUnit.SECONDS);
    }

    private static ByteBuf rtp(ByteBuf p, int seq) {
        p.writeByte(0x80).writeByte(96).writeShort(seq).writeInt(seq * 3000).writeInt(0x5eed0001);
        for (int i = 12; i < 172; i++) {
            p.writeByte(i);
        }
        return p;
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        b.release();
        return out;
    }

    private void sendRaw(ByteBuf packet) throws Exception {
        byte[] b = new byte[packet.readableBytes()];
        packet.readBytes(b);
        packet.release();
        browser.send(new DatagramPacket(b, b.length, new InetSocketAddress("127.0.0.1", engine.localPort())));
    }

    private ByteBuf receiveRaw() throws Exception {
        byte[] buf = new byte[2048];
        DatagramPacket d = new DatagramPacket(buf, buf.length);
        browser.receive(d);
        return Unpooled.wrappedBuffer(Arrays.copyOf(buf, d.getLength()));
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
