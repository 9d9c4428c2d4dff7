package dev.prism.srtp;

import static dev.prism.srtp.SrtpTestPackets.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The building blocks of AES_CM_128_HMAC_SHA1_80 and the key derivation, against published vectors. */
class SrtpPrimitivesTest {
    /** RFC 3711 B.2: the AES-CM keystream for SSRC 0, index 0 under a given session key and salt. */
    @Test
    void aesCmKeystreamMatchesRfc3711AppendixB2() {
        AesCm cm = new AesCm(hex("2B7E151628AED2A6ABF7158809CF4F3C"), hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"));
        byte[] zeros = new byte[48];
        cm.crypt(0, 0, zeros, 0, zeros.length);
        assertThat(zeros).isEqualTo(hex(
            "E03EAD0935C95E80E166B16DD92B4EB4"      // counter 0000
            + "D23513162B02D0F72A43A2FE4A5F97AB"    // counter 0001
            + "41E95B3BB0A2E8DD477901E4FCA894C0")); // counter 0002
    }

    @Test
    void aesCmIsItsOwnInverseAtAnyOffsetAndLength() {
        AesCm cm = new AesCm(hex("2B7E151628AED2A6ABF7158809CF4F3C"), hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"));
        Random random = new Random(3711);
        for (int len : new int[] {0, 1, 7, 16, 33, 1188, 2048, 5000}) {
            byte[] plain = AesGcmTest.bytes(random, len + 9);
            byte[] a = plain.clone();
            cm.crypt(0x1234, 0x1_0000_0005L, a, 9, len);
            cm.crypt(0x1234, 0x1_0000_0005L, a, 9, len);
            assertThat(a).isEqualTo(plain);
        }
    }

    /** RFC 3711 B.3: session keys from the master key and salt. */
    @Test
    void keyDerivationMatchesRfc3711AppendixB3() {
        SrtpKdf kdf = new SrtpKdf(hex("E1F97A0D3E018BE0D64FA32C06DE4139"), hex("0EC675AD498AFEEBB6960B3AABE6"));
        assertThat(kdf.derive(SrtpKdf.RTP_ENCRYPTION, 16)).isEqualTo(hex("C61E7A93744F39EE10734AFE3FF7A087"));
        assertThat(kdf.derive(SrtpKdf.RTP_SALT, 14)).isEqualTo(hex("30CBBC08863D8C85D49DB34A9AE1"));
        assertThat(kdf.derive(SrtpKdf.RTP_AUTHENTICATION, 20))
            .isEqualTo(hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));
    }

    /** RFC 2202 test cases 1-3 (keys no longer than a block, as SRTP's 20-byte ones). */
    @Test
    void hmacSha1MatchesRfc2202() {
        String[][] rows = {
            // key, data, digest
            {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", hexOf("Hi There"), "b617318655057264e28bc0b6fb378c8ef146be00"},
            {hexOf("Jefe"), hexOf("what do ya want for nothing?"), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
            {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "dd".repeat(50), "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
        };
        for (String[] row : rows) {
            byte[] data = hex(row[1]);
            new HmacSha1(hex(row[0])).mac(data, 0, data.length, false, 0, CryptoScratch.get());
            assertThat(CryptoScratch.get().digest).as(row[2]).isEqualTo(hex(row[2]));
        }
    }

    @Test
    void hmacSha1WithSuffixMatchesTheJdkMac() throws Exception {
        Random random = new Random(2104);
        for (int len : new int[] {0, 12, 55, 56, 63, 64, 65, 1200}) {
            byte[] key = AesGcmTest.bytes(random, 20);
            byte[] data = AesGcmTest.bytes(random, len + 3);
            int suffix = random.nextInt();
            Mac jdk = Mac.getInstance("HmacSHA1");
            jdk.init(new SecretKeySpec(key, "HmacSHA1"));
            jdk.update(data, 3, len);
            jdk.update(new byte[] {(byte) (suffix >>> 24), (byte) (suffix >>> 16), (byte) (suffix >>> 8),
                (byte) suffix});
            new HmacSha1(key).mac(data, 3, len, true, suffix, CryptoScratch.get());
            assertThat(CryptoScratch.get().digest).isEqualTo(jdk.doFinal());
        }
    }

    @Test
    void ghashRefusesRangesOutsideTheArray() {
        Ghash g = new Ghash(1, 2);
        byte[] a = new byte[32];
        for (int[] bad : new int[][] {{-16, 16}, {16, 32}, {0, 48}, {0, 15}}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> g.update(a, bad[0], bad[1]))
                .as(Arrays.toString(bad)).isInstanceOf(RuntimeException.class);
        }
    }

    private static String hexOf(String ascii) {
        return java.util.HexFormat.of().formatHex(ascii.getBytes(StandardCharsets.US_ASCII));
    }
}
