package dev.prism.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link ChromiumParticipant} on a one-node bench (no Redis): two Chromium pages join one room through nginx, their
 * media straight to the node's advertised address, and each decodes the other's video. The helper the kill -9 media
 * test of cluster mode builds on.
 */
@Tag("browser")
class ChromiumParticipantSmokeTest {

    @Test
    void twoPagesThroughNginxDecodeEachOthersVideo() {
        try (ClusterBench bench = ClusterBench.builder().nodes(1).redis(false).mediaForBrowsers().start()) {
            long start = System.nanoTime();
            List<ChromiumParticipant> pages = ChromiumParticipant.joinAll(bench, "smoke", List.of("ann", "ben"));
            try {
                System.out.printf("[bench] 2 Chromium pages joined through nginx in %.2f s%n",
                        (System.nanoTime() - start) / 1e9);
                for (ChromiumParticipant page : pages) {
                    Duration took = page.awaitDecodingVideoFrom(1, Duration.ofSeconds(30));
                    System.out.printf("[bench] %s decoding video from 1 peer after %d ms more%n", page.name(),
                            took.toMillis());
                    assertThat(page.participantId()).isNotNull();
                }
                assertThat(bench.distribution("smoke")).containsEntry("node-1", 2);
            } finally {
                pages.forEach(ChromiumParticipant::close);
            }
        }
    }
}
