package dev.prism.admin;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the admin credential and issues and checks event-stream tickets. Comparisons are constant-time: secrets are
 * compared as SHA-256 digests with {@link MessageDigest#isEqual}, so neither the content nor the length of the
 * secret leaks through timing. Thread-safe.
 *
 * <p>Ticket: {@code <expiry epoch seconds>.<16 random bytes, base64url>.<HMAC-SHA256 of "prism-admin-ticket." +
 * expiry + "." + nonce under the admin secret, base64url>}. It proves its holder had the secret within the last
 * {@link #TICKET_TTL_SECONDS} seconds; it opens event streams only, and expires even if never used.
 */
final class AdminAuth {
    /** How long a ticket may be used to open an event stream. */
    static final long TICKET_TTL_SECONDS = 60;

    private static final String BEARER = "Bearer ";
    private static final String TICKET_CONTEXT = "prism-admin-ticket.";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] secretDigest;
    private final byte[] secretBytes;
    private final LongSupplier epochSeconds;
    private final SecureRandom random;

    AdminAuth(String secret, LongSupplier epochSeconds, SecureRandom random) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("admin secret required");
        }
        this.secretBytes = secret.getBytes(StandardCharsets.UTF_8);
        this.secretDigest = sha256(secretBytes);
        this.epochSeconds = epochSeconds;
        this.random = random;
    }

    /** Whether an {@code Authorization} header value is {@code Bearer <the admin secret>}. Null-safe. */
    boolean bearerMatches(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        String presented = authorization.substring(BEARER.length()).strip();
        return MessageDigest.isEqual(secretDigest, sha256(presented.getBytes(StandardCharsets.UTF_8)));
    }

    /** A fresh ticket valid for {@link #TICKET_TTL_SECONDS}. */
    String issueTicket() {
        long expiry = epochSeconds.getAsLong() + TICKET_TTL_SECONDS;
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String payload = expiry + "." + B64.encodeToString(nonce);
        return payload + "." + B64.encodeToString(hmac(payload));
    }

    /** Whether {@code ticket} was issued by this node's secret and has not expired. Never throws. */
    boolean ticketValid(String ticket) {
        if (ticket == null || ticket.length() > 200) {
            return false;
        }
        int dot = ticket.lastIndexOf('.');
        int first = ticket.indexOf('.');
        if (first <= 0 || dot <= first) {
            return false;
        }
        String payload = ticket.substring(0, dot);
        long expiry;
        byte[] mac;
        try {
            expiry = Long.parseLong(ticket.substring(0, first));
            mac = B64D.decode(ticket.substring(dot + 1));
        } catch (IllegalArgumentException e) { // NumberFormatException included
            return false;
        }
        long now = epochSeconds.getAsLong();
        if (expiry < now || expiry > now + TICKET_TTL_SECONDS) {
            return false;
        }
        return MessageDigest.isEqual(hmac(payload), mac);
    }

    private byte[] hmac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secretBytes, "HmacSHA256"));
            return mac.doFinal((TICKET_CONTEXT + payload).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
