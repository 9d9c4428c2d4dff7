package dev.prism.signaling.route;

/** Close codes of proxied sessions (docs/PROTOCOL.md), and what the link's own codes mean to the edge. */
public final class ProxyCloseCodes {
    /**
     * The edge lost its link to the room's owner (link lost, shut down, or overflowed): the session is probably alive at
     * the owner, so the client resumes at once (which routes again).
     */
    public static final short OWNER_LOST = 4013;
    /** No owner could be found or reached ({@code cluster_unavailable} error first): the client retries with backoff. */
    public static final short CLUSTER_UNAVAILABLE = 4014;
    /** The error code sent before {@link #CLUSTER_UNAVAILABLE}. */
    public static final String CLUSTER_UNAVAILABLE_CODE = "cluster_unavailable";

    /** The node-to-node link's own channel close codes (sfu-cluster's LinkCloseCodes: lost, shut down, overflow). */
    static final int LINK_LOST = 4700;
    static final int LINK_SHUTDOWN = 4701;
    static final int LINK_OVERFLOW = 4702;

    private ProxyCloseCodes() {
    }

    /** Whether a channel's close code means the link, not the owner's session, ended. */
    public static boolean isOwnerLost(int code) {
        return code == LINK_LOST || code == LINK_SHUTDOWN || code == LINK_OVERFLOW;
    }

    /**
     * A code the edge may put in the client's close frame for the owner's code {@code code}: link failures become
     * {@link #OWNER_LOST}; codes a close frame must not carry (1005, 1006, 1015, outside 1000-4999) become 1011.
     */
    public static short forClient(int code) {
        if (isOwnerLost(code)) {
            return OWNER_LOST;
        }
        boolean sendable = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014)
                || (code >= 3000 && code <= 4999);
        return (short) (sendable ? code : 1011);
    }

    /** The code the edge passes to the owner for the client's close ({@code null}: no close frame, the socket died). */
    public static int forOwner(Short clientCode) {
        return clientCode == null ? 1006 : clientCode;
    }
}
