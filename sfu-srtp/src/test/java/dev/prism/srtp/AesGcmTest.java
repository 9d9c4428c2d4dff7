package dev.prism.srtp;

import static dev.prism.srtp.SrtpTestPackets.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both AES-GCM implementations against the published test cases of the GCM specification (McGrew and Viega, test
 * cases 1-4, the AES-128 ones NIST's validation suite repeats) and against the JDK's own AES/GCM on random inputs:
 * lengths around block and chunk edges, additional data in one or two pieces, in place at odd offsets, tampering.
 */
class AesGcmTest {
    /** Prism's own (the tests run with the add-opens flag that it needs) and the JDK fallback. */
    enum Impl {
        OWN(AesGcm::new),
        JDK(JdkGcm::new);

        final Function<byte[], GcmCipher> make;

        Impl(Function<byte[], GcmCipher> make) {
            this.make = make;
        }

        GcmCipher gcm(byte[] key) {
            return make.apply(key);
        }
    }

    // key, nonce, plaintext, additional data, ciphertext, tag
    private static final String[][] VECTORS = {
        {"00000000000000000000000000000000", "000000000000000000000000", "", "", "",
            "58e2fccefa7e3061367f1d57a4e7455a"},
        {"00000000000000000000000000000000", "000000000000000000000000", "00000000000000000000000000000000", "",
            "0388dace60b6a392f328c2b971b2fe78", "ab6e47d42cec13bdf53a67b21257bddf"},
        {"feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525"
                + "b16aedf5aa0de657ba637b391aafd255", "",
            "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa05"
                + "1ba30b396a0aac973d58e091473f5985", "4d5c2af327cd64a62cf35abd2ba6fab4"},
        {"feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525"
                + "b16aedf5aa0de657ba637b39", "feedfacedeadbeeffeedfacedeadbeefabaddad2",
            "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa05"
                + "1ba30b396a0aac973d58e091", "5bc94fbc3221a5db94fae95ae7121a47"},
    };

    @ParameterizedTest
    @EnumSource(Impl.class)
    void publishedTestCases(Impl hash) {
        for (String[] v : VECTORS) {
            byte[] key = hex(v[0]);
            byte[] nonce = hex(v[1]);
            byte[] plain = hex(v[2]);
            byte[] aad = hex(v[3]);
            byte[] expected = concat(aad, hex(v[4]), hex(v[5]));
            // layout: aad || text || tag, sealed in place
            byte[] a = concat(aad, plain, new byte[16]);
            GcmCipher gcm = hash.gcm(key);
            seal(gcm, nonce, a, 0, aad.length, 0, 0, aad.length, plain.length);
            assertThat(a).as("seal %s", v[4]).isEqualTo(expected);
            assertThat(open(gcm, nonce, a, 0, aad.length, 0, 0, aad.length, plain.length)).isTrue();
            assertThat(Arrays.copyOfRange(a, aad.length, aad.length + plain.length)).isEqualTo(plain);
        }
    }

    /** Random lengths around block and chunk edges, AAD in one or two pieces, against javax.crypto's AES/GCM. */
    @ParameterizedTest
    @EnumSource(Impl.class)
    void matchesTheJdkOnRandomInputs(Impl hash) throws Exception {
        Random random = new Random(7714);
        int[] lengths = {0, 1, 15, 16, 17, 31, 160, 1000, 1188, 2031, 2032, 2033, 2048, 4100, 9000};
        for (int round = 0; round < 60; round++) {
            byte[] key = bytes(random, 16);
            byte[] nonce = bytes(random, 12);
            int textLen = lengths[round % lengths.length];
            int aad1 = random.nextInt(40);
            int aad2 = round % 3 == 0 ? random.nextInt(9) : 0;
            int gap = random.nextInt(5); // the second AAD piece sits after the tag, like SRTCP's index word
            byte[] text = bytes(random, textLen);
            byte[] aadBytes = bytes(random, aad1 + aad2);

            Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            jdk.updateAAD(aadBytes);
            byte[] expected = jdk.doFinal(text); // ciphertext || tag

            int off = random.nextInt(7);
            byte[] a = new byte[off + aad1 + textLen + 16 + gap + aad2 + 3];
            System.arraycopy(aadBytes, 0, a, off, aad1);
            System.arraycopy(text, 0, a, off + aad1, textLen);
            int aad2Off = off + aad1 + textLen + 16 + gap;
            System.arraycopy(aadBytes, aad1, a, aad2Off, aad2);
            GcmCipher gcm = hash.gcm(key);
            seal(gcm, nonce, a, off, aad1, aad2Off, aad2, off + aad1, textLen);
            assertThat(Arrays.copyOfRange(a, off + aad1, off + aad1 + textLen + 16))
                .as("round %d, %d bytes, aad %d+%d", round, textLen, aad1, aad2).isEqualTo(expected);

            byte[] sealed = a.clone();
            assertThat(open(gcm, nonce, a, off, aad1, aad2Off, aad2, off + aad1, textLen)).isTrue();
            assertThat(Arrays.copyOfRange(a, off + aad1, off + aad1 + textLen)).isEqualTo(text);

            // Any flipped bit of AAD, ciphertext or tag fails, and a failed open leaves the bytes alone.
            int[] flips = {off, off + aad1 + textLen / 2, off + aad1 + textLen + 15, aad2Off + aad2 - 1};
            for (int at : flips) {
                if (at < off || (at >= off + aad1 + textLen + 16 && aad2 == 0)) {
                    continue;
                }
                byte[] tampered = sealed.clone();
                tampered[at] ^= 0x04;
                byte[] before = tampered.clone();
                assertThat(open(gcm, nonce, tampered, off, aad1, aad2Off, aad2, off + aad1, textLen))
                    .as("flip at %d", at).isFalse();
                assertThat(tampered).isEqualTo(before);
            }
        }
    }

    private static void seal(GcmCipher gcm, byte[] nonce, byte[] a, int aadOff, int aadLen, int aad2Off,
                             int aad2Len, int textOff, int textLen) {
        gcm.seal(CryptoScratch.getLong(nonce, 0), CryptoScratch.getInt(nonce, 8), a, aadOff, aadLen, aad2Off,
            aad2Len, textOff, textLen);
    }

    private static boolean open(GcmCipher gcm, byte[] nonce, byte[] a, int aadOff, int aadLen, int aad2Off,
                                int aad2Len, int textOff, int textLen) {
        return gcm.open(CryptoScratch.getLong(nonce, 0), CryptoScratch.getInt(nonce, 8), a, aadOff, aadLen, aad2Off,
            aad2Len, textOff, textLen);
    }

    @Test
    void theOwnImplementationIsChosenWhenTheJdkGhashIsReachable() {
        assertThat(Ghash.available()).as("tests run with the add-opens flag (sfu-rtp pom)").isTrue();
        assertThat(AesGcm.agreesWithTheJdk()).isTrue();
        assertThat(GcmCipher.allocationFree()).isTrue();
        assertThat(GcmCipher.create(new byte[16])).isInstanceOf(AesGcm.class);
    }

    static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
