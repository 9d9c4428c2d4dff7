package dev.prism.srtp;

import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.util.Arrays;

/**
 * HMAC-SHA1 (RFC 2104) under one key, on a reused JDK {@link MessageDigest}: unlike {@code javax.crypto.Mac}, whose
 * {@code doFinal} returns fresh arrays, {@link MessageDigest#digest(byte[], int, int)} writes into ours, so a call
 * allocates nothing.
 *
 * <p>Not thread-safe: owned by one SRTP transform. Uses the calling thread's {@link CryptoScratch}.
 */
final class HmacSha1 {
    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest sha1;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];

    /** @param key at most 64 bytes (SRTP's are 20); not kept beyond the two pads */
    HmacSha1(byte[] key) {
        if (key.length > BLOCK) {
            throw new IllegalArgumentException("HMAC key longer than a SHA-1 block");
        }
        try {
            sha1 = newSha1();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
        Arrays.fill(innerPad, (byte) 0x36);
        Arrays.fill(outerPad, (byte) 0x5c);
        for (int i = 0; i < key.length; i++) {
            innerPad[i] ^= key[i];
            outerPad[i] ^= key[i];
        }
    }

    private static MessageDigest newSha1() throws GeneralSecurityException {
        try {
            return MessageDigest.getInstance("SHA-1", "SUN");
        } catch (NoSuchAlgorithmException | NoSuchProviderException e) {
            return MessageDigest.getInstance("SHA-1");
        }
    }

    /**
     * Writes {@code HMAC(key, a[off, +len) || suffix)} to {@code s.digest}, where the suffix is the big-endian
     * {@code suffix} int if {@code withSuffix} (SRTP's ROC), nothing otherwise.
     */
    void mac(byte[] a, int off, int len, boolean withSuffix, int suffix, CryptoScratch s) {
        byte[] out = s.digest;
        try {
            sha1.update(innerPad, 0, BLOCK);
            sha1.update(a, off, len);
            if (withSuffix) {
                CryptoScratch.setInt(s.block, 0, suffix);
                sha1.update(s.block, 0, 4);
            }
            sha1.digest(out, 0, LENGTH);
            sha1.update(outerPad, 0, BLOCK);
            sha1.update(out, 0, LENGTH);
            sha1.digest(out, 0, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException(e); // the output is sized for SHA-1; cannot happen
        }
    }
}
