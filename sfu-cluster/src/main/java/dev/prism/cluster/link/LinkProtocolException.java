package dev.prism.cluster.link;

/**
 * Bytes that are not a valid frame of the link. The {@link Reason} is a bounded metric label; the message says what
 * exactly was wrong (for a log line). The connection that received them is closed.
 */
public final class LinkProtocolException extends Exception {
    /** Why a frame was rejected; bounded, usable as a metric label. */
    public enum Reason {
        /** A type byte no version of the protocol defines. */
        UNKNOWN_TYPE,
        /** A body longer than the configured maximum frame size. */
        FRAME_TOO_LARGE,
        /** A channel id not allowed for the frame type (0 for a channel frame, non-zero for a connection frame). */
        BAD_CHANNEL,
        /** A body whose length does not match its fields. */
        BAD_LENGTH,
        /** A field out of its range (an empty node id, a zero credit, a string not UTF-8, ...). */
        BAD_FIELD;

        /** Lower-case name for metrics and logs. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;

    public LinkProtocolException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
