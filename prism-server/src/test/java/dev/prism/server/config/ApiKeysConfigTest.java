package dev.prism.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --api-key ID=SECRET} (repeatable), {@code PRISM_API_KEYS} and the config file's {@code apiKeys}. */
class ApiKeysConfigTest {
    private static final String K1 = "k1=" + "a".repeat(32);
    private static final String K2 = "k2=" + "b".repeat(32);

    @Test
    void repeatedOptionsEnvironmentAndFile(@TempDir Path dir) throws Exception {
        assertThat(CommandLine.parse(new String[] {"--api-key", K1, "--api-key", K2}, Map.of()).apiKeys())
                .containsExactly(K1, K2);
        assertThat(CommandLine.parse(new String[0], Map.of("PRISM_API_KEYS", K1 + ", " + K2)).apiKeys())
                .containsExactly(K1, K2);
        Path file = dir.resolve("prism.json");
        Files.writeString(file, "{\"apiKeys\": [\"" + K2 + "\"]}");
        assertThat(CommandLine.parse(new String[] {"--config", file.toString()}, Map.of()).apiKeys())
                .containsExactly(K2);
        assertThat(CommandLine.help()).contains("--api-key ID=SECRET", "PRISM_API_KEYS", "\"apiKeys\"");
    }

    @Test
    void badEntriesAreRefusedWithoutEchoingTheSecret() {
        for (List<String> bad : List.of(List.of("k1"), List.of("k1=short-secret"), List.of(K1, K1),
                List.of("default=" + "c".repeat(32)), List.of("bad id=" + "c".repeat(32)))) {
            String[] args = bad.stream().flatMap(e -> java.util.stream.Stream.of("--api-key", e))
                    .toArray(String[]::new);
            UsageException e = catchThrowableOfType(UsageException.class, () -> CommandLine.parse(args, Map.of()));
            assertThat(e).as("%s", bad).isNotNull();
            assertThat(e.getMessage()).contains("apiKey").doesNotContain("short-secret", "a".repeat(32),
                    "c".repeat(32));
        }
    }
}
