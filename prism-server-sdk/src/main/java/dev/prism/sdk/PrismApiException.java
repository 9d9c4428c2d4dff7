package dev.prism.sdk;

/**
 * A refusal from the server API (docs/API.md, "Errors"): the HTTP status, the {@code error} code ({@code unauthorized},
 * {@code forbidden}, {@code bad_json}, {@code bad_request}, {@code not_found}, {@code data_too_large},
 * {@code wrong_node}, {@code timeout}, {@code stopping}, {@code cluster_unavailable}, ...) and the node's message. A
 * refused call changed nothing. An answer that is not the API's JSON gets the code {@code "http_<status>"}.
 */
public final class PrismApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String reason;

    public PrismApiException(int status, String code, String message) {
        super(status + " " + code + ": " + message);
        this.status = status;
        this.code = code;
        this.reason = message;
    }

    /** The HTTP status, e.g. 404. */
    public int status() {
        return status;
    }

    /** The API's {@code error} code, e.g. {@code not_found}. */
    public String code() {
        return code;
    }

    /** The node's {@code message}, e.g. {@code token expired}. */
    public String reason() {
        return reason;
    }
}
