package dev.prism.server.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every participant, local or cluster-proxied, is owned by sfu-signaling's {@code ParticipantSession} (docs/CLUSTER.md,
 * "What a proxied participant gets"): no module's main sources implement {@code ConferenceListener} otherwise. A second
 * implementation (say, a "remote participant" listener forwarding events over the link) would have to handle every
 * listener method itself and would silently drop the ones added later; {@code ConferenceListenerCoverageTest} checks
 * that the one session handles them all.
 */
class ConferenceListenerOwnersTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).resolve("..").normalize();
    private static final Pattern IMPLEMENTS = Pattern.compile(
            "implements[^{]*\\bConferenceListener\\b|new\\s+(dev\\.prism\\.conference\\.)?ConferenceListener\\s*\\(");

    @Test
    void onlyTheParticipantSessionImplementsConferenceListener() throws IOException {
        List<String> owners;
        try (Stream<Path> files = Files.walk(ROOT)) {
            owners = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/"))
                    .filter(p -> !p.toString().contains("/node_modules/"))
                    .filter(ConferenceListenerOwnersTest::implementsListener)
                    .map(p -> ROOT.relativize(p).toString())
                    .toList();
        }
        assertThat(owners).containsExactly(
                "sfu-signaling/src/main/java/dev/prism/signaling/session/ParticipantSession.java");
    }

    private static boolean implementsListener(Path p) {
        try {
            return IMPLEMENTS.matcher(Files.readString(p)).find();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
