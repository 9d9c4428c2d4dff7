package dev.prism.signaling.route;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Resume tokens carry their room, so that a node that does not hold the session can still route a resume to the room's
 * owner: {@code base64url(room) "." random} (the random part is the secret; the room is not). Pure.
 */
public final class ResumeTokens {
    /** Longest token whose room is read (a room id is at most a few hundred bytes). */
    static final int MAX_TOKEN_LENGTH = 2048;

    private ResumeTokens() {
    }

    /** A token for {@code roomId} with the given (already URL-safe) random part. */
    public static String of(String roomId, String random) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(roomId.getBytes(StandardCharsets.UTF_8))
                + "." + random;
    }

    /** The room a token names, or null (absent, too long, no room part, not base64url, not UTF-8, empty). */
    public static String roomOf(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return null;
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1) {
            return null;
        }
        try {
            byte[] room = Base64.getUrlDecoder().decode(token.substring(0, dot));
            var decoder = StandardCharsets.UTF_8.newDecoder();
            String s = decoder.decode(java.nio.ByteBuffer.wrap(room)).toString();
            return s.isEmpty() ? null : s;
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }
}
