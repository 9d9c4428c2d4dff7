package dev.prism.signaling.auth;

import dev.prism.signaling.auth.TokenException.Kind;
import java.util.Map;

/**
 * Reads the tokens a backend presents to the server API ({@code /api/v1}, docs/API.md): the same HS256 JWTs as access
 * tokens, signed with the API secret or with one of the extra API keys its {@code kid} header names, checked the same
 * way (algorithm, signature, {@code exp}, skew, maximum lifetime, {@code nbf}), but carrying the grant
 * {@code roomAdmin: true} and no room. {@code sub}, when present, names the backend in logs. Thread-safe.
 */
public final class ServerApiTokens {

    /** A verified server API token. {@code subject} may be null (no {@code sub}). */
    public record ServerApiToken(String subject, long expiresAtEpochSeconds) {
    }

    private final TokenService tokens;

    public ServerApiTokens(TokenService tokens) {
        this.tokens = tokens;
    }

    /**
     * @param jwt the bearer token; may be null
     * @throws TokenException {@link Kind#NOT_ROOM_ADMIN} for a valid token without {@code roomAdmin: true} (HTTP 403);
     *                        any other kind for a token that is missing, forged, expired... (HTTP 401)
     */
    public ServerApiToken verify(String jwt) throws TokenException {
        Map<String, Object> claims = tokens.verifiedClaims(jwt);
        tokens.checkTimes(claims);
        Object admin = claims.get("roomAdmin");
        if (admin != null && !(admin instanceof Boolean)) {
            throw new TokenException(Kind.MALFORMED);
        }
        Object sub = claims.get("sub");
        if (sub != null && !(sub instanceof String)) {
            throw new TokenException(Kind.MALFORMED);
        }
        if (!Boolean.TRUE.equals(admin)) {
            throw new TokenException(Kind.NOT_ROOM_ADMIN);
        }
        return new ServerApiToken((String) sub, NumericDate.read(claims, "exp"));
    }
}
