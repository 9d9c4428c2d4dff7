package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.rtp.transport.MediaEngine;
import dev.prism.srtp.SrtpImplementation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code PrismConfig.srtpImplementation()} reaches every media engine of a started node. */
class SrtpImplementationWiringTest {
    @ParameterizedTest
    @EnumSource(SrtpImplementation.class)
    void theConfiguredImplementationRunsOnEveryMediaThread(SrtpImplementation srtp) {
        PrismServer server = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret("wiring-test-secret-0123456789abcdef")
                .mediaThreads(2).srtpImplementation(srtp.configName()).build());
        try {
            assertThat(server.media().engines()).hasSize(2).extracting(MediaEngine::srtp).containsOnly(srtp);
        } finally {
            server.close();
        }
    }
}
