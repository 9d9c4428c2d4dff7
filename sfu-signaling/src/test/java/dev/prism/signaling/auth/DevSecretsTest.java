package dev.prism.signaling.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import org.junit.jupiter.api.Test;

class DevSecretsTest {
    private static final String API = "configured-api-secret-0123456789abcdef";
    private static final String ADMIN = "configured-admin-secret-0123456789abcdef";

    @Test
    void generatesTwoDistinctUrlSafeSecretsOf32RandomBytes() {
        DevSecrets a = DevSecrets.generate();
        DevSecrets b = DevSecrets.generate();
        assertThat(a.apiSecret()).matches("[A-Za-z0-9_-]{43}"); // 32 bytes in unpadded base64url
        assertThat(a.adminSecret()).matches("[A-Za-z0-9_-]{43}");
        assertThat(a.apiSecret()).isNotEqualTo(a.adminSecret());
        assertThat(a.apiSecret()).isNotEqualTo(b.apiSecret());
    }

    @Test
    void generatedSecretsPassTheSameChecksAsConfiguredOnes() throws TokenException {
        DevSecrets dev = DevSecrets.generate();
        PrismConfig.builder().apiSecret(dev.apiSecret()).adminSecret(dev.adminSecret()).build();
        TokenService tokens = new TokenService(dev.apiSecret(), () -> 1_000);
        String jwt = tokens.issue(AccessToken.grant("demo", "alice", null, 1_000, 60));
        assertThat(tokens.verify(jwt).identity()).isEqualTo("alice");
    }

    @Test
    void developmentModeUsesTheGeneratedSecrets() {
        DevSecrets dev = DevSecrets.generate();
        PrismConfig config = PrismConfig.defaults();
        assertThat(dev.apiSecretFor(config)).isEqualTo(dev.apiSecret());
        assertThat(dev.adminSecretFor(config)).isEqualTo(dev.adminSecret());
    }

    @Test
    void configuredSecretsWin() {
        DevSecrets dev = DevSecrets.generate();
        PrismConfig config = PrismConfig.builder().apiSecret(API).adminSecret(ADMIN).build();
        assertThat(dev.apiSecretFor(config)).isEqualTo(API);
        assertThat(dev.adminSecretFor(config)).isEqualTo(ADMIN);
    }

    @Test
    void devModeWithAConfiguredAdminSecretKeepsIt() {
        DevSecrets dev = DevSecrets.generate();
        PrismConfig config = PrismConfig.builder().adminSecret(ADMIN).build();
        assertThat(dev.apiSecretFor(config)).isEqualTo(dev.apiSecret());
        assertThat(dev.adminSecretFor(config)).isEqualTo(ADMIN);
    }

    @Test
    void productionWithoutAdminSecretDisablesTheAdminApi() {
        DevSecrets dev = DevSecrets.generate();
        PrismConfig config = PrismConfig.builder().apiSecret(API).build();
        assertThat(dev.apiSecretFor(config)).isEqualTo(API);
        assertThat(dev.adminSecretFor(config)).isNull();
    }

    @Test
    void toStringHidesBothSecrets() {
        DevSecrets dev = DevSecrets.generate();
        assertThat(dev.toString()).doesNotContain(dev.apiSecret()).doesNotContain(dev.adminSecret());
    }
}
