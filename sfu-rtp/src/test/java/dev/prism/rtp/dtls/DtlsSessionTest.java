package dev.prism.rtp.dtls;

import static dev.prism.rtp.dtls.DtlsTestPair.awaitTrue;
import static dev.prism.rtp.dtls.DtlsTestPair.contentType;
import static dev.prism.rtp.dtls.DtlsTestPair.epoch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.rtp.dtls.DtlsTestPair.Events.Completed;
import dev.prism.rtp.dtls.DtlsTestPair.Events.Failed;
import dev.prism.srtp.SrtpKeyingMaterial;
import dev.prism.srtp.SrtpProfile;
import dev.prism.srtp.SrtpSession;
import dev.prism.srtp.SrtpStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DtlsSessionTest {
    private static final int CONTENT_CHANGE_CIPHER_SPEC = 20;
    private static final int CONTENT_HANDSHAKE = 22;

    private static DtlsCertificate serverCert;
    private static DtlsCertificate clientCert;

    @BeforeAll
    static void certificates() {
        serverCert = DtlsCertificate.generate();
        clientCert = DtlsCertificate.generate();
        SrtpSession.prepareBackend(); // as the launcher would, so the first test does not pay for it
    }

    @Test
    void handshakeNegotiatesGcmAndBothSidesExportTheSameKeys() throws Exception {
        try (DtlsTestPair pair = new DtlsTestPair(serverCert, clientCert).exchangeFingerprints().start()) {
            Completed server = pair.serverEvents.awaitCompleted();
            Completed client = pair.clientEvents.awaitCompleted();

            assertThat(server.profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
            assertThat(client.profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
            assertSameKeys(server.keys(), client.keys());
            assertThat(server.keys().clientMasterKey()).hasSize(16).isNotEqualTo(server.keys().serverMasterKey());
            assertThat(server.keys().clientMasterSalt()).hasSize(12);
            assertThat(pair.server.isHandshakeComplete()).isTrue();
            assertThat(pair.client.isHandshakeComplete()).isTrue();
            assertThat(pair.server.handshakeDurationNanos()).isPositive();
            awaitTrue("handshake threads to end", () -> pair.runningHandshakes.get() == 0);
        }
    }

    @Test
    void keysFromTheHandshakeCarrySrtpBothWays() throws Exception {
        try (DtlsTestPair pair = new DtlsTestPair(serverCert, clientCert).exchangeFingerprints().start()) {
            Completed server = pair.serverEvents.awaitCompleted();
            Completed client = pair.clientEvents.awaitCompleted();
            SrtpSession serverSrtp = SrtpSession.create(server.profile(), server.keys(), true);
            SrtpSession clientSrtp = SrtpSession.create(client.profile(), client.keys(), false);
            try {
                sendRtp(clientSrtp, serverSrtp, 1);
                sendRtp(serverSrtp, clientSrtp, 2);
            } finally {
                serverSrtp.close();
                clientSrtp.close();
            }
        }
    }

    @Test
    void clientOfferingOnlyAesCmGetsAesCm() throws Exception {
        DtlsSession.Options cmOnly = DtlsSession.Options.DEFAULT.withSrtpProfiles(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        try (DtlsTestPair pair = new DtlsTestPair(serverCert, clientCert, DtlsSession.Options.DEFAULT, cmOnly)
            .exchangeFingerprints().start()) {
            Completed server = pair.serverEvents.awaitCompleted();
            Completed client = pair.clientEvents.awaitCompleted();

            assertThat(server.profile()).isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
            assertThat(client.profile()).isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
            assertSameKeys(server.keys(), client.keys());
            assertThat(client.keys().serverMasterSalt()).hasSize(14);
        }
    }

    @Test
    void noCommonSrtpProfileFailsOnTheServerWithTheReason() throws Exception {
        DtlsSession.Options gcmOnly = DtlsSession.Options.DEFAULT.withSrtpProfiles(SrtpProfile.AEAD_AES_128_GCM);
        DtlsSession.Options cmOnly = DtlsSession.Options.DEFAULT.withSrtpProfiles(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        try (DtlsTestPair pair = new DtlsTestPair(serverCert, clientCert, gcmOnly, cmOnly)
            .exchangeFingerprints().start()) {
            assertThat(pair.serverEvents.awaitFailed().reason()).isEqualTo("no common SRTP protection profile");
            assertThat(pair.clientEvents.awaitFailed().reason()).startsWith("peer sent fatal alert: handshake_failure");
        }
    }

    @Test
    void serverLearnsTheFingerprintOnlyAfterTheClientHello() throws Exception {
        try (DtlsTestPair pair = new DtlsTestPair(serverCert, clientCert)) {
            pair.client.setExpectedRemoteFingerprint(serverCert.fingerprint());
            pair.server.start();
            pair.client.start();

            awaitTrue("server blocked on the missing fingerprint", pair.server::isWaitingForFingerprint);
            assertThat(pair.toServer.delivered.get()).isGreaterThanOrEqualTo(2); // ClientHello and its next flight
            assertThat(pair.serverEvents.completed).isNotDone();

            pair.server.setExpectedRemoteFingerprint(clientCert.fingerprint());
            assertSameKeys(pair.serverEvents.awaitCompleted().keys(), pair.clientEvents.awaitCompleted().keys());
        }
    }

    @Test
    void clientLearnsTheFingerprintOnlyAfterTheServerCertificate() throws Exception {
        try (DtlsTestPair pair = new DtlsTestPair(serverCert, clientCert)) {
            pair.server.setExpectedRemoteFingerprint(clientCert.fingerprint());
            pair.start();

            awaitTrue("client blocked on the missing fingerprint", pair.client::isWaitingForFingerprint);
            pair.client.setExpectedRemoteFingerprint(serverCert.fingerprint());

            assertSameKeys(pair.serverEvents.awaitCompleted().keys(), pair.clientEvents.awaitCompleted().keys());
        }
    }

    @Test
    void datagramsBeforeStartAreKeptForTheServer() throws Exception {
        try (DtlsTestPair pair = new DtlsTestPair(serverCert, clientCert).exchangeFingerprints()) {
            pair.client.start();
            awaitTrue("ClientHello delivered", () -> pair.toServer.delivered.get() >= 1);
            assertThat(pair.runningHandshakes.get()).as("only the client handshakes yet").isEqualTo(1);

            pair.server.start();
            assertSameKeys(pair.serverEvents.awaitCompleted().keys(), pair.clientEvents.awaitCompleted().keys());
        }
    }

    @Test
    void serverRejectsAClientCertificateThatDoesNotMatchTheSdp() throws Exception {
        try (DtlsTestPair pair = new DtlsTestPair(serverCert, clientCert)) {
            pair.server.setExpectedRemoteFingerprint(DtlsCertificate.generate().fingerprint());
            pair.client.setExpectedRemoteFingerprint(serverCert.fingerprint());
            pair.start();

            Failed server = pair.serverEvents.awaitFailed();
            assertThat(server.reason()).isEqualTo("remote certificate fingerprint does not match SDP");
            Failed client = pair.clientEvents.awaitFailed();
            assertThat(client.reason()).startsWith("peer sent fatal alert: bad_certificate");
            assertThat(pair.serverEvents.completed).isNotDone();
            assertThat(pair.clientEvents.completed).isNotDone();
        }
    }

    @Test
    void clientRejectsAServerCertificateThatDoesNotMatchTheSdp() throws Exception {
        try (DtlsTestPair pair = new DtlsTestPair(serverCert, clientCert)) {
            pair.server.setExpectedRemoteFingerprint(clientCert.fingerprint());
            pair.client.setExpectedRemoteFingerprint(
                new DtlsFingerprint("sha-256", clientCert.fingerprint().value())); // the wrong certificate's
            pair.start();

            assertThat(pair.clientEvents.awaitFailed().reason())
                .isEqualTo("remote certificate fingerprint does not match SDP");
            assertThat(pair.serverEvents.awaitFailed().reason()).startsWith("peer sent fatal alert: bad_certificate");
        }
    }

    @Test
    void sdpFingerprintWithAnotherHashAndLowerCaseHexIsAccepted() throws Exception {
        try (DtlsTestPair pair = new DtlsTestPair(serverCert, clientCert)) {
            DtlsFingerprint sha1 = DtlsCertificate.fingerprintOf(clientCert.encoded(), "sha-1");
            pair.server.setExpectedRemoteFingerprint(
                new DtlsFingerprint("SHA-1", sha1.value().toLowerCase(java.util.Locale.ROOT)));
            pair.client.setExpectedRemoteFingerprint(serverCert.fingerprint());
            pair.start();

            assertSameKeys(pair.serverEvents.awaitCompleted().keys(), pair.clientEvents.awaitCompleted().keys());
        }
    }

    @Test
    void sdpFingerprintWithAnUnknownHashFails() throws Exception {
        try (DtlsTestPair pair = new DtlsTestPair(serverCert, clientCert)) {
            pair.server.setExpectedRemoteFingerprint(new DtlsFingerprint("md5", "00:11"));
            pair.client.setExpectedRemoteFingerprint(serverCert.fingerprint());
            pair.start();

            assertThat(pair.serverEvents.awaitFailed().reason()).isEqualTo("unsupported fingerprint hash in SDP: md5");
        }
    }

    @Test
    void fingerprintThatNeverArrivesFailsAfterTheWait() throws Exception {
        DtlsSession.Options shortWait = DtlsSession.Options.DEFAULT.withFingerprintWait(Duration.ofMillis(200));
        try (DtlsTestPair pair = new DtlsTestPair(serverCert, clientCert, shortWait, DtlsSession.Options.DEFAULT)) {
            pair.client.setExpectedRemoteFingerprint(serverCert.fingerprint());
            pair.start();

            assertThat(pair.serverEvents.awaitFailed().reason()).startsWith("remote fingerprint not known 200 ms");
            assertThat(pair.clientEvents.awaitFailed().reason())
                .startsWith("peer sent fatal alert: certificate_unknown");
        }
    }

    @Test
    void lostClientHelloIsRetransmitted() throws Exception {
        try (DtlsTestPair pair = new DtlsTestPair(serverCert, clientCert).exchangeFingerprints()) {
            pair.toServer.dropFirst(1, d -> true);
            pair.start();

            assertSameKeys(pair.serverEvents.awaitCompleted().keys(), pair.clientEvents.awaitCompleted().keys());
            assertThat(pair.toServer.dropped.get()).isEqualTo(1);
        }
    }

    /**
     * The server's last flight (ChangeCipherSpec + Finished) is lost after the server already completed. The client
     * retransmits its flight; the server, now without a handshake thread, must answer from onDatagram.
     */
    @Test
    void lostFinalServerFlightIsResentAfterTheServerCompleted() throws Exception {
        try (DtlsTestPair pair = new DtlsTestPair(serverCert, clientCert).exchangeFingerprints()) {
            pair.toClient.dropFirst(2, d -> contentType(d) == CONTENT_CHANGE_CIPHER_SPEC
                || (contentType(d) == CONTENT_HANDSHAKE && epoch(d) == 1));
            pair.start();

            Completed server = pair.serverEvents.awaitCompleted();
            awaitTrue("server handshake thread gone", () -> pair.runningHandshakes.get() <= 1);
            Completed client = pair.clientEvents.awaitCompleted();
            assertSameKeys(server.keys(), client.keys());
            assertThat(pair.toClient.dropped.get()).isEqualTo(2);
        }
    }

    @Test
    void closeNotifyFromThePeerReportsClosedOnlyOnTheOtherSide() throws Exception {
        try (DtlsTestPair pair = new DtlsTestPair(serverCert, clientCert).exchangeFingerprints().start()) {
            pair.serverEvents.awaitCompleted();
            pair.clientEvents.awaitCompleted();

            pair.client.close();
            pair.client.close();

            assertThat(pair.serverEvents.awaitClosed()).isTrue();
            assertThat(pair.serverEvents.callbacks.get()).isEqualTo(2); // complete, closed
            assertThat(pair.clientEvents.callbacks.get()).isEqualTo(1); // complete only: we closed it ourselves
        }
    }

    @Test
    void closeDuringTheHandshakeStopsTheHandshakeThreadWithoutCallbacks() throws Exception {
        try (DtlsTestPair pair = new DtlsTestPair(serverCert, clientCert)) {
            pair.client.setExpectedRemoteFingerprint(serverCert.fingerprint());
            pair.start();
            awaitTrue("server blocked on the missing fingerprint", pair.server::isWaitingForFingerprint);

            pair.server.close();
            pair.client.close();

            awaitTrue("handshake threads to end", () -> pair.runningHandshakes.get() == 0);
            assertThat(pair.serverEvents.callbacks.get()).isZero();
            assertThat(pair.clientEvents.callbacks.get()).isZero();
            assertThat(pair.server.isHandshakeComplete()).isFalse();
        }
    }

    @Test
    void rejectedExecutorFailsTheHandshake() throws Exception {
        DtlsTestPair.Events events = new DtlsTestPair.Events();
        DtlsSession session = new DtlsSession(serverCert, false, (d, o, l) -> { }, task -> {
            throw new java.util.concurrent.RejectedExecutionException("full");
        }, events);
        session.start();
        assertThat(events.awaitFailed().reason()).isEqualTo("handshake executor rejected the task");
        session.close();
    }

    @Test
    void garbageDatagramsDoNotBreakAnEstablishedSession() throws Exception {
        try (DtlsTestPair pair = new DtlsTestPair(serverCert, clientCert).exchangeFingerprints().start()) {
            pair.serverEvents.awaitCompleted();
            pair.clientEvents.awaitCompleted();
            byte[][] garbage = {
                {22},                                                    // shorter than a record header
                {23, (byte) 0xFE, (byte) 0xFD, 0, 1, 0, 0, 0, 0, 0, 9, 0, 4, 1, 2, 3, 4}, // app data, bad MAC
                {21, (byte) 0xFE, (byte) 0xFD, 0, 1, 0, 0, 0, 0, 0, 1, 0, 2, 1, 0},       // forged clear alert
                protectedRecordWithBadTag(21),                           // passes the filter, fails in bctls
                protectedRecordWithBadTag(23),
                {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 7, 0, 3, 20, 0, 0},   // truncated handshake msg
            };
            for (byte[] g : garbage) {
                ByteBuf buf = Unpooled.wrappedBuffer(g);
                try {
                    pair.server.onDatagram(buf);
                } finally {
                    buf.release();
                }
            }
            assertThat(pair.serverEvents.callbacks.get()).isEqualTo(1);
            pair.client.close();
            assertThat(pair.serverEvents.awaitClosed()).as("still reads real records").isTrue();
        }
    }

    /** An epoch-1 record of the right size whose AES-GCM tag cannot verify. */
    private static byte[] protectedRecordWithBadTag(int contentType) {
        byte[] record = new byte[13 + 26];
        record[0] = (byte) contentType;
        record[1] = (byte) 0xFE;
        record[2] = (byte) 0xFD;
        record[4] = 1;    // epoch 1
        record[10] = 42;  // sequence number
        record[12] = 26;  // length
        return record;
    }

    private static void assertSameKeys(SrtpKeyingMaterial a, SrtpKeyingMaterial b) {
        assertThat(a.clientMasterKey()).isEqualTo(b.clientMasterKey());
        assertThat(a.serverMasterKey()).isEqualTo(b.serverMasterKey());
        assertThat(a.clientMasterSalt()).isEqualTo(b.clientMasterSalt());
        assertThat(a.serverMasterSalt()).isEqualTo(b.serverMasterSalt());
        // what the client writes with is what the server reads with, and the other way round
        assertThat(a.localMasterKey(false)).isEqualTo(b.remoteMasterKey(true));
        assertThat(a.localMasterKey(true)).isEqualTo(b.remoteMasterKey(false));
    }

    private static void sendRtp(SrtpSession from, SrtpSession to, int seq) {
        byte[] rtp = new byte[12 + 160];
        rtp[0] = (byte) 0x80;
        rtp[1] = 111; // Opus
        rtp[3] = (byte) seq;
        rtp[11] = (byte) seq;
        for (int i = 12; i < rtp.length; i++) {
            rtp[i] = (byte) i;
        }
        ByteBuf buf = Unpooled.buffer(rtp.length + SrtpSession.MAX_TRAILER);
        try {
            buf.writeBytes(rtp);
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
