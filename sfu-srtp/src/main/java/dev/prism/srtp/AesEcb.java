package dev.prism.srtp;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES block function under one key, on a JDK {@code AES/ECB/NoPadding} cipher that is initialised once and then
 * only fed through {@link Cipher#update(byte[], int, int, byte[], int)} between distinct arrays: no per-call
 * allocation, and the JDK's AES-NI intrinsics do the work. Counter modes (AES-CM, GCM's GCTR) are built on it by
 * encrypting a run of counter blocks into keystream ({@link #keystream}).
 *
 * <p>Not thread-safe: owned by one SRTP transform.
 */
final class AesEcb {
    private final Cipher cipher;

    /** @param key 16, 24 or 32 bytes; not kept (the cipher holds its own expanded copy) */
    AesEcb(byte[] key) {
        try {
            cipher = newEcbCipher();
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB is not available", e);
        }
    }

    /**
     * The JDK's own provider when it is there: a provider list with a pure-Java AES in front (Bouncy Castle inserted
     * first) would silently cost several times more per packet.
     */
    private static Cipher newEcbCipher() throws GeneralSecurityException {
        try {
            return Cipher.getInstance("AES/ECB/NoPadding", "SunJCE");
        } catch (NoSuchAlgorithmException | java.security.NoSuchProviderException e) {
            return Cipher.getInstance("AES/ECB/NoPadding");
        }
    }

    /** Encrypts {@code len} bytes (a multiple of 16) of {@code in} into {@code out}; the arrays must differ. */
    void encrypt(byte[] in, int inOff, int len, byte[] out, int outOff) {
        try {
            cipher.update(in, inOff, len, out, outOff);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e); // callers size the output; cannot happen
        }
    }

    /**
     * Fills {@code s.keystream[0, 16*blocks)} with the encryption of the counter blocks {@code (high, low + j)} for
     * {@code j = 0 .. blocks-1} (big-endian halves; the caller keeps {@code low + j} from carrying).
     */
    void keystream(long high, long low, int blocks, CryptoScratch s) {
        byte[] c = s.counters;
        for (int j = 0; j < blocks; j++) {
            CryptoScratch.setLong(c, 16 * j, high);
            CryptoScratch.setLong(c, 16 * j + 8, low + j);
        }
        encrypt(c, 0, 16 * blocks, s.keystream, 0);
    }

    /** Number of 16-byte blocks that cover {@code bytes}. */
    static int blocks(int bytes) {
        return (bytes + 15) >>> 4;
    }
}
