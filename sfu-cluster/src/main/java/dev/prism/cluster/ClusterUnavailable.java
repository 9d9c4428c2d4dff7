package dev.prism.cluster;

/**
 * The cluster could not answer: Redis is unreachable or too slow, or no node can take a room. Placement fails with
 * this at once (within {@link ClusterSettings#commandTimeoutMillis()}), never hangs; signaling answers the client
 * {@code cluster_unavailable}. Running rooms are not affected: their state lives in their node's memory.
 */
public final class ClusterUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why, as a bounded set (usable as a metric label). */
    public enum Reason {
        /** Redis refused the connection, closed it, or answered with an error. */
        REDIS_UNREACHABLE("redis_unreachable"),
        /** Redis did not answer within the command timeout (stopped, partitioned, overloaded). */
        REDIS_TIMEOUT("redis_timeout"),
        /** No live, serving node under the maximum load. */
        NO_ELIGIBLE_NODE("no_eligible_node"),
        /** The room's record kept changing under us (many concurrent takeovers); the caller may retry. */
        CONTENDED("contended");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        /** Lower-case label for logs and metrics. */
        public String label() {
            return label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final Reason reason;

    public ClusterUnavailable(Reason reason, String message, Throwable cause) {
        super(reason.label() + ": " + message, cause, false, false);
        this.reason = reason;
    }

    public ClusterUnavailable(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
