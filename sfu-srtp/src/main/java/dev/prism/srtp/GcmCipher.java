package dev.prism.srtp;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM with a 96-bit nonce and a 128-bit tag (NIST SP 800-38D), in place over a byte array, under one key: the
 * AEAD of AEAD_AES_128_GCM SRTP (RFC 7714). The additional data may be two pieces of the array (SRTCP authenticates
 * its header and the E flag and index word that follows the tag); the tag directly follows the text.
 *
 * <p>Two implementations, chosen once per JVM by {@link #create}: Prism's own {@link AesGcm}, which allocates nothing
 * but needs the JDK's GHASH ({@link Ghash#available()}, the add-opens flag); otherwise {@link JdkGcm}, the JDK's
 * {@code AES/GCM/NoPadding} cipher re-initialised per packet, as fast but with about 1 KB of garbage per call.
 *
 * <p>Not thread-safe: owned by one SRTP transform.
 */
abstract class GcmCipher {
    static final int TAG_LENGTH = 16;

    /** Decided on first use, in a holder so that subclass initialisation does not depend on it. */
    private static final class Choice {
        static final boolean OWN = AesGcm.agreesWithTheJdk();
    }

    /** The allocation-free implementation if this JVM allows it, else the JDK's. */
    static GcmCipher create(byte[] key) {
        return Choice.OWN ? new AesGcm(key) : new JdkGcm(key);
    }

    /** True if {@link #create} returns Prism's allocation-free implementation. */
    static boolean allocationFree() {
        return Choice.OWN;
    }

    /**
     * Encrypts {@code a[textOff, +textLen)} in place and writes the tag to {@code a[textOff + textLen, +16)}.
     *
     * @param nonceHigh bytes 0-7 of the 12-byte nonce
     * @param nonceLow  bytes 8-11 of the nonce
     * @param aad2Len   0 if the additional data is one piece
     */
    abstract void seal(long nonceHigh, int nonceLow, byte[] a, int aadOff, int aadLen, int aad2Off, int aad2Len,
                       int textOff, int textLen);

    /**
     * Verifies the tag at {@code a[textOff + textLen, +16)} and only then decrypts {@code a[textOff, +textLen)} in
     * place.
     *
     * @return false if the tag does not verify; the array is then unchanged
     */
    abstract boolean open(long nonceHigh, int nonceLow, byte[] a, int aadOff, int aadLen, int aad2Off, int aad2Len,
                          int textOff, int textLen);

    /** A JDK {@code AES/GCM/NoPadding} cipher from the JDK's own provider. */
    static Cipher jdkCipher() throws java.security.GeneralSecurityException {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        } catch (java.security.NoSuchAlgorithmException | java.security.NoSuchProviderException e) {
            return Cipher.getInstance("AES/GCM/NoPadding");
        }
    }

    static GCMParameterSpec spec(long nonceHigh, int nonceLow) {
        byte[] nonce = new byte[12];
        CryptoScratch.setLong(nonce, 0, nonceHigh);
        CryptoScratch.setInt(nonce, 8, nonceLow);
        return new GCMParameterSpec(8 * TAG_LENGTH, nonce);
    }

    static SecretKeySpec aesKey(byte[] key) {
        return new SecretKeySpec(key, "AES");
    }
}
