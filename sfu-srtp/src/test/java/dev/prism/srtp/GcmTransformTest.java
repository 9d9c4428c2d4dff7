package dev.prism.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The RFC 7714 packet layouts over both AES-GCM implementations: Prism's own and the JDK fallback make the same bytes
 * and open each other's packets, RTP and SRTCP, including unencrypted SRTCP (E=0), built here by hand from the
 * RFC's IV formula.
 */
class GcmTransformTest {
    private static final byte[] KEY = SrtpTestPackets.hex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] SALT = SrtpTestPackets.hex("a0a1a2a3a4a5a6a7a8a9aaab");

    @Test
    void ownAndJdkImplementationsAreInterchangeable() {
        GcmTransform own = new GcmTransform(new AesGcm(KEY), SALT);
        GcmTransform jdk = new GcmTransform(new JdkGcm(KEY), SALT);
        Random random = new Random(7714);
        for (int i = 0; i < 40; i++) {
            int header = 12 + 4 * random.nextInt(3);
            int len = header + random.nextInt(1300);
            byte[] plain = AesGcmTest.bytes(random, len);
            int ssrc = random.nextInt();
            long index = random.nextLong() & 0xFFFF_FFFF_FFFFL;
            int off = random.nextInt(5);
            byte[] a = new byte[off + len + SrtpSession.MAX_TRAILER];
            System.arraycopy(plain, 0, a, off, len);
            byte[] b = a.clone();

            own.protectRtp(a, off, len, header, ssrc, index);
            jdk.protectRtp(b, off, len, header, ssrc, index);
            assertThat(a).as("RTP %d", i).isEqualTo(b);
            assertThat(jdk.unprotectRtp(a, off, len + 16, header, ssrc, index)).isTrue();
            assertThat(own.unprotectRtp(b, off, len + 16, header, ssrc, index)).isTrue();
            assertThat(Arrays.copyOfRange(a, off, off + len)).isEqualTo(plain);
            assertThat(Arrays.copyOfRange(b, off, off + len)).isEqualTo(plain);

            int srtcpIndex = random.nextInt() & 0x7FFFFFFF;
            System.arraycopy(plain, 0, a, off, len);
            System.arraycopy(plain, 0, b, off, len);
            own.protectRtcp(a, off, len, ssrc, srtcpIndex);
            jdk.protectRtcp(b, off, len, ssrc, srtcpIndex);
            assertThat(a).as("RTCP %d", i).isEqualTo(b);
            int word = CryptoScratch.getInt(a, off + len + 16);
            assertThat(word).isEqualTo(0x80000000 | srtcpIndex);
            assertThat(jdk.unprotectRtcp(a, off, len + 20, ssrc, word)).isTrue();
            assertThat(own.unprotectRtcp(b, off, len + 20, ssrc, word)).isTrue();
            assertThat(Arrays.copyOfRange(a, off, off + len)).isEqualTo(plain);
        }
    }

    /** RFC 7714 9.2: with E=0 the whole packet and the index word are additional data, the plaintext empty. */
    @Test
    void unencryptedSrtcpIsAuthenticatedOnly() {
        byte[] rtcp = SrtpTestPackets.compoundRtcp(0x11223344);
        int index = 77;
        byte[] packet = Arrays.copyOf(rtcp, rtcp.length + 20);
        CryptoScratch.setInt(packet, rtcp.length + 16, index); // E = 0
        // IV = salt ^ (00 00 || SSRC || 00 00 || index), with the session salt and key of this test's "session"
        long ivHigh = CryptoScratch.getLong(SALT, 0) ^ (0x11223344L << 16);
        int ivLow = CryptoScratch.getInt(SALT, 8) ^ index;
        new JdkGcm(KEY).seal(ivHigh, ivLow, packet, 0, rtcp.length, rtcp.length + 16, 4, rtcp.length, 0);

        for (GcmCipher gcm : new GcmCipher[] {new AesGcm(KEY), new JdkGcm(KEY)}) {
            GcmTransform t = new GcmTransform(gcm, SALT);
            byte[] copy = packet.clone();
            assertThat(t.unprotectRtcp(copy, 0, copy.length, 0x11223344, index)).isTrue();
            assertThat(Arrays.copyOf(copy, rtcp.length)).as("left in the clear").isEqualTo(rtcp);
            copy[20] ^= 1;
            assertThat(t.unprotectRtcp(copy, 0, copy.length, 0x11223344, index)).as("tampered").isFalse();
        }
    }
}
