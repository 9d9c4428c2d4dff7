package dev.prism.rtp.dtls;

import dev.prism.core.rtp.DtlsFingerprint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The server's DTLS identity: an ECDSA P-256 key and a self-signed certificate ({@code CN=prism}, SHA256withECDSA,
 * valid about 30 days), generated once at start-up and shared by every {@link DtlsSession}. WebRTC authenticates it
 * by the SHA-256 fingerprint carried in SDP, not by a CA.
 *
 * <p>Immutable and thread-safe. It also carries the BouncyCastle {@link BcTlsCrypto} (lightweight API, no JCA provider
 * registration) that the handshakes use.
 */
public final class DtlsCertificate {
    /** How long a generated certificate is valid; rotate by generating a new one before it runs out. */
    public static final Duration VALIDITY = Duration.ofDays(30);
    /** Back-dating of notBefore, for peers whose clock runs behind. */
    private static final Duration CLOCK_SKEW = Duration.ofDays(1);
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private final BcTlsCrypto crypto;
    private final AsymmetricKeyParameter privateKey;
    private final Certificate chain;
    private final byte[] der;
    private final DtlsFingerprint fingerprint;
    private final Instant notAfter;

    private DtlsCertificate(BcTlsCrypto crypto, AsymmetricKeyParameter privateKey, byte[] der, Instant notAfter)
        throws IOException {
        this.crypto = crypto;
        this.privateKey = privateKey;
        this.der = der;
        this.chain = new Certificate(new TlsCertificate[] {crypto.createCertificate(der)});
        this.fingerprint = fingerprintOf(der, "sha-256");
        this.notAfter = notAfter;
    }

    /** Generates a fresh key pair and self-signed certificate. Takes a few milliseconds. */
    public static DtlsCertificate generate() {
        return generate(new SecureRandom(), Instant.now());
    }

    static DtlsCertificate generate(SecureRandom random, Instant now) {
        try {
            ECNamedDomainParameters p256 = ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256r1);
            ECKeyPairGenerator generator = new ECKeyPairGenerator();
            generator.init(new ECKeyGenerationParameters(p256, random));
            AsymmetricCipherKeyPair keyPair = generator.generateKeyPair();

            X500Name name = new X500Name("CN=prism");
            Instant notBefore = now.minus(CLOCK_SKEW);
            Instant notAfter = now.plus(VALIDITY);
            SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(keyPair.getPublic());
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name, new BigInteger(63, random).add(
                BigInteger.ONE), Date.from(notBefore), Date.from(notAfter), name, publicKey);

            AlgorithmIdentifier sigAlg = new DefaultSignatureAlgorithmIdentifierFinder().find(SIGNATURE_ALGORITHM);
            AlgorithmIdentifier digAlg = new DefaultDigestAlgorithmIdentifierFinder().find(sigAlg);
            ContentSigner signer = new BcECContentSignerBuilder(sigAlg, digAlg).build(keyPair.getPrivate());
            byte[] der = builder.build(signer).getEncoded();

            return new DtlsCertificate(new BcTlsCrypto(random), keyPair.getPrivate(), der, notAfter);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the DTLS certificate", e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("no " + SIGNATURE_ALGORITHM + " signer", e);
        }
    }

    /** SHA-256 fingerprint for {@code a=fingerprint}, upper-case colon-separated hex. */
    public DtlsFingerprint fingerprint() {
        return fingerprint;
    }

    /** When the certificate expires. */
    public Instant notAfter() {
        return notAfter;
    }

    /** The DER encoding of the certificate (a copy). */
    public byte[] encoded() {
        return der.clone();
    }

    BcTlsCrypto crypto() {
        return crypto;
    }

    /** Signing credentials for one handshake. */
    TlsCredentialedSigner signer(TlsContext context, SignatureAndHashAlgorithm algorithm) {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, privateKey, chain,
            algorithm);
    }

    /**
     * The fingerprint of a DER certificate under an SDP hash name ({@code sha-1}, {@code sha-256}, {@code sha-384},
     * {@code sha-512}; RFC 8122), or {@code null} if the hash name is not one of those.
     */
    static DtlsFingerprint fingerprintOf(byte[] der, String sdpHashName) {
        String jcaName = switch (sdpHashName.toLowerCase(Locale.ROOT)) {
            case "sha-1" -> "SHA-1";
            case "sha-256" -> "SHA-256";
            case "sha-384" -> "SHA-384";
            case "sha-512" -> "SHA-512";
            default -> null;
        };
        if (jcaName == null) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance(jcaName).digest(der);
            StringBuilder hex = new StringBuilder(digest.length * 3);
            for (int i = 0; i < digest.length; i++) {
                if (i > 0) {
                    hex.append(':');
                }
                hex.append(Character.toUpperCase(Character.forDigit((digest[i] >> 4) & 0xF, 16)))
                    .append(Character.toUpperCase(Character.forDigit(digest[i] & 0xF, 16)));
            }
            return new DtlsFingerprint(sdpHashName.toLowerCase(Locale.ROOT), hex.toString());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaName + " is a required JDK algorithm", e);
        }
    }

    @Override
    public String toString() {
        return "DtlsCertificate[" + fingerprint.value() + ", notAfter=" + notAfter + "]";
    }
}
