package dev.prism.sdk;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints Prism tokens: compact HS256 JWTs signed with the node's API secret (or one of its extra API keys, named by
 * {@code kid}): participants' access tokens for {@code /ws?token=} (docs/PROTOCOL.md, "Connecting") and room admin
 * tokens for the server API (docs/API.md, "Authentication").
 *
 * <pre>{@code
 * PrismTokens tokens = new PrismTokens(System.getenv("PRISM_API_SECRET"));
 * String jwt = tokens.participant("standup", "alice").name("Alice").canPublish(false).ttl(Duration.ofHours(2)).mint();
 * String admin = tokens.roomAdmin("my-backend", Duration.ofMinutes(5));
 * }</pre>
 *
 * <p>Immutable and thread-safe; each mint reads the clock once.
 */
public final class PrismTokens {
    /** A participant token's lifetime unless {@link ParticipantToken#ttl} says otherwise. */
    public static final Duration DEFAULT_PARTICIPANT_TTL = Duration.ofHours(6);
    /** The same secret-length floor as the node's (docs/API.md: secrets at least 32 characters). */
    public static final int MIN_SECRET_LENGTH = 32;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final String keyId;
    private final Clock clock;

    /** Signs with the node's API secret, without {@code kid}. */
    public PrismTokens(String secret) {
        this(secret, null, Clock.systemUTC());
    }

    /**
     * @param secret the API secret, or the secret of the extra key {@code keyId}
     * @param keyId  written as the {@code kid} header ({@code "default"} names the API secret); null writes none
     * @param clock  gives {@code iat}; tests pass a fixed clock
     * @throws IllegalArgumentException if the secret is shorter than {@value #MIN_SECRET_LENGTH} characters or the key
     *                                  id is not 1-64 of {@code A-Z a-z 0-9 . _ -}
     */
    public PrismTokens(String secret, String keyId, Clock clock) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("the API secret must be at least " + MIN_SECRET_LENGTH + " characters");
        }
        if (keyId != null && !KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("a key id is 1-64 of A-Z a-z 0-9 . _ -");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.keyId = keyId;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** This minter signing with the extra API key {@code keyId} (its {@code kid}). */
    public static PrismTokens withKeyId(String keyId, String secret) {
        return new PrismTokens(secret, Objects.requireNonNull(keyId, "keyId"), Clock.systemUTC());
    }

    /** The {@code kid} this minter writes, or null. */
    public String keyId() {
        return keyId;
    }

    /** A builder for a participant's access token to {@code room} as {@code identity} (the {@code sub} claim). */
    public ParticipantToken participant(String room, String identity) {
        return new ParticipantToken(this, room, identity);
    }

    /**
     * A server API token: {@code {"sub": subject, "roomAdmin": true, "iat", "exp"}}. Keep {@code ttl} short (minutes);
     * the node refuses lifetimes over its {@code --max-token-lifetime}.
     *
     * @param subject names the backend in the node's logs; null for none
     */
    public String roomAdmin(String subject, Duration ttl) {
        long now = nowEpochSeconds();
        Map<String, Object> claims = new LinkedHashMap<>();
        if (subject != null) {
            claims.put("sub", subject);
        }
        claims.put("roomAdmin", true);
        claims.put("iat", now);
        claims.put("exp", now + positiveSeconds(ttl));
        return sign(claims);
    }

    long nowEpochSeconds() {
        return Math.floorDiv(clock.millis(), 1000);
    }

    static long positiveSeconds(Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a token's ttl must be positive");
        }
        return Math.max(1, ttl.getSeconds());
    }

    /** Signs {@code claims} (written in their map order) as an HS256 JWT. */
    String sign(Map<String, Object> claims) {
        String header = keyId == null ? "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
                : "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":" + Json.write(keyId) + "}";
        String signingInput = b64(header) + "." + b64(Json.write(claims));
        return signingInput + "." + B64.encodeToString(hmac(key, signingInput));
    }

    static byte[] hmac(SecretKeySpec key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
