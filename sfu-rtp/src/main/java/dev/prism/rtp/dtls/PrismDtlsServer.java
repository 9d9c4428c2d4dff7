package dev.prism.rtp.dtls;

import dev.prism.srtp.SrtpKeyingMaterial;
import dev.prism.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Hashtable;
import java.util.List;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

/**
 * bctls server side of a DTLS-SRTP handshake (Prism answered {@code a=setup:passive}): DTLS 1.2 only, ECDHE_ECDSA
 * suites, x25519 or P-256, extended master secret required, a client certificate required and checked against the
 * SDP fingerprint, use_srtp required. One instance per handshake; used only by the handshake thread.
 */
final class PrismDtlsServer extends DefaultTlsServer implements DtlsSrtpPeer {
    private final DtlsCertificate certificate;
    private final List<SrtpProfile> profiles;
    private final RemoteCertificateCheck certificateCheck;
    private final int handshakeTimeoutMillis;
    private final AlertSink alerts;
    private volatile SrtpProfile selected;
    private volatile String negotiationFailure;
    private volatile SrtpKeyingMaterial keys;

    PrismDtlsServer(DtlsCertificate certificate, List<SrtpProfile> profiles, RemoteCertificateCheck certificateCheck,
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
        return TlsUtils.getSupportedCipherSuites(getCrypto(), DtlsPolicy.SERVER_CIPHER_SUITES);
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    /** The client's most preferred group among x25519 and P-256. */
    @Override
    protected int selectECDH(int minimumCurveBits) {
        int[] offered = context.getSecurityParametersHandshake().getClientSupportedGroups();
        if (offered == null) {
            return super.selectECDH(minimumCurveBits);
        }
        for (int group : offered) {
            if (DtlsPolicy.isAcceptedGroup(group) && getCrypto().hasNamedGroup(group)) {
                return group;
            }
        }
        return -1;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        SrtpProfile choice = DtlsPolicy.choose(offered, profiles);
        if (choice == null) {
            negotiationFailure = offered == null ? "peer did not offer use_srtp" : "no common SRTP protection profile";
            throw new TlsFatalAlert(AlertDescription.handshake_failure, negotiationFailure);
        }
        selected = choice;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        // Always an empty MKI: jitsi-srtp does not support MKIs, and an empty one tells the client not to use any.
        TlsSRTPUtils.addUseSRTPExtension(extensions,
            new UseSRTPData(new int[] {selected.protectionProfileId()}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        return new CertificateRequest(types, TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        certificateCheck.verify(clientCertificate);
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return certificate.signer(context,
            DtlsPolicy.ecdsaSignatureAlgorithm(context.getSecurityParametersHandshake().getClientSigAlgs()));
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
