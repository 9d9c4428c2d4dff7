package dev.prism.signaling.api;

/**
 * A request the server API refuses: its HTTP status, a stable {@code error} code and a message for the caller (client
 * text in it is escaped by whoever builds it). No stack trace: refusing bad input is an expected outcome.
 */
public final class ApiException extends Exception {
    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }
}
