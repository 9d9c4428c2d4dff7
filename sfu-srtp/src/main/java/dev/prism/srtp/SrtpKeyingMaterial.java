package dev.prism.srtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * SRTP master keys and salts for both directions of one DTLS-SRTP association, as exported from DTLS
 * (RFC 5764 4.2: {@code client_write_key | server_write_key | client_write_salt | server_write_salt}).
 * The DTLS client protects what it sends with the client key and salt; the DTLS server with the server's.
 *
 * <p>Immutable; accessors return copies. {@link #toString()} never prints key bytes.
 */
public final class SrtpKeyingMaterial {
    private final SrtpProfile profile;
    private final byte[] clientMasterKey;
    private final byte[] serverMasterKey;
    private final byte[] clientMasterSalt;
    private final byte[] serverMasterSalt;

    private SrtpKeyingMaterial(SrtpProfile profile, byte[] clientKey, byte[] serverKey, byte[] clientSalt,
                               byte[] serverSalt) {
        this.profile = profile;
        this.clientMasterKey = clientKey;
        this.serverMasterKey = serverKey;
        this.clientMasterSalt = clientSalt;
        this.serverMasterSalt = serverSalt;
    }

    /**
     * Splits the output of the DTLS {@code EXTRACTOR-dtls_srtp} exporter.
     *
     * @param exported exactly {@link SrtpProfile#keyingMaterialLength()} bytes, in RFC 5764 4.2 order; copied
     * @throws IllegalArgumentException if the length does not fit the profile
     */
    public static SrtpKeyingMaterial fromExporterOutput(SrtpProfile profile, byte[] exported) {
        Objects.requireNonNull(profile, "profile");
        if (exported.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException("expected " + profile.keyingMaterialLength()
                + " bytes of keying material for " + profile + ", got " + exported.length);
        }
        int k = profile.masterKeyLength();
        int s = profile.masterSaltLength();
        return new SrtpKeyingMaterial(profile,
            Arrays.copyOfRange(exported, 0, k),
            Arrays.copyOfRange(exported, k, 2 * k),
            Arrays.copyOfRange(exported, 2 * k, 2 * k + s),
            Arrays.copyOfRange(exported, 2 * k + s, 2 * k + 2 * s));
    }

    /** Keying material from its four parts (for tests and SDES-style setups); arrays are copied. */
    public static SrtpKeyingMaterial of(SrtpProfile profile, byte[] clientKey, byte[] clientSalt,
                                        byte[] serverKey, byte[] serverSalt) {
        Objects.requireNonNull(profile, "profile");
        checkLength("client key", clientKey, profile.masterKeyLength());
        checkLength("server key", serverKey, profile.masterKeyLength());
        checkLength("client salt", clientSalt, profile.masterSaltLength());
        checkLength("server salt", serverSalt, profile.masterSaltLength());
        return new SrtpKeyingMaterial(profile, clientKey.clone(), serverKey.clone(), clientSalt.clone(),
            serverSalt.clone());
    }

    private static void checkLength(String what, byte[] value, int expected) {
        if (value.length != expected) {
            throw new IllegalArgumentException(what + " must be " + expected + " bytes, got " + value.length);
        }
    }

    /** The profile these keys were sized for. */
    public SrtpProfile profile() {
        return profile;
    }

    public byte[] clientMasterKey() {
        return clientMasterKey.clone();
    }

    public byte[] serverMasterKey() {
        return serverMasterKey.clone();
    }

    public byte[] clientMasterSalt() {
        return clientMasterSalt.clone();
    }

    public byte[] serverMasterSalt() {
        return serverMasterSalt.clone();
    }

    /** The key this side protects with: the server's if we are the DTLS server, else the client's. */
    public byte[] localMasterKey(boolean weAreDtlsServer) {
        return weAreDtlsServer ? serverMasterKey() : clientMasterKey();
    }

    public byte[] localMasterSalt(boolean weAreDtlsServer) {
        return weAreDtlsServer ? serverMasterSalt() : clientMasterSalt();
    }

    /** The key the peer protects with, which this side unprotects with. */
    public byte[] remoteMasterKey(boolean weAreDtlsServer) {
        return weAreDtlsServer ? clientMasterKey() : serverMasterKey();
    }

    public byte[] remoteMasterSalt(boolean weAreDtlsServer) {
        return weAreDtlsServer ? clientMasterSalt() : serverMasterSalt();
    }

    @Override
    public String toString() {
        return "SrtpKeyingMaterial[" + profile + "]";
    }
}
