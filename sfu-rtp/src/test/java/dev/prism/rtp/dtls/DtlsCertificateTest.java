package dev.prism.rtp.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.rtp.DtlsFingerprint;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DtlsCertificateTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    @Test
    void generatesASelfSignedP256CertificateForPrism() throws Exception {
        DtlsCertificate cert = DtlsCertificate.generate(new SecureRandom(), NOW);
        X509Certificate x509 = parse(cert.encoded());

        assertThat(x509.getSubjectX500Principal().getName()).isEqualTo("CN=prism");
        assertThat(x509.getIssuerX500Principal()).isEqualTo(x509.getSubjectX500Principal());
        assertThat(x509.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(x509.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) x509.getPublicKey()).getParams().getCurve().getField().getFieldSize())
            .isEqualTo(256);
        x509.verify(x509.getPublicKey()); // self-signed
        assertThat(x509.getSerialNumber().signum()).isPositive();

        assertThat(x509.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(30)));
        assertThat(cert.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(30)));
        assertThat(x509.getNotBefore().toInstant()).isBefore(NOW);
        x509.checkValidity(java.util.Date.from(NOW));
    }

    @Test
    void fingerprintIsSha256OfTheDerInUpperCaseColonHex() throws Exception {
        DtlsCertificate cert = DtlsCertificate.generate();
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(cert.encoded());

        DtlsFingerprint fp = cert.fingerprint();
        assertThat(fp.algorithm()).isEqualTo("sha-256");
        assertThat(fp.value()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(HexFormat.of().parseHex(fp.value().replace(":", ""))).isEqualTo(sha256);
    }

    @Test
    void fingerprintsForOtherSdpHashNames() {
        byte[] der = DtlsCertificate.generate().encoded();
        assertThat(DtlsCertificate.fingerprintOf(der, "sha-1").value()).hasSize(20 * 3 - 1);
        assertThat(DtlsCertificate.fingerprintOf(der, "SHA-384").algorithm()).isEqualTo("sha-384");
        assertThat(DtlsCertificate.fingerprintOf(der, "sha-512").value()).hasSize(64 * 3 - 1);
        assertThat(DtlsCertificate.fingerprintOf(der, "md5")).isNull();
        assertThat(DtlsCertificate.fingerprintOf(der, "")).isNull();
    }

    @Test
    void everyGeneratedCertificateIsDifferent() {
        assertThat(DtlsCertificate.generate().fingerprint()).isNotEqualTo(DtlsCertificate.generate().fingerprint());
    }

    @Test
    void isValidAboutThirtyDaysFromNow() {
        DtlsCertificate cert = DtlsCertificate.generate();
        assertThat(cert.notAfter()).isBetween(Instant.now().plus(29, ChronoUnit.DAYS),
            Instant.now().plus(31, ChronoUnit.DAYS));
        assertThat(cert.toString()).contains(cert.fingerprint().value());
    }

    private static X509Certificate parse(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(der));
    }
}
