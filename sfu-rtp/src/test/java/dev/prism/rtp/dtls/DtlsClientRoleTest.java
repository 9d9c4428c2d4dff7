package dev.prism.rtp.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.MonoClock;
import dev.prism.srtp.SrtpProfile;
import dev.prism.srtp.SrtpSession;
import dev.prism.srtp.SrtpStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Prism as the DTLS client (the browser answered {@code a=setup:passive}) against a plain bctls server
 * ({@link PlainBctlsPeers.Server}): the server's certificate is checked against the SDP fingerprint, and the SRTP keys
 * each side exported independently carry media both ways, Prism writing with the client keys.
 */
class DtlsClientRoleTest {
    private static DtlsCertificate prismCert;
    private static DtlsCertificate browserCert;

    private final DtlsHandshakePool pool = new DtlsHandshakePool(4);
    private final ExecutorService prismLoop = Executors.newSingleThreadExecutor();
    private final ExecutorService browserThread = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void certificates() {
        prismCert = DtlsCertificate.generate();
        browserCert = DtlsCertificate.generate();
        SrtpSession.prepareBackend();
    }

    @AfterEach
    void stop() {
        pool.close();
        prismLoop.shutdownNow();
        browserThread.shutdownNow();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void prismAsClientHandshakesWithAPlainBctlsServerAndSrtpFlowsBothWays(SrtpProfile profile) throws Exception {
        PlainBctlsPeers.Server browser = new PlainBctlsPeers.Server(browserCert, profile.protectionProfileId());
        DtlsTestPair.Events prismEvents = new DtlsTestPair.Events();
        Wire wire = new Wire();
        DtlsSession prism = new DtlsSession(prismCert, false, wire::toBrowser, pool, prismEvents);
        wire.prism = prism;
        prism.setExpectedRemoteFingerprint(browserCert.fingerprint());
        CompletableFuture<DTLSTransport> accepted = CompletableFuture.supplyAsync(() -> accept(browser, wire.browser),
            browserThread);
        prism.start();

        DtlsTestPair.Events.Completed done = prismEvents.awaitCompleted();
        DTLSTransport browserDtls = accepted.get(10, TimeUnit.SECONDS);
        assertThat(prism.isServerRole()).isFalse();
        assertThat(done.profile()).isEqualTo(profile);
        assertThat(browser.clientCertificate.getCertificateAt(0).getEncoded()).isEqualTo(prismCert.encoded());
        assertThat(done.keys().clientMasterKey()).isEqualTo(browser.keys.clientMasterKey());
        assertThat(done.keys().serverMasterKey()).isEqualTo(browser.keys.serverMasterKey());

        SrtpSession prismSrtp = SrtpSession.create(profile, done.keys(), false);
        SrtpSession browserSrtp = SrtpSession.create(profile, browser.keys, true);
        try {
            roundTrip(prismSrtp, browserSrtp, 1);
            roundTrip(browserSrtp, prismSrtp, 2);
            // The client's write key is Prism's: what Prism sends is what the browser would read as the client's.
            assertThat(done.keys().localMasterKey(false)).isEqualTo(browser.keys.clientMasterKey());
        } finally {
            prismSrtp.close();
            browserSrtp.close();
            browserDtls.close();
            prism.close();
        }
    }

    @Test
    void prismAsClientRejectsAServerCertificateThatDoesNotMatchTheSdp() throws Exception {
        PlainBctlsPeers.Server browser = new PlainBctlsPeers.Server(browserCert,
            SrtpProfile.AEAD_AES_128_GCM.protectionProfileId());
        DtlsTestPair.Events prismEvents = new DtlsTestPair.Events();
        Wire wire = new Wire();
        DtlsSession prism = new DtlsSession(prismCert, false, wire::toBrowser, pool, prismEvents);
        wire.prism = prism;
        prism.setExpectedRemoteFingerprint(DtlsCertificate.generate().fingerprint());
        browserThread.execute(() -> {
            try {
                accept(browser, wire.browser);
            } catch (IllegalStateException expected) {
                // Prism's bad_certificate alert
            }
        });
        prism.start();

        assertThat(prismEvents.awaitFailed().reason()).isEqualTo(RemoteCertificateCheck.MISMATCH);
        prism.close();
    }

    private static DTLSTransport accept(PlainBctlsPeers.Server server, PlainBctlsPeers.MemoryTransport transport) {
        try {
            return new DTLSServerProtocol().accept(server, transport);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The in-memory wire: Prism's datagrams to the browser's queue; the browser's to Prism's "event loop". */
    private final class Wire {
        volatile DtlsSession prism;
        final PlainBctlsPeers.MemoryTransport browser = new PlainBctlsPeers.MemoryTransport(d -> prismLoop.execute(() -> {
            ByteBuf buf = Unpooled.wrappedBuffer(d);
            try {
                prism.onDatagram(buf);
            } finally {
                buf.release();
            }
        }));

        void toBrowser(byte[] data, int offset, int length) {
            browser.deliver(java.util.Arrays.copyOfRange(data, offset, offset + length));
        }
    }

    private static void roundTrip(SrtpSession from, SrtpSession to, int seq) {
        byte[] rtp = new byte[12 + 100];
        rtp[0] = (byte) 0x80;
        rtp[1] = 96;
        rtp[3] = (byte) seq;
        rtp[11] = 5;
        for (int i = 12; i < rtp.length; i++) {
            rtp[i] = (byte) (i * seq);
        }
        ByteBuf buf = Unpooled.buffer(rtp.length + SrtpSession.MAX_TRAILER).writeBytes(rtp);
        try {
            assertThat(from.protectRtp(buf)).isEqualTo(SrtpStatus.OK);
            assertThat(to.unprotectRtp(buf)).isEqualTo(SrtpStatus.OK);
            byte[] out = new byte[buf.readableBytes()];
            buf.readBytes(out);
            assertThat(out).isEqualTo(rtp);
        } finally {
            buf.release();
        }
    }
}
