package dev.prism.signaling.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.core.clock.FakeClock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * TURN REST credentials against vectors computed outside Java, with OpenSSL:
 * {@code printf '%s' "$USERNAME" | openssl dgst -sha1 -hmac "$SECRET" -binary | base64}
 * (and, for the hashed identity, {@code printf 'a%.0s' $(seq 200) | openssl dgst -sha256 -binary | base64 | tr '+/'
 * '-_' | tr -d '='}).
 */
class TurnCredentialsTest {
    private static final String SECRET = "prism-turn-secret-0123456789abcdefghij";
    private static final long NOW = 1_700_000_000L;

    static Stream<Arguments> vectors() {
        return Stream.of(
                // identity, ttl, username, password
                Arguments.of("alice", 3600, "1700003600:alice", "Qf0exLAYsKGxTm2io++I5mN+YJ0="),
                Arguments.of("bob", 3600, "1700003600:bob", "protqfhJEsp4F8Xd1+gm8b+pLlk="),
                Arguments.of("alice", 7200, "1700007200:alice", "DDJpGkd18GGOUybGfu368t3i5Cc="),
                // e-mail-like identities pass unchanged
                Arguments.of("a.b_c-d@example.com", 3600, "1700003600:a.b_c-d@example.com",
                        "/p1kka0ILXDjISlobtZZ0yVA2Vw="),
                // a colon in the identity cannot pose as a second expiry: it is encoded
                Arguments.of("eve:1700099999", 3600, "1700003600:eve%3A1700099999", "qOzedFwO+pqwe3fuZMkMhRfHX3w="),
                // non-ASCII, space and emoji: UTF-8 bytes as %XX
                Arguments.of("Zoë 🙂", 3600, "1700003600:Zo%C3%AB%20%F0%9F%99%82", "dvyG6tVjlsSx9ssWEYnhXK8BpCs="),
                // a literal ~ is encoded, so it can never look like the hashed form
                Arguments.of("~x", 3600, "1700003600:%7Ex", "veq0sT4FS5tZmGhTgoQ7BzkaZUo="),
                // too long for a username: ~ and the SHA-256 of the identity
                Arguments.of("a".repeat(200), 3600, "1700003600:~wqkI2Y9d-Yet5BtfziEwZ--8wh7yJAISpB5UtefCiuU",
                        "7tRy+IHp5zOxhfMyOmN79/ZagI8="));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("vectors")
    void mintsTheUsernameAndPasswordCoturnComputes(String identity, long ttl, String username, String password) {
        TurnCredentials.Credential c = new TurnCredentials(SECRET, ttl, () -> NOW).mint(identity);
        assertThat(c.username()).isEqualTo(username);
        assertThat(c.password()).isEqualTo(password);
        assertThat(c.expiresAtEpochSeconds()).isEqualTo(NOW + ttl);
        assertThat(c.toString()).doesNotContain(password);
    }

    @Test
    void expiryFollowsTheInjectedClock() {
        AtomicLong now = new AtomicLong(NOW);
        TurnCredentials turn = new TurnCredentials(SECRET, 600, now::get);
        assertThat(turn.mint("alice").username()).isEqualTo("1700000600:alice");
        now.addAndGet(45);
        assertThat(turn.mint("alice").username()).isEqualTo("1700000645:alice");
        FakeClock clock = new FakeClock();
        TurnCredentials fromWallClock = new TurnCredentials(SECRET, 60, () -> clock.wallMillis() / 1000);
        long before = fromWallClock.mint("x").expiresAtEpochSeconds();
        clock.advanceMillis(10_000);
        assertThat(fromWallClock.mint("x").expiresAtEpochSeconds()).isEqualTo(before + 10);
    }

    @Test
    void oneIdentitysPasswordDoesNotSignAnother() {
        TurnCredentials turn = new TurnCredentials(SECRET, 3600, () -> NOW);
        TurnCredentials.Credential alice = turn.mint("alice");
        String forged = alice.username().replace("alice", "bob");
        assertThat(turn.password(forged)).isNotEqualTo(alice.password());
        // a later expiry with alice's password is not alice's credential either
        assertThat(turn.password("1800000000:alice")).isNotEqualTo(alice.password());
        // another secret signs differently
        assertThat(new TurnCredentials(SECRET + "x", 3600, () -> NOW).mint("alice").password())
                .isNotEqualTo(alice.password());
    }

    @Test
    void everyUsernameHasOneColonAndDigitsBeforeIt() {
        TurnCredentials turn = new TurnCredentials(SECRET, 3600, () -> NOW);
        for (String identity : new String[] {"a:b:c", ":", "1:2", "\u0000\r\n", "x".repeat(128), "x".repeat(129),
                "ü".repeat(64), ""}) {
            String u = turn.mint(identity).username();
            assertThat(u).as(identity).matches("[0-9]+:[A-Za-z0-9._@%~-]*");
            assertThat(u.length()).as(identity).isLessThanOrEqualTo(11 + TurnCredentials.MAX_IDENTITY_CHARS);
        }
        assertThat(TurnCredentials.usernameIdentity("x".repeat(128))).isEqualTo("x".repeat(128));
        assertThat(TurnCredentials.usernameIdentity("x".repeat(129))).startsWith("~").hasSize(44);
    }

    @Test
    void refusesAShortSecretWithoutEchoingItAndANonPositiveLifetime() {
        assertThatThrownBy(() -> new TurnCredentials("short-secret", 60, () -> NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the TURN secret must be at least 32 characters");
        assertThatThrownBy(() -> new TurnCredentials(null, 60, () -> NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TurnCredentials(SECRET, 0, () -> NOW))
                .hasMessage("the TURN credential lifetime must be positive, got 0");
    }
}
