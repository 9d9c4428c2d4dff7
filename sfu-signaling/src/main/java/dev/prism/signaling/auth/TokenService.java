package dev.prism.signaling.auth;

import dev.prism.core.config.PrismConfig;
import dev.prism.signaling.auth.TokenException.Kind;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and verifies Prism access tokens: compact HS256 JWTs (RFC 7519 / RFC 7515) signed with the operator's API
 * secret. Only {@code HS256} is accepted; {@code none} and every other algorithm are refused before any key is used.
 *
 * <p>Claims: {@code room} and {@code sub} (identity) required; {@code exp} required; {@code name} (defaults to
 * {@code sub}); {@code canPublish}, {@code canSubscribe} (default {@code true}); {@code iat}; {@code nbf} optional.
 * {@code exp} and {@code nbf} are checked with {@value #CLOCK_SKEW_SECONDS} s of tolerance for clock skew between the
 * backend that minted the token and this node. Other claims ({@code iss}, {@code aud}, ...) are ignored.
 *
 * <p>Thread-safe: a fresh {@link Mac} per call (tokens are checked once per WebSocket handshake, not per packet).
 */
public final class TokenService {
    /** Tolerance on {@code exp} and {@code nbf}, in seconds. */
    public static final long CLOCK_SKEW_SECONDS = 30;
    /** Longer tokens are refused unread; a Prism token is a few hundred characters. */
    public static final int MAX_TOKEN_LENGTH = 8192;
    /** The wall clock in epoch seconds, for production use. */
    public static final LongSupplier SYSTEM_EPOCH_SECONDS = () -> System.currentTimeMillis() / 1000;

    private static final String ALGORITHM = "HS256";
    private static final Base64.Encoder B64_ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();
    /** {"alg":"HS256","typ":"JWT"}, the only header Prism writes. */
    private static final String HEADER_B64 = b64(new JsonObject().put("alg", ALGORITHM).put("typ", "JWT").encode()
            .getBytes(StandardCharsets.UTF_8));

    private final SecretKeySpec key;
    private final LongSupplier epochSecondsNow;

    /**
     * @param secret          the HMAC key (copied), at least {@value PrismConfig#MIN_SECRET_LENGTH}
     *                        bytes
     * @param epochSecondsNow wall clock in seconds since the epoch; inject a fixed one in tests
     * @throws IllegalArgumentException if the secret is too short
     */
    public TokenService(byte[] secret, LongSupplier epochSecondsNow) {
        if (secret == null || secret.length < PrismConfig.MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("API secret must be at least "
                    + PrismConfig.MIN_SECRET_LENGTH + " characters");
        }
        this.key = new SecretKeySpec(Arrays.copyOf(secret, secret.length), "HmacSHA256");
        this.epochSecondsNow = Objects.requireNonNull(epochSecondsNow, "epochSecondsNow");
    }

    /** The key is the secret's UTF-8 encoding; see {@link #TokenService(byte[], LongSupplier)}. */
    public TokenService(String secret, LongSupplier epochSecondsNow) {
        this(secret == null ? null : secret.getBytes(StandardCharsets.UTF_8), epochSecondsNow);
    }

    /** The current time of this service's clock, in epoch seconds. */
    public long nowEpochSeconds() {
        return epochSecondsNow.getAsLong();
    }

    /** Signs {@code token} as a compact JWS: {@code header.payload.signature}. */
    public String issue(AccessToken token) {
        JsonObject claims = new JsonObject()
                .put("room", token.room())
                .put("sub", token.identity())
                .put("name", token.name())
                .put("canPublish", token.canPublish())
                .put("canSubscribe", token.canSubscribe())
                .put("iat", token.issuedAtEpochSeconds())
                .put("exp", token.expiresAtEpochSeconds());
        String signingInput = HEADER_B64 + "." + b64(claims.encode().getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + b64(sign(signingInput));
    }

    /**
     * Checks a token's form, algorithm, signature and validity period, in that order, and returns its claims.
     * Never throws anything but {@link TokenException}, whatever the input.
     *
     * @param jwt the compact token, e.g. from the {@code token} query parameter; may be null
     */
    public AccessToken verify(String jwt) throws TokenException {
        if (jwt == null || jwt.isEmpty()) {
            throw new TokenException(Kind.MISSING);
        }
        if (jwt.length() > MAX_TOKEN_LENGTH) {
            throw new TokenException(Kind.MALFORMED);
        }
        int dot1 = jwt.indexOf('.');
        int dot2 = dot1 < 0 ? -1 : jwt.indexOf('.', dot1 + 1);
        if (dot2 < 0 || jwt.indexOf('.', dot2 + 1) >= 0) {
            throw new TokenException(Kind.MALFORMED); // a JWS has exactly three parts (JWE's five are not supported)
        }
        JsonObject header = decodeJson(jwt.substring(0, dot1));
        // Decide on the algorithm before anything else: "none" or an asymmetric alg must never reach the key. A "crit"
        // header names extensions the verifier must understand (RFC 7515 4.1.11); Prism understands none.
        if (!ALGORITHM.equals(header.getValue("alg")) || header.containsKey("crit")) {
            throw new TokenException(Kind.UNSUPPORTED_ALGORITHM);
        }
        JsonObject claims = decodeJson(jwt.substring(dot1 + 1, dot2));
        byte[] signature = decode(jwt.substring(dot2 + 1));
        byte[] expected = sign(jwt.substring(0, dot2));
        if (!MessageDigest.isEqual(expected, signature)) { // constant time
            throw new TokenException(Kind.BAD_SIGNATURE);
        }
        return checkClaims(claims);
    }

    private AccessToken checkClaims(JsonObject claims) throws TokenException {
        String room = nonEmptyString(claims.getValue("room"));
        if (room == null) {
            throw new TokenException(Kind.NO_ROOM);
        }
        String identity = nonEmptyString(claims.getValue("sub"));
        if (identity == null) {
            throw new TokenException(Kind.NO_IDENTITY);
        }
        Object nameValue = claims.getValue("name");
        if (nameValue != null && !(nameValue instanceof String)) {
            throw new TokenException(Kind.MALFORMED);
        }
        String name = nameValue == null || ((String) nameValue).isEmpty() ? identity : (String) nameValue;
        boolean canPublish = booleanClaim(claims, "canPublish");
        boolean canSubscribe = booleanClaim(claims, "canSubscribe");
        Long iat = numericDate(claims, "iat");
        Long exp = numericDate(claims, "exp");
        Long nbf = numericDate(claims, "nbf");
        if (exp == null) {
            throw new TokenException(Kind.NO_EXPIRY);
        }
        long now = epochSecondsNow.getAsLong();
        // Saturating: a huge exp or nbf must not wrap around and flip the comparison.
        if (now >= saturatedAdd(exp, CLOCK_SKEW_SECONDS)) {
            throw new TokenException(Kind.EXPIRED);
        }
        if (nbf != null && saturatedAdd(now, CLOCK_SKEW_SECONDS) < nbf) {
            throw new TokenException(Kind.NOT_YET_VALID);
        }
        return new AccessToken(room, identity, name, canPublish, canSubscribe, iat == null ? 0 : iat, exp);
    }

    private static String nonEmptyString(Object value) {
        return value instanceof String s && !s.isBlank() ? s : null;
    }

    private static boolean booleanClaim(JsonObject claims, String name) throws TokenException {
        Object v = claims.getValue(name);
        if (v == null) {
            return true;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new TokenException(Kind.MALFORMED);
    }

    /** An RFC 7519 NumericDate (seconds, fractions allowed and truncated toward the past), or null if absent. */
    private static Long numericDate(JsonObject claims, String name) throws TokenException {
        Object v = claims.getValue(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger big) {
            return big.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE; // beyond any real date: clamp
        }
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return (long) Math.floor(n.doubleValue()); // double -> long saturates
        }
        throw new TokenException(Kind.MALFORMED);
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (r < 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : r;
    }

    private static JsonObject decodeJson(String part) throws TokenException {
        byte[] bytes = decode(part);
        try {
            JsonObject o = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
            if (o.getMap() == null) {
                throw new TokenException(Kind.MALFORMED);
            }
            return o;
        } catch (RuntimeException e) { // DecodeException, or anything else the JSON codec throws on garbage
            throw new TokenException(Kind.MALFORMED);
        }
    }

    /** Strict base64url: no padding, no foreign characters, and only the canonical encoding of the bytes. */
    private static byte[] decode(String part) throws TokenException {
        if (part.isEmpty() || part.indexOf('=') >= 0) {
            throw new TokenException(Kind.MALFORMED);
        }
        byte[] bytes;
        try {
            bytes = B64_DECODER.decode(part);
        } catch (IllegalArgumentException e) {
            throw new TokenException(Kind.MALFORMED);
        }
        // The JDK ignores non-zero trailing bits; re-encoding refuses such alternative spellings of the same bytes.
        if (!B64_ENCODER.encodeToString(bytes).equals(part)) {
            throw new TokenException(Kind.MALFORMED);
        }
        return bytes;
    }

    private byte[] sign(String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }

    private static String b64(byte[] bytes) {
        return B64_ENCODER.encodeToString(bytes);
    }
}
