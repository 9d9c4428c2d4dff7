package dev.prism.sdk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a webhook request was posted by a Prism node recently (docs/WEBHOOKS.md, "Delivery"): header
 * {@value #SIGNATURE_HEADER} = {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">}, signed with the API
 * secret (or the key {@value #KEY_ID_HEADER} names); {@code t} within the tolerance of now (default 5 minutes, against
 * replays of an old request); the comparison is constant-time.
 *
 * <pre>{@code
 * WebhookVerifier verifier = new WebhookVerifier(System.getenv("PRISM_API_SECRET"));
 * WebhookEvent event = verifier.verify(request.header("Prism-Signature"), rawBody); // throws: answer 401
 * }</pre>
 *
 * <p>Pass the body exactly as received, before any JSON parsing. Immutable and thread-safe.
 */
public final class WebhookVerifier {
    public static final String SIGNATURE_HEADER = "Prism-Signature";
    public static final String KEY_ID_HEADER = "Prism-Key-Id";
    public static final String EVENT_ID_HEADER = "Prism-Event-Id";
    /** The key id a node names its API secret by. */
    public static final String DEFAULT_KEY_ID = "default";
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final Map<String, SecretKeySpec> keysById;
    private final Duration tolerance;
    private final Clock clock;

    /** Verifies with the node's API secret. */
    public WebhookVerifier(String apiSecret) {
        this(Map.of(DEFAULT_KEY_ID, apiSecret), DEFAULT_TOLERANCE, Clock.systemUTC());
    }

    /**
     * @param secretsById the node's keys by id ({@value #DEFAULT_KEY_ID} for its API secret); a request whose
     *                    {@value #KEY_ID_HEADER} names none of them is refused, one without the header is checked
     *                    with {@value #DEFAULT_KEY_ID}
     * @param tolerance   how far {@code t} may lie from now, either way
     * @param clock       the receiver's clock; tests pass a fixed one
     */
    public WebhookVerifier(Map<String, String> secretsById, Duration tolerance, Clock clock) {
        if (secretsById == null || secretsById.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is needed");
        }
        Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        secretsById.forEach((id, secret) -> {
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("the secret of key '" + id + "' is empty");
            }
            keys.put(id, new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        });
        if (tolerance == null || tolerance.isNegative()) {
            throw new IllegalArgumentException("tolerance must not be negative");
        }
        this.keysById = Map.copyOf(keys);
        this.tolerance = tolerance;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** True if {@code signatureHeader} is a valid, recent signature of {@code rawBody} by the API secret. */
    public boolean isValid(String signatureHeader, String rawBody) {
        try {
            checkSignature(signatureHeader, null, rawBody);
            return true;
        } catch (WebhookVerificationException e) {
            return false;
        }
    }

    /** {@link #verify(String, String, String)} for a request without {@value #KEY_ID_HEADER}. */
    public WebhookEvent verify(String signatureHeader, String rawBody) throws WebhookVerificationException {
        return verify(signatureHeader, null, rawBody);
    }

    /**
     * Checks the signature and its age, then parses the event.
     *
     * @param keyIdHeader the {@value #KEY_ID_HEADER} header, or null
     * @throws WebhookVerificationException if the header is missing or malformed, the key unknown, the signature
     *                                      wrong, the timestamp outside the tolerance, or the body not an event
     */
    public WebhookEvent verify(String signatureHeader, String keyIdHeader, String rawBody)
            throws WebhookVerificationException {
        checkSignature(signatureHeader, keyIdHeader, rawBody);
        try {
            return WebhookEvent.from(Json.parseObject(rawBody));
        } catch (IllegalArgumentException e) {
            throw new WebhookVerificationException("signed, but not an event: " + e.getMessage());
        }
    }

    private void checkSignature(String header, String keyId, String rawBody) throws WebhookVerificationException {
        if (header == null || header.isEmpty()) {
            throw new WebhookVerificationException("no " + SIGNATURE_HEADER + " header");
        }
        if (rawBody == null) {
            throw new WebhookVerificationException("no body");
        }
        SecretKeySpec key = keysById.get(keyId == null ? DEFAULT_KEY_ID : keyId.trim());
        if (key == null) {
            throw new WebhookVerificationException("unknown key id");
        }
        String t = null;
        String v1 = null;
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                String name = part.substring(0, eq).trim();
                String value = part.substring(eq + 1).trim();
                if (name.equals("t")) {
                    t = value;
                } else if (name.equals("v1") && v1 == null) {
                    v1 = value;
                }
            }
        }
        if (t == null || v1 == null || !t.matches("[0-9]{1,12}")) {
            throw new WebhookVerificationException("malformed " + SIGNATURE_HEADER + " header");
        }
        long age = Math.floorDiv(clock.millis(), 1000) - Long.parseLong(t);
        if (Math.abs(age) > tolerance.getSeconds()) {
            throw new WebhookVerificationException("signature timestamp outside the tolerance");
        }
        byte[] expected = HexFormat.of().formatHex(PrismTokens.hmac(key, t + "." + rawBody))
                .getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, v1.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw new WebhookVerificationException("bad signature");
        }
    }
}
