package dev.prism.signaling.auth;

import java.util.Objects;

/**
 * The claims of a Prism access token: who may join which room with which grants, and until when.
 * See docs/PROTOCOL.md ("Connecting") for the JWT form.
 *
 * @param room                  the room the holder may join; never blank
 * @param identity              the participant identity ({@code sub}); unique in the room, never blank
 * @param name                  display name; {@code null} is replaced by {@code identity}
 * @param canPublish            may publish tracks
 * @param canSubscribe          may receive other participants' tracks
 * @param issuedAtEpochSeconds  {@code iat}; 0 when a token read by {@link TokenService#verify} carries none
 * @param expiresAtEpochSeconds {@code exp}
 */
public record AccessToken(String room, String identity, String name, boolean canPublish, boolean canSubscribe,
                          long issuedAtEpochSeconds, long expiresAtEpochSeconds) {

    /** @throws IllegalArgumentException if room or identity is null or blank */
    public AccessToken {
        if (room == null || room.isBlank()) {
            throw new IllegalArgumentException("room must not be blank");
        }
        if (identity == null || identity.isBlank()) {
            throw new IllegalArgumentException("identity must not be blank");
        }
        name = Objects.requireNonNullElse(name, identity);
    }

    /** A token with both grants, issued at {@code nowEpochSeconds} and valid for {@code ttlSeconds}. */
    public static AccessToken grant(String room, String identity, String name, long nowEpochSeconds, long ttlSeconds) {
        return new AccessToken(room, identity, name, true, true, nowEpochSeconds, nowEpochSeconds + ttlSeconds);
    }
}
