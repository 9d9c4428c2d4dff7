package dev.prism.conference;

/**
 * A request the conference refused, with a protocol error code (docs/PROTOCOL.md) that signaling sends on as it is.
 * Futures of {@link Conference} and {@link ConferenceParticipant} fail with it.
 */
public final class ConferenceException extends RuntimeException {
    private final String code;
    private final String logDetail;

    public ConferenceException(String code, String message) {
        this(code, message, message);
    }

    /** @param logDetail what the rejection log says, when it differs from the client's message */
    public ConferenceException(String code, String message, String logDetail) {
        super(message, null, false, false);
        this.code = code;
        this.logDetail = logDetail;
    }

    public String code() {
        return code;
    }

    public String logDetail() {
        return logDetail;
    }
}
