package dev.prism.cluster.link;

/**
 * No channel could be opened because the connection to the node is not usable: not connected (yet or any more),
 * refused by its handshake, timed out, or closed. The edge treats it like an unreachable owner (tell the client to
 * retry). {@link #reason()} is bounded: {@code connect_failed}, {@code auth_failed}, {@code version_unsupported},
 * {@code handshake_timeout}, {@code link_lost}, {@code closed}, {@code open_timeout}.
 */
public final class LinkUnavailableException extends Exception {
    private final String reason;

    public LinkUnavailableException(String reason, String message) {
        super(reason + (message == null || message.isEmpty() ? "" : ": " + message), null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
