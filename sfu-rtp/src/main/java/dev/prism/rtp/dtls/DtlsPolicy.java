package dev.prism.rtp.dtls;

import dev.prism.srtp.SrtpKeyingMaterial;
import dev.prism.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

/** What Prism's DTLS 1.2 peers offer and accept, in one place. Pure functions. */
final class DtlsPolicy {
    /*
     * AES-GCM suites only. Every WebRTC stack offers them, they are the fastest here, and a single AEAD family lets
     * DtlsDatagramFilter know the exact minimum size of a protected record.
     */

    /** Our certificate is ECDSA, so as a server only ECDHE_ECDSA suites can be selected. */
    static final int[] SERVER_CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    };

    /** As a client the peer's certificate decides, and WebRTC allows RSA certificates too. */
    static final int[] CLIENT_CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    };

    /** ECDHE groups, client preference order. */
    static final int[] NAMED_GROUPS = {NamedGroup.x25519, NamedGroup.secp256r1};

    private DtlsPolicy() {
    }

    static boolean isAcceptedGroup(int namedGroup) {
        for (int g : NAMED_GROUPS) {
            if (g == namedGroup) {
                return true;
            }
        }
        return false;
    }

    /**
     * The signature algorithm for our ECDSA P-256 key, given the peer's signature_algorithms list ({@code null}
     * means the extension was absent, which in TLS 1.2 implies SHA-1, RFC 5246 7.4.1.4.1).
     */
    static SignatureAndHashAlgorithm ecdsaSignatureAlgorithm(Vector<?> peerAlgorithms) throws IOException {
        if (peerAlgorithms == null) {
            return TlsUtils.getDefaultSignatureAlgorithm(SignatureAlgorithm.ecdsa);
        }
        SignatureAndHashAlgorithm fallback = null;
        for (Object o : peerAlgorithms) {
            SignatureAndHashAlgorithm alg = (SignatureAndHashAlgorithm) o;
            if (alg.getSignature() != SignatureAlgorithm.ecdsa) {
                continue;
            }
            if (alg.getHash() == HashAlgorithm.sha256) {
                return alg;
            }
            if (fallback == null && isUsableHash(alg.getHash())) {
                fallback = alg;
            }
        }
        if (fallback == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "peer accepts no ECDSA signature");
        }
        return fallback;
    }

    private static boolean isUsableHash(short hash) {
        return hash == HashAlgorithm.sha384 || hash == HashAlgorithm.sha512 || hash == HashAlgorithm.sha224
            || hash == HashAlgorithm.sha1;
    }

    /**
     * Exports the SRTP master keys and salts with the RFC 5764 exporter label ("EXTRACTOR-dtls_srtp", no context).
     * bctls allows this only from notifyHandshakeComplete.
     */
    static SrtpKeyingMaterial exportSrtpKeys(TlsContext context, SrtpProfile profile) throws TlsFatalAlert {
        if (profile == null) {
            throw new TlsFatalAlert(AlertDescription.internal_error, "no SRTP profile negotiated");
        }
        byte[] exported = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, profile.keyingMaterialLength());
        try {
            return SrtpKeyingMaterial.fromExporterOutput(profile, exported);
        } finally {
            Arrays.fill(exported, (byte) 0);
        }
    }

    /** The use_srtp extension a client sends: our profiles in order, no MKI. */
    static UseSRTPData offer(List<SrtpProfile> profiles) {
        int[] ids = new int[profiles.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = profiles.get(i).protectionProfileId();
        }
        return new UseSRTPData(ids, TlsUtils.EMPTY_BYTES);
    }

    /** Server side: our most preferred profile among those offered, or {@code null} if none is shared. */
    static SrtpProfile choose(UseSRTPData offered, List<SrtpProfile> ours) {
        if (offered == null) {
            return null;
        }
        for (SrtpProfile p : ours) {
            for (int id : offered.getProtectionProfiles()) {
                if (id == p.protectionProfileId()) {
                    return p;
                }
            }
        }
        return null;
    }

    /**
     * Client side: the profile the server selected, checked (RFC 5764 4.1.1: exactly one, one we offered, and no MKI
     * other than our empty one).
     *
     * @throws TlsFatalAlert if the server's answer is missing or not acceptable
     */
    static SrtpProfile checkSelected(UseSRTPData selected, List<SrtpProfile> offered) throws TlsFatalAlert {
        if (selected == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "peer did not agree to use_srtp");
        }
        int[] ids = selected.getProtectionProfiles();
        if (ids.length != 1 || selected.getMki().length != 0) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "peer sent an invalid use_srtp answer");
        }
        SrtpProfile profile = SrtpProfile.fromProtectionProfileId(ids[0]);
        if (profile == null || !offered.contains(profile)) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter,
                "peer selected an SRTP profile we did not offer: " + ids[0]);
        }
        return profile;
    }
}
