package dev.prism.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies: header {@value #SIGNATURE_HEADER} = {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">} with the API secret, and {@value #KEY_ID_HEADER} names the key, so a receiver checks the body was
 * sent by this server (and recently: it refuses an old {@code t}) with a few lines of code (docs/WEBHOOKS.md).
 * Thread-safe.
 */
public final class WebhookSigner {
    public static final String SIGNATURE_HEADER = "Prism-Signature";
    public static final String KEY_ID_HEADER = "Prism-Key-Id";

    private final String keyId;
    private final SecretKeySpec key;

    public WebhookSigner(String keyId, String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("a webhook signing secret is required");
        }
        this.keyId = keyId;
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String keyId() {
        return keyId;
    }

    /** The {@value #SIGNATURE_HEADER} value for {@code body} sent at {@code epochSeconds}. */
    public String signature(String body, long epochSeconds) {
        return "t=" + epochSeconds + ",v1=" + hmacHex(key, epochSeconds + "." + body);
    }

    /**
     * Checks a {@value #SIGNATURE_HEADER} value as a receiver would: the {@code v1} matches (in constant time) and
     * {@code t} lies within {@code toleranceSeconds} of {@code nowEpochSeconds}.
     */
    public static boolean verify(String secret, String header, String body, long nowEpochSeconds,
                                 long toleranceSeconds) {
        if (header == null) {
            return false;
        }
        String t = null;
        String v1 = null;
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                String name = part.substring(0, eq).trim();
                if (name.equals("t")) {
                    t = part.substring(eq + 1).trim();
                } else if (name.equals("v1")) {
                    v1 = part.substring(eq + 1).trim();
                }
            }
        }
        if (t == null || v1 == null || !t.matches("[0-9]{1,12}")
                || Math.abs(nowEpochSeconds - Long.parseLong(t)) > toleranceSeconds) {
            return false;
        }
        String expected = hmacHex(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                t + "." + body);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                v1.getBytes(StandardCharsets.US_ASCII));
    }

    private static String hmacHex(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] d = mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(d.length * 2);
            for (byte b : d) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
