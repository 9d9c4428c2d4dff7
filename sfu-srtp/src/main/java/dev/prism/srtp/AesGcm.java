package dev.prism.srtp;

import static dev.prism.srtp.AesEcb.blocks;
import static dev.prism.srtp.CryptoScratch.CHUNK;
import static dev.prism.srtp.CryptoScratch.getLong;
import static dev.prism.srtp.CryptoScratch.setLong;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;

/**
 * Prism's own AES-GCM ({@link GcmCipher}), which allocates nothing: GCTR from {@link AesEcb} (counter blocks
 * {@code nonce || 2, 3, ...}, tag mask {@code E(K, nonce || 1)}), GHASH from the JDK's intrinsic ({@link Ghash}); the
 * key schedule and the GHASH key are set up once per key.
 *
 * <p>Not thread-safe: owned by one SRTP transform. Uses the calling thread's {@link CryptoScratch}.
 */
final class AesGcm extends GcmCipher {
    private final AesEcb aes;
    private final Ghash ghash;
    /** Bytes of a partial block waiting in {@link CryptoScratch#block} during one call. */
    private int pending;

    /** @throws IllegalStateException if the JDK's GHASH is not accessible ({@link Ghash#available()}) */
    AesGcm(byte[] key) {
        this.aes = new AesEcb(key);
        byte[] h = new byte[16];
        aes.encrypt(new byte[16], 0, 16, h, 0); // H = E(K, 0^128)
        this.ghash = new Ghash(getLong(h, 0), getLong(h, 8));
    }

    /**
     * Whether this implementation can be used in this JVM: the JDK's GHASH is reachable, and packets sealed here are
     * byte for byte what the JDK's own AES/GCM makes of them: a short one and a full-size one, so that both the
     * JDK's few-block and its wide many-block GHASH code are checked.
     */
    static boolean agreesWithTheJdk() {
        if (!Ghash.available()) {
            return false;
        }
        try {
            return agreesWithTheJdk(100) && agreesWithTheJdk(1200);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean agreesWithTheJdk(int textLength) throws GeneralSecurityException {
        byte[] key = new byte[16];
        byte[] packet = new byte[12 + textLength + TAG_LENGTH];
        for (int i = 0; i < packet.length - TAG_LENGTH; i++) {
            packet[i] = (byte) (i * 37 + 11);
            key[i & 15] ^= (byte) (i * 13);
        }
        Cipher jdk = jdkCipher();
        jdk.init(Cipher.ENCRYPT_MODE, aesKey(key), spec(0x0102030405060708L, 0x090a0b0c));
        jdk.updateAAD(packet, 0, 12);
        byte[] expected = jdk.doFinal(packet, 12, textLength);
        new AesGcm(key).seal(0x0102030405060708L, 0x090a0b0c, packet, 0, 12, 0, 0, 12, textLength);
        return Arrays.equals(packet, 12, packet.length, expected, 0, expected.length);
    }

    @Override
    void seal(long nonceHigh, int nonceLow, byte[] a, int aadOff, int aadLen, int aad2Off, int aad2Len,
              int textOff, int textLen) {
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
        int tagOff = textOff + textLen;
        setLong(a, tagOff, ghash.high() ^ maskHigh);
        setLong(a, tagOff + 8, ghash.low() ^ maskLow);
    }

    @Override
    boolean open(long nonceHigh, int nonceLow, byte[] a, int aadOff, int aadLen, int aad2Off, int aad2Len,
                 int textOff, int textLen) {
        CryptoScratch s = CryptoScratch.get();
        hashAad(s, a, aadOff, aadLen, aad2Off, aad2Len);
        absorb(s, a, textOff, textLen);
        finish(s, aadLen + aad2Len, textLen);
        long counterLow = (long) nonceLow << 32;
        int n = Math.min(textLen, CHUNK - 16);
        aes.keystream(nonceHigh, counterLow | 1, 1 + blocks(n), s);
        int tagOff = textOff + textLen;
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
