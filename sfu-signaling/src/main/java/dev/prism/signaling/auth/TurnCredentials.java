package dev.prism.signaling.auth;

import dev.prism.core.config.PrismConfig;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived TURN credentials in the form of the TURN REST API draft (draft-uberti-behave-turn-rest-00), which coturn
 * checks with {@code use-auth-secret} and the same {@code static-auth-secret}: the username is
 * {@code <expiry>:<identity>} (expiry in seconds since the epoch) and the password is
 * {@code base64(HMAC-SHA1(secret, username))}. The TURN server recomputes the password from the username, so nothing is
 * stored and nothing needs revoking: a credential is refused once its expiry has passed, and the identity inside the
 * signed username cannot be changed without the secret (a credential minted for one participant cannot be turned into
 * another's).
 *
 * <p>How coturn reads the username: it looks for the <em>first</em> separator ({@code :}); when everything before it is
 * digits that is the expiry, otherwise it takes the number after it. Prism always writes the digits first, and the
 * identity part never contains a colon, so the expiry a client presents is the one Prism signed and the mapping from
 * (expiry, identity) to username is one-to-one. The identity part is {@link #usernameIdentity(String) encoded}: letters,
 * digits and {@code . _ - @} as they are, every other UTF-8 byte as {@code %XX} (so a colon, a space or a control
 * character never reaches the TURN server or its logs raw, and no SASLprep normalisation can change the bytes signed);
 * an identity that would encode to more than {@value #MAX_IDENTITY_CHARS} characters is replaced by {@code ~} and the
 * unpadded base64url SHA-256 of its UTF-8 bytes (a literal {@code ~} is encoded, so the two forms cannot collide).
 * coturn counts its {@code user-quota} per identity part.
 *
 * <p>Immutable and thread-safe (a {@link Mac} is made per call: minting happens once per welcome or refresh, not per
 * packet).
 */
public final class TurnCredentials {
    /** Longest identity part of a username; longer ones are hashed. */
    public static final int MAX_IDENTITY_CHARS = 128;
    private static final String HMAC_SHA1 = "HmacSHA1";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final SecretKeySpec key;
    private final long ttlSeconds;
    private final LongSupplier epochSecondsNow;

    /** One minted credential. {@code expiresAtEpochSeconds} is also the username's first part. */
    public record Credential(String username, String password, long expiresAtEpochSeconds) {
        @Override
        public String toString() {
            return "Credential[username=" + username + ", password=***, expires=" + expiresAtEpochSeconds + "]";
        }
    }

    /**
     * @param secret          the secret shared with the TURN server (coturn's {@code static-auth-secret}), at least
     *                        {@value PrismConfig#MIN_SECRET_LENGTH} UTF-8 bytes; its UTF-8 bytes are the HMAC key
     * @param ttlSeconds      how long a credential is valid from the moment it is minted; positive
     * @param epochSecondsNow the wall clock in seconds since the epoch (inject a fixed one in tests)
     * @throws IllegalArgumentException when the secret is too short or the lifetime not positive (the secret is never
     *                                  echoed)
     */
    public TurnCredentials(String secret, long ttlSeconds, LongSupplier epochSecondsNow) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < PrismConfig.MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("the TURN secret must be at least " + PrismConfig.MIN_SECRET_LENGTH
                    + " characters");
        }
        if (ttlSeconds <= 0) {
            throw new IllegalArgumentException("the TURN credential lifetime must be positive, got " + ttlSeconds);
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC_SHA1);
        this.ttlSeconds = ttlSeconds;
        this.epochSecondsNow = epochSecondsNow;
    }

    /** Seconds a credential lives. */
    public long ttlSeconds() {
        return ttlSeconds;
    }

    /** A credential for {@code identity}, valid for {@link #ttlSeconds()} from now. */
    public Credential mint(String identity) {
        long expiry = epochSecondsNow.getAsLong() + ttlSeconds;
        String username = expiry + ":" + usernameIdentity(identity);
        return new Credential(username, password(username), expiry);
    }

    /** {@code base64(HMAC-SHA1(secret, username))}: what the TURN server computes for {@code username}. */
    public String password(String username) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA1);
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 is required of every Java platform", e);
        }
    }

    /** The identity part of a username (see the class comment): safe characters kept, the rest {@code %XX}. */
    static String usernameIdentity(String identity) {
        byte[] utf8 = identity.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(utf8.length);
        for (byte b : utf8) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                    || c == '-' || c == '@') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
            if (out.length() > MAX_IDENTITY_CHARS) {
                return "~" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(utf8));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
