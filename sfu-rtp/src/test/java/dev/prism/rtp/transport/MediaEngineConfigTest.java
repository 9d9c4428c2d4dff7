package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.core.clock.FakeClock;
import dev.prism.srtp.SrtpImplementation;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MediaEngineConfigTest {
    private static final MediaEngineConfig BASE =
        new MediaEngineConfig("127.0.0.1", 40000, "192.0.2.1", Duration.ofSeconds(30), new FakeClock());

    @Test
    void theDefaultSrtpImplementationIsPrisms() {
        assertThat(BASE.srtp()).isEqualTo(SrtpImplementation.PRISM).isEqualTo(SrtpImplementation.DEFAULT);
    }

    @Test
    void withSrtpChangesOnlyTheImplementationAndWithPortKeepsIt() {
        MediaEngineConfig jitsi = BASE.withSrtp(SrtpImplementation.JITSI);
        assertThat(jitsi.srtp()).isEqualTo(SrtpImplementation.JITSI);
        assertThat(jitsi.withSrtp(SrtpImplementation.PRISM)).isEqualTo(BASE);
        MediaEngineConfig moved = jitsi.withPort(40001);
        assertThat(moved.srtp()).isEqualTo(SrtpImplementation.JITSI);
        assertThat(moved.port()).isEqualTo(40001);
    }

    @Test
    void aMissingImplementationIsRefused() {
        assertThatThrownBy(() -> BASE.withSrtp(null)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("srtp");
    }
}
