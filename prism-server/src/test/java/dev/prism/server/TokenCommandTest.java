package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.ServerApiTokens;
import dev.prism.signaling.auth.TokenException;
import dev.prism.signaling.auth.TokenService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenCommandTest {
    private static final String SECRET = "cli-secret-cli-secret-cli-secret-0123456";
    private static final String KEY = "cli-key-two-cli-key-two-cli-key-two-0123";
    private final TokenService node = TokenService.withExtraKeys(SECRET, Map.of("k2", KEY),
            TokenService.SYSTEM_EPOCH_SECONDS, 86_400);

    @Test
    void aParticipantTokenWithItsGrants() throws TokenException {
        String jwt = TokenCommand.token(List.of("--room", "demo", "--identity", "bot", "--no-publish", "--no-data",
                "--ttl", "120"), Map.of("PRISM_API_SECRET", SECRET));
        AccessToken t = node.verify(jwt);
        assertThat(t.room()).isEqualTo("demo");
        assertThat(t.identity()).isEqualTo("bot");
        assertThat(t.canPublish()).isFalse();
        assertThat(t.canSubscribe()).isTrue();
        assertThat(t.canData()).isFalse();
        assertThat(t.expiresAtEpochSeconds() - t.issuedAtEpochSeconds()).isEqualTo(120);
    }

    @Test
    void aRoomAdminTokenSignedWithANamedKeyFromTheEnvironment() throws TokenException {
        String jwt = TokenCommand.token(List.of("--room-admin", "--kid", "k2"),
                Map.of("PRISM_API_KEYS", "k1=" + "x".repeat(32) + ", k2=" + KEY));
        assertThat(new ServerApiTokens(node).verify(jwt).subject()).isEqualTo("prism-token");
    }

    @Test
    void usageErrorsSayWhatIsMissingAndNeverPrintTheSecret() {
        assertThatThrownBy(() -> TokenCommand.token(List.of("--room", "r"), Map.of("PRISM_API_SECRET", SECRET)))
                .hasMessageContaining("--identity");
        assertThatThrownBy(() -> TokenCommand.token(List.of("--room-admin"), Map.of()))
                .hasMessageContaining("secret of at least 32");
        assertThatThrownBy(() -> TokenCommand.token(List.of("--room-admin", "--ttl", "-5"),
                Map.of("PRISM_API_SECRET", SECRET))).hasMessageContaining("--ttl");
        assertThatThrownBy(() -> TokenCommand.token(List.of("--bogus"), Map.of())).hasMessageContaining("--bogus");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TokenCommand.run(new String[] {"--room-admin", "--room", "r", "--secret", SECRET}, Map.of(),
                new PrintStream(out), new PrintStream(err));
        assertThat(status).isEqualTo(2);
        assertThat(out.size()).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("name no room").doesNotContain(SECRET);
    }
}
