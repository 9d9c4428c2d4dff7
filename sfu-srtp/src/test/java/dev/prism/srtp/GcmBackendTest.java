package dev.prism.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Which AES-GCM backend Prism's implementation runs: its own over the JDK's GHASH ({@code Ghash}, reachable with
 * {@code --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED}) or, without it, the JDK's cipher. The build runs
 * this class in two JVMs (sfu-srtp's pom: {@code default-test} with the flag, {@code portable-gcm} without), each
 * saying in {@code prism.test.jdkGhash} which backend it must get; the known-answer and cross tests run in both.
 */
class GcmBackendTest {
    @Test
    void theBackendIsTheOneThisJvmAllows() {
        String expected = System.getProperty("prism.test.jdkGhash");
        assertThat(GcmCipher.allocationFree()).as("own AES-GCM exactly when the JDK's GHASH is reachable")
            .isEqualTo(Ghash.available());
        if (expected != null) { // set by the build; an IDE run checks the rest
            assertThat(expected).isIn("open", "closed");
            assertThat(Ghash.available()).as("JDK GHASH reachable with prism.test.jdkGhash=%s", expected)
                .isEqualTo(expected.equals("open"));
        }
        assertThat(GcmCipher.create(new byte[16])).isInstanceOf(Ghash.available() ? AesGcm.class : JdkGcm.class);
    }

    @Test
    void theChosenBackendSealsAndOpensLikeTheJdkAtEverySize() {
        Random random = new Random(7);
        byte[] key = new byte[16];
        random.nextBytes(key);
        GcmCipher chosen = GcmCipher.create(key);
        GcmCipher jdk = new JdkGcm(key);
        for (int len = 0; len <= 1500; len += 1 + len / 8) {
            byte[] plain = new byte[12 + len + GcmCipher.TAG_LENGTH];
            random.nextBytes(plain);
            byte[] a = plain.clone();
            byte[] b = plain.clone();
            chosen.seal(0x0102030405060708L, len, a, 0, 12, 0, 0, 12, len);
            jdk.seal(0x0102030405060708L, len, b, 0, 12, 0, 0, 12, len);
            assertThat(a).as("%d bytes", len).isEqualTo(b);
            assertThat(chosen.open(0x0102030405060708L, len, a, 0, 12, 0, 0, 12, len)).isTrue();
            assertThat(Arrays.copyOf(a, 12 + len)).as("opened, %d bytes", len).isEqualTo(Arrays.copyOf(plain, 12 + len));
        }
    }
}
