package dev.prism.signaling.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.prism.core.config.PrismConfig;
import dev.prism.core.rtp.VideoCodec;
import dev.prism.signaling.auth.TokenException.Kind;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Issues and verifies Prism access tokens: compact HS256 JWTs (RFC 7519 / RFC 7515) signed with the operator's API
 * secret, built on nimbus-jose-jwt (JSON, JWS signing input, constant-time HMAC check). Only {@code HS256} is accepted;
 * {@code none} and every other algorithm are refused before any key is used.
 *
 * <p>Claims: {@code room} and {@code sub} (identity) required; {@code exp} required; {@code name} (defaults to
 * {@code sub}, made display-safe by {@link AccessToken}); {@code canPublish}, {@code canSubscribe} (default
 * {@code true}); {@code iat}; {@code nbf} optional; the grants of {@link TokenGrants} ({@link GrantClaims}). {@code exp} and {@code nbf} are checked with
 * {@value #CLOCK_SKEW_SECONDS} s of tolerance for clock skew between the backend that minted the token and this node.
 * A token may live at most {@code maxLifetimeSeconds}: its {@code exp} may lie no further than that past its
 * {@code iat}, nor past now (plus the skew), so a stolen token with a far-away {@code exp} is worthless. Other claims
 * ({@code iss}, {@code aud}, ...) are ignored. {@code canData} (default {@code true}) grants in-room data messages.
 * Server API tokens ({@code roomAdmin}) are read by {@link ServerApiTokens}. JSON with duplicate members is refused, so a backend and Prism can never
 * read different values from one token. Key rotation is prepared: {@link #withKeyIds} lets the {@code kid} header choose
 * among named keys; a service with one unnamed key ignores {@code kid}.
 *
 * <p>Thread-safe and stateless apart from the key (tokens are checked once per WebSocket handshake, not per packet).
 */
public final class TokenService {
    /** Tolerance on {@code exp} and {@code nbf}, in seconds. */
    public static final long CLOCK_SKEW_SECONDS = 30;
    /** Longer tokens are refused unread; a Prism token is a few hundred characters. */
    public static final int MAX_TOKEN_LENGTH = 8192;
    /** The wall clock in epoch seconds, for production use. */
    public static final LongSupplier SYSTEM_EPOCH_SECONDS = () -> System.currentTimeMillis() / 1000;

    private static final String ALGORITHM = JWSAlgorithm.HS256.getName();
    /** {"alg":"HS256","typ":"JWT"} in this member order, the only header Prism writes (kept byte-for-byte). */
    private static final JWSHeader HEADER = parseFixedHeader("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");

    private final JWSHeader header;
    private final MACSigner signer;
    /** Verifies tokens without a {@code kid}: the key this service signs with. */
    private final MACVerifier currentVerifier;
    /** Key id -> verifier when keys are named (rotation); empty when the service has one unnamed key. */
    private final Map<String, MACVerifier> verifiersById;
    private final LongSupplier epochSecondsNow;
    private final long maxLifetimeSeconds;

    /**
     * @param secret             the HMAC key (copied), at least {@value PrismConfig#MIN_SECRET_LENGTH} bytes
     * @param epochSecondsNow    wall clock in seconds since the epoch; inject a fixed one in tests
     * @param maxLifetimeSeconds the longest lifetime a token may claim, normally
     *                           {@link PrismConfig#maxTokenLifetimeSeconds()}; positive
     * @throws IllegalArgumentException if the secret is too short or the lifetime not positive
     */
    public TokenService(byte[] secret, LongSupplier epochSecondsNow, long maxLifetimeSeconds) {
        this(HEADER, secret, Map.of(), epochSecondsNow, maxLifetimeSeconds);
    }

    private TokenService(JWSHeader header, byte[] currentKey, Map<String, byte[]> keysById, LongSupplier epochSecondsNow,
                         long maxLifetimeSeconds) {
        if (maxLifetimeSeconds <= 0) {
            throw new IllegalArgumentException("maximum token lifetime must be positive, got " + maxLifetimeSeconds);
        }
        this.header = header;
        try {
            this.signer = new MACSigner(checkedKey(currentKey));
        } catch (JOSEException e) { // checkedKey ensured 32 bytes = 256 bits, HS256's minimum
            throw new IllegalArgumentException("API secret must be at least "
                    + PrismConfig.MIN_SECRET_LENGTH + " characters", e);
        }
        this.currentVerifier = verifier(currentKey);
        Map<String, MACVerifier> byId = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : keysById.entrySet()) {
            byId.put(e.getKey(), verifier(e.getValue()));
        }
        this.verifiersById = Map.copyOf(byId);
        this.epochSecondsNow = Objects.requireNonNull(epochSecondsNow, "epochSecondsNow");
        this.maxLifetimeSeconds = maxLifetimeSeconds;
    }

    /**
     * A service for key rotation: tokens name their key in the {@code kid} header. It issues with
     * {@code currentKeyId} (written as {@code kid}); it verifies a token with the key its {@code kid} names (an unknown
     * {@code kid} is a {@code bad token signature}), or with the current key when the token has no {@code kid}.
     * Rotating = adding the new key, making it current once every backend knows it, dropping the old one a maximum
     * token lifetime later.
     *
     * @param secretsById  key id -> secret (UTF-8, at least {@value PrismConfig#MIN_SECRET_LENGTH} bytes); not empty
     * @param currentKeyId the id of the key to issue with; one of {@code secretsById}'s keys
     * @throws IllegalArgumentException if a secret is too short or {@code currentKeyId} is not among the keys
     */
    public static TokenService withKeyIds(Map<String, String> secretsById, String currentKeyId,
                                          LongSupplier epochSecondsNow, long maxLifetimeSeconds) {
        if (currentKeyId == null || !secretsById.containsKey(currentKeyId)) {
            throw new IllegalArgumentException("the current key id must be one of the configured key ids");
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        secretsById.forEach((id, secret) -> keys.put(id, secret == null ? null : secret.getBytes(StandardCharsets.UTF_8)));
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", ALGORITHM);
        header.put("typ", "JWT");
        header.put("kid", currentKeyId);
        return new TokenService(parseFixedHeader(JSONObjectUtils.toJSONString(header)), keys.get(currentKeyId), keys,
                epochSecondsNow, maxLifetimeSeconds);
    }

    /**
     * The node's service: issues with {@code defaultSecret} and no {@code kid} (tokens stay as they were); verifies a
     * token without {@code kid} with it, a token whose {@code kid} is {@code "default"} too, and a token whose
     * {@code kid} names one of {@code extraById} with that key; any other {@code kid} is a {@code bad token
     * signature}. With no extra keys, {@code kid} is ignored as by {@link #TokenService(String, LongSupplier, long)}.
     */
    public static TokenService withExtraKeys(String defaultSecret, Map<String, String> extraById,
                                             LongSupplier epochSecondsNow, long maxLifetimeSeconds) {
        if (extraById.isEmpty()) {
            return new TokenService(defaultSecret, epochSecondsNow, maxLifetimeSeconds);
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        byte[] current = defaultSecret == null ? null : defaultSecret.getBytes(StandardCharsets.UTF_8);
        keys.put(dev.prism.core.config.ApiKeys.DEFAULT_KEY_ID, current);
        extraById.forEach((id, secret) -> keys.put(id, secret == null ? null : secret.getBytes(StandardCharsets.UTF_8)));
        return new TokenService(HEADER, current, keys, epochSecondsNow, maxLifetimeSeconds);
    }

    /** The key is the secret's UTF-8 encoding; see {@link #TokenService(byte[], LongSupplier, long)}. */
    public TokenService(String secret, LongSupplier epochSecondsNow, long maxLifetimeSeconds) {
        this(secret == null ? null : secret.getBytes(StandardCharsets.UTF_8), epochSecondsNow, maxLifetimeSeconds);
    }

    /** With the default maximum lifetime, {@value PrismConfig#DEFAULT_MAX_TOKEN_LIFETIME_SECONDS} s. */
    public TokenService(byte[] secret, LongSupplier epochSecondsNow) {
        this(secret, epochSecondsNow, PrismConfig.DEFAULT_MAX_TOKEN_LIFETIME_SECONDS);
    }

    /** With the default maximum lifetime, {@value PrismConfig#DEFAULT_MAX_TOKEN_LIFETIME_SECONDS} s. */
    public TokenService(String secret, LongSupplier epochSecondsNow) {
        this(secret, epochSecondsNow, PrismConfig.DEFAULT_MAX_TOKEN_LIFETIME_SECONDS);
    }

    /** The current time of this service's clock, in epoch seconds. */
    public long nowEpochSeconds() {
        return epochSecondsNow.getAsLong();
    }

    /** The longest lifetime ({@code exp - iat}) a token may claim, in seconds. */
    public long maxLifetimeSeconds() {
        return maxLifetimeSeconds;
    }

    /** Signs {@code token} as a compact JWS: {@code header.payload.signature}. */
    public String issue(AccessToken token) {
        Map<String, Object> claims = new LinkedHashMap<>(); // member order is part of the known test vector
        claims.put("room", token.room());
        claims.put("sub", token.identity());
        claims.put("name", token.name());
        claims.put("canPublish", token.canPublish());
        claims.put("canSubscribe", token.canSubscribe());
        claims.put("iat", token.issuedAtEpochSeconds());
        claims.put("exp", token.expiresAtEpochSeconds());
        if (token.videoCodec() != null) {
            claims.put("codec", token.videoCodec().wireName());
        }
        if (!token.canData()) {
            claims.put("canData", false); // written only when refused: older tokens' bytes stay as they were
        }
        if (token.audioTopN() != null) {
            claims.put("audioTopN", token.audioTopN());
        }
        GrantClaims.write(claims, token.grants());
        return sign(claims);
    }

    private String sign(Map<String, Object> claims) {
        JWSObject jws = new JWSObject(header, new Payload(JSONObjectUtils.toJSONString(claims))); // Payload(Map) reorders
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
        return jws.serialize();
    }

    /**
     * Checks a token's form, algorithm and signature and returns its claims, unchecked. Never throws anything but
     * {@link TokenException}, whatever the input.
     */
    Map<String, Object> verifiedClaims(String jwt) throws TokenException {
        if (jwt == null || jwt.isEmpty()) {
            throw new TokenException(Kind.MISSING);
        }
        if (jwt.length() > MAX_TOKEN_LENGTH) {
            throw new TokenException(Kind.MALFORMED);
        }
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            throw new TokenException(Kind.MALFORMED); // a JWS has exactly three parts (JWE's five are not supported)
        }
        requireCanonicalBase64Url(parts[0]);
        // Decide on the algorithm before anything else: "none" or an asymmetric alg must never reach the key. A "crit"
        // header names extensions the verifier must understand (RFC 7515 4.1.11); Prism understands none.
        Map<String, Object> header = parseJsonObject(new Base64URL(parts[0]));
        if (!ALGORITHM.equals(header.get("alg")) || header.containsKey("crit")) {
            throw new TokenException(Kind.UNSUPPORTED_ALGORITHM);
        }
        requireCanonicalBase64Url(parts[1]);
        requireCanonicalBase64Url(parts[2]);
        JWSObject jws;
        try {
            jws = JWSObject.parse(jwt);
        } catch (ParseException | RuntimeException e) { // a header member of the wrong type ("typ": 5, ...)
            throw new TokenException(Kind.MALFORMED);
        }
        if (!jws.getHeader().isBase64URLEncodePayload()) { // RFC 7797 "b64": false, only meaningful with "crit"
            throw new TokenException(Kind.UNSUPPORTED_ALGORITHM);
        }
        MACVerifier verifier = verifierFor(jws.getHeader().getKeyID());
        boolean valid;
        try {
            valid = verifier != null && jws.verify(verifier); // constant-time comparison
        } catch (JOSEException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw new TokenException(Kind.BAD_SIGNATURE);
        }
        // Only now, authenticated, is the payload parsed.
        return parseJsonObject(jws.getPayload().toBase64URL());
    }

    /**
     * Checks a token's form, algorithm, signature and claims, in that order, and returns its claims. Never throws
     * anything but {@link TokenException}, whatever the input.
     *
     * @param jwt the compact token, e.g. from the {@code token} query parameter; may be null
     */
    public AccessToken verify(String jwt) throws TokenException {
        return checkClaims(verifiedClaims(jwt));
    }

    /**
     * Signs a server API token ({@code roomAdmin: true}, no room), as a backend would: see
     * {@link ServerApiTokens}. {@code subject} names the backend in logs; may be null.
     */
    public String issueRoomAdmin(String subject, long issuedAtEpochSeconds, long expiresAtEpochSeconds) {
        Map<String, Object> claims = new LinkedHashMap<>();
        if (subject != null) {
            claims.put("sub", subject);
        }
        claims.put("roomAdmin", true);
        claims.put("iat", issuedAtEpochSeconds);
        claims.put("exp", expiresAtEpochSeconds);
        return sign(claims);
    }

    /**
     * The expiry checks every token passes ({@code exp} required, skew, maximum lifetime, {@code nbf}).
     *
     * @return {@code iat}, 0 when absent
     */
    long checkTimes(Map<String, Object> claims) throws TokenException {
        Long iat = NumericDate.read(claims, "iat");
        Long exp = NumericDate.read(claims, "exp");
        Long nbf = NumericDate.read(claims, "nbf");
        if (exp == null) {
            throw new TokenException(Kind.NO_EXPIRY);
        }
        long now = epochSecondsNow.getAsLong();
        // Saturating: a huge exp or nbf must not wrap around and flip the comparison.
        if (now >= NumericDate.add(exp, CLOCK_SKEW_SECONDS)) {
            throw new TokenException(Kind.EXPIRED);
        }
        if ((iat != null && NumericDate.subtract(exp, iat) > maxLifetimeSeconds)
                || NumericDate.subtract(exp, now) > NumericDate.add(maxLifetimeSeconds, CLOCK_SKEW_SECONDS)) {
            throw new TokenException(Kind.LIFETIME_TOO_LONG);
        }
        if (nbf != null && NumericDate.add(now, CLOCK_SKEW_SECONDS) < nbf) {
            throw new TokenException(Kind.NOT_YET_VALID);
        }
        return iat == null ? 0 : iat;
    }

    private AccessToken checkClaims(Map<String, Object> claims) throws TokenException {
        String room = nonEmptyString(claims.get("room"));
        if (room == null) {
            throw new TokenException(Kind.NO_ROOM);
        }
        String identity = nonEmptyString(claims.get("sub"));
        if (identity == null) {
            throw new TokenException(Kind.NO_IDENTITY);
        }
        Object nameValue = claims.get("name");
        if (nameValue != null && !(nameValue instanceof String)) {
            throw new TokenException(Kind.MALFORMED);
        }
        String name = (String) nameValue; // null or empty: AccessToken shows the identity instead
        boolean canPublish = booleanClaim(claims, "canPublish");
        boolean canSubscribe = booleanClaim(claims, "canSubscribe");
        boolean canData = booleanClaim(claims, "canData");
        long iat = checkTimes(claims);
        long exp = NumericDate.read(claims, "exp");
        Object codecValue = claims.get("codec");
        VideoCodec codec = null;
        if (codecValue != null) {
            codec = codecValue instanceof String c ? VideoCodec.fromWire(c) : null;
            if (codec == null) {
                throw new TokenException(Kind.BAD_CODEC);
            }
        }
        Integer audioTopN = audioTopNClaim(claims.get("audioTopN"));
        return new AccessToken(room, identity, name, canPublish, canSubscribe, iat, exp, codec, canData, audioTopN,
                GrantClaims.read(claims));
    }

    /** The {@code audioTopN} claim: absent, or a whole number 0..{@link PrismConfig#MAX_AUDIO_TOP_N}. */
    private static Integer audioTopNClaim(Object v) throws TokenException {
        if (v == null) {
            return null;
        }
        if (v instanceof Number n && (n instanceof Long || n instanceof Integer) && n.longValue() >= 0
                && n.longValue() <= PrismConfig.MAX_AUDIO_TOP_N) {
            return n.intValue();
        }
        throw new TokenException(Kind.BAD_AUDIO_TOP_N);
    }

    private static String nonEmptyString(Object value) {
        return value instanceof String s && !s.isBlank() ? s : null;
    }

    private static boolean booleanClaim(Map<String, Object> claims, String name) throws TokenException {
        Object v = claims.get(name);
        if (v == null) {
            return true;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new TokenException(Kind.MALFORMED);
    }

    /** A JSON object (strict: no trailing text, no duplicate members, no NaN); anything else is malformed. */
    private static Map<String, Object> parseJsonObject(Base64URL part) throws TokenException {
        Map<String, Object> json;
        try {
            json = JSONObjectUtils.parse(part.decodeToString());
        } catch (ParseException | RuntimeException e) {
            throw new TokenException(Kind.MALFORMED);
        }
        if (json == null) { // the JSON text "null"
            throw new TokenException(Kind.MALFORMED);
        }
        return json;
    }

    /**
     * Strict base64url: no padding, no foreign characters, and only the canonical encoding of the bytes. Nimbus's own
     * decoder skips foreign characters, which would let several spellings of one token through.
     */
    private static void requireCanonicalBase64Url(String part) throws TokenException {
        if (part.isEmpty() || part.indexOf('=') >= 0) {
            throw new TokenException(Kind.MALFORMED);
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new TokenException(Kind.MALFORMED);
        }
        // The JDK ignores non-zero trailing bits; re-encoding refuses such alternative spellings of the same bytes.
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(part)) {
            throw new TokenException(Kind.MALFORMED);
        }
    }

    /** The verifier for a token's {@code kid}, null if it names no key of this service. */
    private MACVerifier verifierFor(String keyId) {
        if (keyId == null || verifiersById.isEmpty()) {
            return currentVerifier; // one unnamed key: a kid is not needed to choose it, so it is ignored
        }
        return verifiersById.get(keyId);
    }

    private static byte[] checkedKey(byte[] secret) {
        if (secret == null || secret.length < PrismConfig.MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("API secret must be at least "
                    + PrismConfig.MIN_SECRET_LENGTH + " characters");
        }
        return Arrays.copyOf(secret, secret.length);
    }

    private static MACVerifier verifier(byte[] secret) {
        try {
            return new MACVerifier(checkedKey(secret));
        } catch (JOSEException e) { // checkedKey ensured 32 bytes = 256 bits, HS256's minimum
            throw new IllegalArgumentException("API secret must be at least "
                    + PrismConfig.MIN_SECRET_LENGTH + " characters", e);
        }
    }

    private static JWSHeader parseFixedHeader(String json) {
        try {
            return JWSHeader.parse(Base64URL.encode(json)); // a parsed header serializes as the text it was parsed from
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWS header: " + json, e);
        }
    }
}
