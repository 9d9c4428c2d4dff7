package dev.prism.srtp;

import static dev.prism.srtp.AesEcb.blocks;
import static dev.prism.srtp.CryptoScratch.CHUNK;

import java.util.Arrays;

/**
 * AES in SRTP's counter mode (RFC 3711 4.1.1) under one session key and salt: the keystream for a packet is
 * {@code E(K, IV + j)} with {@code IV = (salt * 2^16) ^ (SSRC * 2^64) ^ (index * 2^16)}. Encryption and decryption
 * are the same XOR, in place. No allocation per call.
 *
 * <p>Not thread-safe: owned by one SRTP transform. Uses the calling thread's {@link CryptoScratch}.
 */
final class AesCm {
    private final AesEcb aes;
    /** Bytes 0-7 of the 14-byte session salt. */
    private final long saltHigh;
    /** Bytes 8-13 of the salt, then the two counter bytes (zero). */
    private final long saltLow;

    /** @param salt the 14-byte session salt */
    AesCm(byte[] key, byte[] salt) {
        if (salt.length != 14) {
            throw new IllegalArgumentException("AES-CM session salt must be 14 bytes");
        }
        this.aes = new AesEcb(key);
        byte[] padded = Arrays.copyOf(salt, 16);
        this.saltHigh = CryptoScratch.getLong(padded, 0);
        this.saltLow = CryptoScratch.getLong(padded, 8);
    }

    /**
     * XORs the keystream for ({@code ssrc}, {@code index}) into {@code a[off, +len)}.
     *
     * @param index the 48-bit SRTP index ({@code ROC << 16 | SEQ}) or the 31-bit SRTCP index
     */
    void crypt(int ssrc, long index, byte[] a, int off, int len) {
        CryptoScratch s = CryptoScratch.get();
        long high = saltHigh ^ (ssrc & 0xFFFFFFFFL);
        long low = saltLow ^ (index << 16); // the block counter j is added to the (zero) low 16 bits
        for (int done = 0, n; done < len; done += n) {
            n = Math.min(len - done, CHUNK);
            aes.keystream(high, low + (done >>> 4), blocks(n), s);
            CryptoScratch.xor(a, off + done, s.keystream, 0, n);
        }
    }
}
