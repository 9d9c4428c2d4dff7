package dev.prism.signaling.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Signaling talks to the media plane only through the conference (sfu-conference): no main source file of this module
 * may name a type of sfu-rtp's router. A regression fails the build here, with the offending lines.
 */
class LayeringTest {
    private static final Path MAIN = Path.of("src/main/java");

    @Test
    void signalingNamesNoRouterType() throws IOException {
        assertThat(MAIN).isDirectory();
        List<String> offending = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).contains("dev.prism.rtp.router")) {
                        offending.add(MAIN.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertThat(offending).as("signaling must call the conference, not the router").isEmpty();
    }
}
