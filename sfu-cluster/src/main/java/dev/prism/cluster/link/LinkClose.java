package dev.prism.cluster.link;

/**
 * How a channel ended, given once to {@link LinkChannel#closeHandler}.
 *
 * @param code   the close code: the peer application's, {@link LinkCloseCodes#NORMAL}, or one of the link's own
 *               ({@link LinkCloseCodes})
 * @param reason a short text (the peer's reason, or the link's: {@code link_lost}, {@code ping_timeout}, ...)
 * @param remote true when the other end (or the connection's loss) closed it, false for this end's own close
 */
public record LinkClose(int code, String reason, boolean remote) {
}
