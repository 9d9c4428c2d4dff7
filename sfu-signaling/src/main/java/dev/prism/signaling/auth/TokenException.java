package dev.prism.signaling.auth;

/**
 * Why an access token was refused. {@link #reason()} is short and safe to send as the plain-text body of the HTTP 401
 * that refuses a WebSocket upgrade; it never contains token contents. No stack trace is captured: refusing a token is
 * an expected outcome, not a bug.
 */
public final class TokenException extends Exception {

    /** Every way a token can be refused; each has the fixed text of {@link #reason()}, usable as a metrics tag. */
    public enum Kind {
        MISSING("token missing"),
        MALFORMED("malformed token"),
        UNSUPPORTED_ALGORITHM("unsupported algorithm"),
        BAD_SIGNATURE("bad token signature"),
        EXPIRED("token expired"),
        NOT_YET_VALID("token not yet valid"),
        NO_EXPIRY("token has no expiry"),
        NO_ROOM("token has no room"),
        NO_IDENTITY("token has no identity"),
        /** {@code exp} lies further past {@code iat}, or past now, than the node's maximum token lifetime. */
        LIFETIME_TOO_LONG("token lifetime too long"),
        /** The {@code codec} claim is not a string naming a video codec Prism forwards ("vp8", "h264"). */
        BAD_CODEC("token codec must be vp8 or h264"),
        /** {@code sources} is not an array of microphone, camera, screen, screen_audio. */
        BAD_SOURCES("token sources must be a list of microphone, camera, screen, screen_audio"),
        /** {@code hidden} is not a boolean. */
        BAD_GRANT("token hidden must be a boolean"),
        /** {@code maxVideo} is not {@code {"height": 1..4320}} or {@code maxBitrate} not a whole number of bps. */
        BAD_QUALITY_CAP("token maxVideo.height and maxBitrate must be positive integers"),
        /** {@code roomMaxPublishers} is not a positive integer. */
        BAD_ROOM_LIMIT("token roomMaxPublishers must be a positive integer"),
        /** A server API call with a valid token that does not carry {@code roomAdmin: true} (HTTP 403). */
        NOT_ROOM_ADMIN("token does not grant roomAdmin"),
        /** The {@code audioTopN} claim is not a whole number from 0 (off) to 64. */
        BAD_AUDIO_TOP_N("token audioTopN must be a whole number from 0 to 64");

        private final String reason;

        Kind(String reason) {
            this.reason = reason;
        }

        /** The HTTP 401 body text. */
        public String reason() {
            return reason;
        }

        @Override
        public String toString() {
            return reason;
        }
    }

    private final Kind kind;

    public TokenException(Kind kind) {
        super(kind.reason(), null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** Short reason for an HTTP 401 body, e.g. {@code "token expired"}. */
    public String reason() {
        return kind.reason();
    }
}
