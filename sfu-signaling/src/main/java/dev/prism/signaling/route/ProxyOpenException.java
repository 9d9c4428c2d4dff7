package dev.prism.signaling.route;

/**
 * A proxied session could not be opened. {@link #reason()} is a bounded label the edge acts on and counts:
 * {@link #NOT_OWNER} (the node asked does not own the room: route again), {@link #UNREACHABLE} (no link to the owner:
 * down, wrong cluster secret, timeout) or {@link #REFUSED} (any other refusal by the owner).
 */
public final class ProxyOpenException extends Exception {
    public static final String NOT_OWNER = "not_owner";
    public static final String UNREACHABLE = "owner_unreachable";
    public static final String REFUSED = "refused";

    private final String reason;
    private final String detail;

    public ProxyOpenException(String reason, String detail) {
        super(reason + (detail == null || detail.isEmpty() ? "" : ": " + detail), null, false, false);
        this.reason = reason;
        this.detail = detail == null ? "" : detail;
    }

    /** A human-readable detail (may be empty). */
    public String detail() {
        return detail;
    }

    public String reason() {
        return reason;
    }
}
