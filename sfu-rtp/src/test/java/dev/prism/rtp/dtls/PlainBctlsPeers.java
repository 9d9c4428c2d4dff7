package dev.prism.rtp.dtls;

import dev.prism.srtp.SrtpKeyingMaterial;
import dev.prism.srtp.SrtpProfile;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Hashtable;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

/**
 * A browser's side of DTLS-SRTP written directly on bctls, independent of Prism's {@code PrismDtlsClient} and
 * {@code PrismDtlsServer}: the peer Prism's sessions are tested against. Each exports its own SRTP keys (RFC 5764
 * exporter) and keeps the certificate the other side presented. Only Prism's certificate generator is shared.
 */
public final class PlainBctlsPeers {
    private static final SignatureAndHashAlgorithm ECDSA_SHA256 =
        new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    private PlainBctlsPeers() {
    }

    /** A DTLS 1.2 client offering use_srtp with the given protection profile ids, presenting {@code cert}. */
    public static final class Client extends DefaultTlsClient {
        private final DtlsCertificate cert;
        private final int[] profileIds;
        public volatile Certificate serverCertificate;
        public volatile SrtpKeyingMaterial keys;
        private volatile SrtpProfile selected;

        public Client(DtlsCertificate cert, int... profileIds) {
            super(cert.crypto());
            this.cert = cert;
            this.profileIds = profileIds;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getClientExtensions() throws IOException {
            Hashtable ext = super.getClientExtensions();
            TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(profileIds, TlsUtils.EMPTY_BYTES));
            return ext;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public void processServerExtensions(Hashtable serverExtensions) throws IOException {
            super.processServerExtensions(serverExtensions);
            UseSRTPData data = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
            selected = data == null ? null : SrtpProfile.fromProtectionProfileId(data.getProtectionProfiles()[0]);
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) {
                    Client.this.serverCertificate = serverCertificate.getCertificate();
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) {
                    return cert.signer(context, ECDSA_SHA256);
                }
            };
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            keys = export(context, selected);
        }
    }

    /** A DTLS 1.2 server choosing the first of {@code profileIds} the client offers, requiring a client certificate. */
    public static final class Server extends DefaultTlsServer {
        private final DtlsCertificate cert;
        private final int[] profileIds;
        public volatile Certificate clientCertificate;
        public volatile SrtpKeyingMaterial keys;
        private volatile int chosen = -1;

        public Server(DtlsCertificate cert, int... profileIds) {
            super(cert.crypto());
            this.cert = cert;
            this.profileIds = profileIds;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        /** Its certificate is ECDSA, as browsers' are: ECDHE_ECDSA suites only. */
        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(getCrypto(), new int[] {
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384});
        }

        @Override
        @SuppressWarnings("rawtypes")
        public void processClientExtensions(Hashtable clientExtensions) throws IOException {
            super.processClientExtensions(clientExtensions);
            UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
            if (offered != null) {
                for (int mine : profileIds) {
                    for (int theirs : offered.getProtectionProfiles()) {
                        if (mine == theirs && chosen < 0) {
                            chosen = mine;
                        }
                    }
                }
            }
            if (chosen < 0) {
                throw new TlsFatalAlert(AlertDescription.handshake_failure);
            }
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getServerExtensions() throws IOException {
            Hashtable ext = super.getServerExtensions();
            TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(new int[] {chosen}, TlsUtils.EMPTY_BYTES));
            return ext;
        }

        @Override
        public CertificateRequest getCertificateRequest() {
            return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign},
                TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
        }

        @Override
        public void notifyClientCertificate(Certificate clientCertificate) {
            this.clientCertificate = clientCertificate;
        }

        @Override
        protected TlsCredentialedSigner getECDSASignerCredentials() {
            return cert.signer(context, ECDSA_SHA256);
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            keys = export(context, SrtpProfile.fromProtectionProfileId(chosen));
        }
    }

    private static SrtpKeyingMaterial export(org.bouncycastle.tls.TlsContext context, SrtpProfile profile) {
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, profile.keyingMaterialLength());
        return SrtpKeyingMaterial.fromExporterOutput(profile, material);
    }

    /** bctls's network for a test peer: datagrams pushed in by the test, sent through a callback. */
    public static final class MemoryTransport implements DatagramTransport {
        private static final byte[] CLOSED = new byte[0];
        private final BlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
        private final Consumer<byte[]> out;
        private volatile boolean closed;

        public MemoryTransport(Consumer<byte[]> out) {
            this.out = out;
        }

        public void deliver(byte[] datagram) {
            inbox.add(datagram);
        }

        @Override
        public int getReceiveLimit() {
            return 1500;
        }

        @Override
        public int getSendLimit() {
            return 1200;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            byte[] d;
            try {
                d = inbox.poll(waitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            }
            if (d == null) {
                return -1;
            }
            if (d == CLOSED || closed) {
                throw new IOException("closed");
            }
            System.arraycopy(d, 0, buf, off, Math.min(len, d.length));
            return Math.min(len, d.length);
        }

        @Override
        public void send(byte[] buf, int off, int len) {
            if (!closed) {
                out.accept(java.util.Arrays.copyOfRange(buf, off, off + len));
            }
        }

        @Override
        public void close() {
            closed = true;
            inbox.add(CLOSED);
        }
    }
}
