package dev.prism.rtp.srtp;

import static dev.prism.rtp.srtp.AesEcb.blocks;
import static dev.prism.rtp.srtp.CryptoScratch.CHUNK;
import static dev.prism.rtp.srtp.CryptoScratch.getLong;
import static dev.prism.rtp.srtp.CryptoScratch.setLong;

import java.util.Arrays;

/**
 * AES-GCM (NIST SP 800-38D) with a 96-bit nonce and a 128-bit tag, in place over a byte array, under one key: the
 * AEAD of AEAD_AES_128_GCM SRTP (RFC 7714). Built from {@link AesEcb} (GCTR keystream: counter blocks
 * {@code nonce || 2, 3, ...}, tag mask {@code E(K, nonce || 1)}) and {@link Ghash}; the key schedule and the GHASH
 * key are set up once, so a call allocates nothing.
 *
 * <p>The additional data may be two separate pieces of the array (SRTCP authenticates its header and the E flag and
 * index word that follows the tag); GHASH sees them as one string.
 *
 * <p>Not thread-safe: owned by one SRTP transform. Uses the calling thread's {@link CryptoScratch}.
 */
final class AesGcm {
    static final int TAG_LENGTH = 16;

    private final AesEcb aes;
    private final Ghash ghash;
    /** Bytes of a partial block waiting in {@link CryptoScratch#block} during one call. */
    private int pending;

    AesGcm(byte[] key) {
        this(new AesEcb(key), null);
    }

    /** With a given GHASH implementation (tests compare both); null picks {@link Ghash#create}. */
    AesGcm(AesEcb aes, Ghash ghash) {
        this.aes = aes;
        if (ghash == null) {
            long[] h = hashSubkey(aes);
            ghash = Ghash.create(h[0], h[1]);
        }
        this.ghash = ghash;
    }

    /** The GHASH subkey H = E(K, 0^128) as two longs (bytes 0-7, 8-15). */
    static long[] hashSubkey(AesEcb aes) {
        byte[] h = new byte[16];
        aes.encrypt(new byte[16], 0, 16, h, 0);
        return new long[] {getLong(h, 0), getLong(h, 8)};
    }

    /**
     * Encrypts {@code a[textOff, +textLen)} in place and writes the tag to {@code a[tagOff, +16)}.
     *
     * @param nonceHigh bytes 0-7 of the 12-byte nonce
     * @param nonceLow  bytes 8-11 of the nonce
     * @param aad2Len   0 if the additional data is one piece
     */
    void seal(long nonceHigh, int nonceLow, byte[] a, int aadOff, int aadLen, int aad2Off, int aad2Len,
              int textOff, int textLen, int tagOff) {
        CryptoScratch s = CryptoScratch.get();
        hashAad(s, a, aadOff, aadLen, aad2Off, aad2Len);
        long counterLow = (long) nonceLow << 32;
        // The first AES call also makes E(K, J0), the tag mask, as its block 0.
        int n = Math.min(textLen, CHUNK - 16);
        aes.keystream(nonceHigh, counterLow | 1, 1 + blocks(n), s);
        long maskHigh = getLong(s.keystream, 0);
        long maskLow = getLong(s.keystream, 8);
        CryptoScratch.xor(a, textOff, s.keystream, 16, n);
        absorb(s, a, textOff, n);
        for (int done = n; done < textLen; done += n) {
            n = Math.min(textLen - done, CHUNK);
            aes.keystream(nonceHigh, counterLow | (2 + (done >>> 4)), blocks(n), s);
            CryptoScratch.xor(a, textOff + done, s.keystream, 0, n);
            absorb(s, a, textOff + done, n);
        }
        finish(s, aadLen + aad2Len, textLen);
        setLong(a, tagOff, ghash.high() ^ maskHigh);
        setLong(a, tagOff + 8, ghash.low() ^ maskLow);
    }

    /**
     * Verifies the tag at {@code a[tagOff, +16)} and only then decrypts {@code a[textOff, +textLen)} in place.
     *
     * @return false if the tag does not verify; the array is then unchanged
     */
    boolean open(long nonceHigh, int nonceLow, byte[] a, int aadOff, int aadLen, int aad2Off, int aad2Len,
                 int textOff, int textLen, int tagOff) {
        CryptoScratch s = CryptoScratch.get();
        hashAad(s, a, aadOff, aadLen, aad2Off, aad2Len);
        absorb(s, a, textOff, textLen);
        finish(s, aadLen + aad2Len, textLen);
        long counterLow = (long) nonceLow << 32;
        int n = Math.min(textLen, CHUNK - 16);
        aes.keystream(nonceHigh, counterLow | 1, 1 + blocks(n), s);
        long diff = (getLong(a, tagOff) ^ ghash.high() ^ getLong(s.keystream, 0))
            | (getLong(a, tagOff + 8) ^ ghash.low() ^ getLong(s.keystream, 8));
        if (diff != 0) {
            return false;
        }
        CryptoScratch.xor(a, textOff, s.keystream, 16, n);
        for (int done = n; done < textLen; done += n) {
            n = Math.min(textLen - done, CHUNK);
            aes.keystream(nonceHigh, counterLow | (2 + (done >>> 4)), blocks(n), s);
            CryptoScratch.xor(a, textOff + done, s.keystream, 0, n);
        }
        return true;
    }

    private void hashAad(CryptoScratch s, byte[] a, int aadOff, int aadLen, int aad2Off, int aad2Len) {
        ghash.reset();
        pending = 0;
        absorb(s, a, aadOff, aadLen);
        absorb(s, a, aad2Off, aad2Len);
        pad(s);
    }

    /** Pads the ciphertext and absorbs the length block {@code len(A) || len(C)} in bits. */
    private void finish(CryptoScratch s, int aadLen, int textLen) {
        pad(s);
        setLong(s.block, 0, 8L * aadLen);
        setLong(s.block, 8, 8L * textLen);
        ghash.update(s.block, 0, 16);
    }

    /** Feeds bytes to GHASH as one stream: whole blocks straight from the array, a partial one through scratch. */
    private void absorb(CryptoScratch s, byte[] a, int off, int len) {
        if (len == 0) {
            return;
        }
        if (pending > 0) {
            int n = Math.min(16 - pending, len);
            System.arraycopy(a, off, s.block, pending, n);
            pending += n;
            off += n;
            len -= n;
            if (pending < 16) {
                return;
            }
            ghash.update(s.block, 0, 16);
            pending = 0;
        }
        int whole = len & ~15;
        ghash.update(a, off, whole);
        int rest = len - whole;
        if (rest > 0) {
            System.arraycopy(a, off + whole, s.block, 0, rest);
            pending = rest;
        }
    }

    /** Zero-pads and absorbs a pending partial block (the end of the AAD or of the ciphertext). */
    private void pad(CryptoScratch s) {
        if (pending > 0) {
            Arrays.fill(s.block, pending, 16, (byte) 0);
            ghash.update(s.block, 0, 16);
            pending = 0;
        }
    }
}
