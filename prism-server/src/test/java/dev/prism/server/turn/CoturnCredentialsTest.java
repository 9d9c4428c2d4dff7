package dev.prism.server.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.signaling.auth.TurnCredentials;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Prism's TURN credentials against the real coturn running deploy/coturn/turnserver.conf: a fresh credential
 * allocates a relay; an expired one, one whose identity was changed, one signed with another secret and one with a
 * forged later expiry are refused (401). coturn is started here on loopback and stopped after the class.
 */
class CoturnCredentialsTest {
    private static final String SECRET = "coturn-test-shared-secret-0123456789abcdef";
    private static Coturn coturn;

    @BeforeAll
    static void start() {
        assertThat(Coturn.installed()).as("coturn (Debian package coturn; ./test installs it)").isTrue();
        coturn = Coturn.start("127.0.0.1", Coturn.freePort(), Coturn.freePort(), SECRET, List.of());
    }

    @AfterAll
    static void stop() {
        if (coturn != null) {
            coturn.close();
        }
    }

    private static TurnAllocateClient.Outcome allocate(String username, String password) throws Exception {
        return TurnAllocateClient.allocate(coturn.udpAddress(), username, password);
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    @Test
    void aFreshCredentialAllocates() throws Exception {
        TurnCredentials.Credential c = new TurnCredentials(SECRET, 600, CoturnCredentialsTest::now).mint("alice");
        TurnAllocateClient.Outcome outcome = allocate(c.username(), c.password());
        assertThat(outcome.allocated()).as("%s\n%s", outcome, coturn.log()).isTrue();
    }

    @Test
    void anIdentityThatNeedsEncodingAllocatesToo() throws Exception {
        TurnCredentials.Credential c = new TurnCredentials(SECRET, 600, CoturnCredentialsTest::now)
                .mint("Zoë: the \"admin\"");
        TurnAllocateClient.Outcome outcome = allocate(c.username(), c.password());
        assertThat(outcome.allocated()).as("%s\n%s", outcome, coturn.log()).isTrue();
    }

    @Test
    void anExpiredCredentialIsRefused() throws Exception {
        // minted two hours ago with a one-hour lifetime
        TurnCredentials.Credential c = new TurnCredentials(SECRET, 3600, () -> now() - 7200).mint("alice");
        assertThat(c.expiresAtEpochSeconds()).isLessThan(now());
        assertThat(allocate(c.username(), c.password()).errorCode()).isEqualTo(401);
    }

    @Test
    void anotherIdentityCannotUseTheCredential() throws Exception {
        TurnCredentials.Credential alice = new TurnCredentials(SECRET, 600, CoturnCredentialsTest::now).mint("alice");
        assertThat(allocate(alice.username().replace(":alice", ":bob"), alice.password()).errorCode()).isEqualTo(401);
    }

    @Test
    void aLaterExpiryCannotBeForged() throws Exception {
        TurnCredentials.Credential alice = new TurnCredentials(SECRET, 600, CoturnCredentialsTest::now).mint("alice");
        String later = (alice.expiresAtEpochSeconds() + 86_400) + ":alice";
        assertThat(allocate(later, alice.password()).errorCode()).isEqualTo(401);
    }

    @Test
    void anotherSecretIsRefused() throws Exception {
        TurnCredentials.Credential c = new TurnCredentials(SECRET + "-other", 600, CoturnCredentialsTest::now)
                .mint("alice");
        assertThat(allocate(c.username(), c.password()).errorCode()).isEqualTo(401);
    }
}
