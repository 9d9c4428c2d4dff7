package dev.prism.rtp.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The router's sub-packages depend one way: the room entry on both sides, the downlink on the uplink, both on the
 * shared RTCP helpers, and nothing back. Read from the sources, so a new import that closes a cycle fails here.
 */
class RouterDependencyTest {
    private static final Path ROUTER = Path.of("src/main/java/dev/prism/rtp/router");

    @Test
    void theUplinkNeverNamesTheDownlinkOrTheRoom() throws IOException {
        assertThat(offending("uplink", "dev.prism.rtp.router.downlink", "dev.prism.rtp.router.RoomRouter")).isEmpty();
    }

    @Test
    void theSharedRtcpHelpersNameNeitherSide() throws IOException {
        assertThat(offending("rtcp", "dev.prism.rtp.router.downlink", "dev.prism.rtp.router.uplink",
                "dev.prism.rtp.router.RoomRouter")).isEmpty();
    }

    @Test
    void theDownlinkDoesNotNameTheRoom() throws IOException {
        assertThat(offending("downlink", "dev.prism.rtp.router.RoomRouter")).isEmpty();
    }

    /** Files of {@code subPackage} that mention any of {@code forbidden} (imports or qualified names). */
    private static List<String> offending(String subPackage, String... forbidden) throws IOException {
        Path dir = ROUTER.resolve(subPackage);
        assertThat(dir).isDirectory();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).filter(f -> {
                String text = read(f);
                return Stream.of(forbidden).anyMatch(text::contains);
            }).map(f -> f.getFileName().toString()).toList();
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
