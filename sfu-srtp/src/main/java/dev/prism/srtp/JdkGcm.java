package dev.prism.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM through the JDK's {@code AES/GCM/NoPadding} cipher, re-initialised for every packet (a GCM cipher takes a
 * new nonce only through {@code init}). The fallback when the JDK's GHASH is not reachable ({@link GcmCipher}): about
 * as fast as {@link AesGcm} here, but each call allocates about 1 KB inside the JDK (parameter spec, cipher state,
 * buffered input), which is what Prism ran with before {@link AesGcm}.
 *
 * <p>A forged packet costs an {@link AEADBadTagException}. Not thread-safe: owned by one SRTP transform. Uses the
 * calling thread's {@link CryptoScratch} to open.
 */
final class JdkGcm extends GcmCipher {
    private final Cipher cipher;
    private final SecretKeySpec key;

    JdkGcm(byte[] key) {
        this.key = aesKey(key);
        try {
            this.cipher = jdkCipher();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available", e);
        }
    }

    @Override
    void seal(long nonceHigh, int nonceLow, byte[] a, int aadOff, int aadLen, int aad2Off, int aad2Len,
              int textOff, int textLen) {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, spec(nonceHigh, nonceLow));
            cipher.updateAAD(a, aadOff, aadLen);
            if (aad2Len > 0) {
                cipher.updateAAD(a, aad2Off, aad2Len);
            }
            cipher.doFinal(a, textOff, textLen, a, textOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM failed", e);
        }
    }

    @Override
    boolean open(long nonceHigh, int nonceLow, byte[] a, int aadOff, int aadLen, int aad2Off, int aad2Len,
                 int textOff, int textLen) {
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, spec(nonceHigh, nonceLow));
            cipher.updateAAD(a, aadOff, aadLen);
            if (aad2Len > 0) {
                cipher.updateAAD(a, aad2Off, aad2Len);
            }
            // Into scratch, then back only once the tag verified: JDK 17 verifies before it writes any plaintext, but
            // later JDKs (25 here) decrypt in place first and overwrite the output when the tag fails, which would
            // break "a failed open leaves the packet unchanged".
            byte[] plain = CryptoScratch.get().opened(textLen);
            cipher.doFinal(a, textOff, textLen + TAG_LENGTH, plain, 0);
            System.arraycopy(plain, 0, a, textOff, textLen);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM failed", e);
        }
    }
}
