package dev.prism.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SrtpImplementationTest {
    @ParameterizedTest
    @CsvSource({"prism, PRISM", "jitsi, JITSI", "' Jitsi ', JITSI", "PRISM, PRISM"})
    void configNamesSelectTheImplementation(String name, SrtpImplementation expected) {
        assertThat(SrtpImplementation.fromConfigName(name)).isEqualTo(expected);
        assertThat(expected.configName()).isEqualTo(expected.toString()).isEqualTo(name.trim().toLowerCase());
    }

    @Test
    void anUnknownNameIsAClearError() {
        assertThatThrownBy(() -> SrtpImplementation.fromConfigName("openssl"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("unknown SRTP implementation 'openssl', expected one of prism, jitsi");
    }

    @Test
    void sessionsSayWhichImplementationTheyAre() {
        SrtpKeyingMaterial keys = SrtpTestPackets.sampleKeys(SrtpProfile.AEAD_AES_128_GCM);
        for (SrtpImplementation impl : SrtpImplementation.values()) {
            SrtpSession session = impl.create(SrtpProfile.AEAD_AES_128_GCM, keys, true);
            assertThat(session.implementation()).isEqualTo(impl);
            assertThat(session.profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
            session.close();
        }
        assertThat(SrtpSession.create(SrtpProfile.AEAD_AES_128_GCM, keys, true).implementation())
            .isEqualTo(SrtpImplementation.DEFAULT);
    }
}
