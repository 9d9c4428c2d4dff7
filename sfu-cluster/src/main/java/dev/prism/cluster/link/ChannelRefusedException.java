package dev.prism.cluster.link;

/**
 * The other node refused to open a channel ({@link IncomingChannel#refuse}). {@link #reason()} is the short,
 * machine-readable reason the edge acts on: for example {@code not_owner} (look the room's owner up again and retry
 * there), {@code too_many_channels}, {@code timeout} (the owner did not decide in time), {@code not_accepted} (the node
 * takes no channels).
 */
public final class ChannelRefusedException extends Exception {
    private final String reason;
    private final String detail;

    public ChannelRefusedException(String reason, String detail) {
        super(reason + (detail == null || detail.isEmpty() ? "" : ": " + detail), null, false, false);
        this.reason = reason;
        this.detail = detail == null ? "" : detail;
    }

    public String reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }
}
