package dev.prism.signaling.auth;

import dev.prism.core.config.PrismConfig;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Per-run random secrets for development mode (no API secret configured): the demo works out of the box, and tokens or
 * admin sessions from a previous run stop working on restart. Each secret is 32 random bytes from {@link SecureRandom},
 * written as 43 base64url characters; as with a configured secret, the HMAC key is that text's UTF-8 encoding.
 *
 * <p>{@link #toString()} hides both values; the launcher prints the admin secret itself, loudly, in development mode.
 *
 * @param apiSecret   signs this run's tokens when no API secret is configured
 * @param adminSecret guards the admin API when no admin secret is configured and the node is in development mode
 */
public record DevSecrets(String apiSecret, String adminSecret) {
    /** Random bytes per secret. */
    public static final int SECRET_BYTES = 32;

    /** Fresh secrets from a new {@link SecureRandom}. */
    public static DevSecrets generate() {
        return generate(new SecureRandom());
    }

    public static DevSecrets generate(SecureRandom random) {
        return new DevSecrets(randomSecret(random), randomSecret(random));
    }

    /** The API secret to sign and verify tokens with: the configured one, else this run's random one. */
    public String apiSecretFor(PrismConfig config) {
        return config.apiSecret() != null ? config.apiSecret() : apiSecret;
    }

    /**
     * The admin secret: the configured one; else this run's random one in development mode; else {@code null}, meaning
     * the admin API is disabled (a production node never falls back to a secret nobody was told).
     */
    public String adminSecretFor(PrismConfig config) {
        if (config.adminSecret() != null) {
            return config.adminSecret();
        }
        return config.developmentMode() ? adminSecret : null;
    }

    @Override
    public String toString() {
        return "DevSecrets[***]";
    }

    private static String randomSecret(SecureRandom random) {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
