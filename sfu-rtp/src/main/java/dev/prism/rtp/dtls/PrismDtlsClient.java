package dev.prism.rtp.dtls;

import dev.prism.srtp.SrtpKeyingMaterial;
import dev.prism.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Hashtable;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;

/**
 * bctls client side of a DTLS-SRTP handshake (the remote answer said {@code a=setup:passive}): DTLS 1.2 only, ECDHE
 * with x25519 or P-256, extended master secret required, use_srtp offered in our preference order, the server
 * certificate checked against the SDP fingerprint, and our certificate always sent. One instance per handshake; used
 * only by the handshake thread.
 */
final class PrismDtlsClient extends DefaultTlsClient implements DtlsSrtpPeer {
    private final DtlsCertificate certificate;
    private final List<SrtpProfile> profiles;
    private final RemoteCertificateCheck certificateCheck;
    private final int handshakeTimeoutMillis;
    private final AlertSink alerts;
    private volatile SrtpProfile selected;
    private volatile String negotiationFailure;
    private volatile SrtpKeyingMaterial keys;

    PrismDtlsClient(DtlsCertificate certificate, List<SrtpProfile> profiles, RemoteCertificateCheck certificateCheck,
                    int handshakeTimeoutMillis, AlertSink alerts) {
        super(certificate.crypto());
        this.certificate = certificate;
        this.profiles = profiles;
        this.certificateCheck = certificateCheck;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.alerts = alerts;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), DtlsPolicy.CLIENT_CIPHER_SUITES);
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    protected Vector getSupportedGroups(Vector namedGroupRoles) {
        Vector groups = new Vector();
        for (int group : DtlsPolicy.NAMED_GROUPS) {
            if (getCrypto().hasNamedGroup(group)) {
                groups.add(group);
            }
        }
        return groups;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions, DtlsPolicy.offer(profiles));
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        try {
            selected = DtlsPolicy.checkSelected(TlsSRTPUtils.getUseSRTPExtension(serverExtensions), profiles);
        } catch (TlsFatalAlert e) {
            negotiationFailure = e.getMessage();
            throw e;
        }
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                certificateCheck.verify(serverCertificate.getCertificate());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                return certificate.signer(context,
                    DtlsPolicy.ecdsaSignatureAlgorithm(request.getSupportedSignatureAlgorithms()));
            }
        };
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        alerts.alertReceived(alertLevel, alertDescription);
    }

    @Override
    public SrtpProfile selectedProfile() {
        return selected;
    }

    @Override
    public String negotiationFailure() {
        return negotiationFailure;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        keys = DtlsPolicy.exportSrtpKeys(context, selected);
    }

    @Override
    public SrtpKeyingMaterial keys() {
        return keys;
    }
}
