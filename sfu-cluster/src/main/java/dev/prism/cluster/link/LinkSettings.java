package dev.prism.cluster.link;

/**
 * Limits and timings of the node-to-node link. Both ends of a link should use the same values; each end enforces its
 * own receive limits. {@link #DEFAULTS} are what a node uses; tests shorten the timings.
 *
 * @param maxFrameBytes        largest frame body accepted; a larger header closes the connection (counted)
 * @param channelWindowBytes   receive window per channel: bytes of data the peer may send before this end grants more;
 *                             also the sender's queue size above which {@link LinkChannel#writeQueueFull()} is true
 * @param maxQueuedBytesPerChannel a channel whose queued, unsent data exceeds this is closed with
 *                             {@link LinkCloseCodes#OVERFLOW} (a writer that ignored {@code writeQueueFull})
 * @param socketWriteQueueBytes the connection's TCP write queue above which no channel writes data until it drains
 * @param handshakeTimeoutMillis a connection not authenticated within this is closed
 * @param pingIntervalMillis   each end pings this often
 * @param deadAfterMillis      a connection that received no frame for this long is dead: its channels close with
 *                             {@link LinkCloseCodes#LINK_LOST}
 * @param openTimeoutMillis    an open not answered (or an incoming open not decided) within this fails
 * @param reconnectMinMillis   first reconnect delay of a client connection; doubles per failure
 * @param reconnectMaxMillis   largest reconnect delay
 * @param maxChannelsPerConnection opens beyond this are refused with {@code too_many_channels}
 * @param logIntervalMillis    a repeating rejection (wrong secret, bad frames) is logged once per interval
 * @param maxMessageBytes      largest message (UTF-8 bytes) a channel sends or reassembles; a message longer than
 *                             {@code maxFrameBytes} travels as data-part frames plus a last data frame. Beyond this a
 *                             channel is closed with {@link LinkCloseCodes#MESSAGE_TOO_LARGE} (that channel only)
 */
public record LinkSettings(int maxFrameBytes, int channelWindowBytes, int maxQueuedBytesPerChannel,
                           int socketWriteQueueBytes, long handshakeTimeoutMillis, long pingIntervalMillis,
                           long deadAfterMillis, long openTimeoutMillis, long reconnectMinMillis,
                           long reconnectMaxMillis, int maxChannelsPerConnection, long logIntervalMillis,
                           int maxMessageBytes) {
    /**
     * Client messages are at most 256 KiB (the WebSocket limit), so one frame carries one; a server message (a
     * {@code state} or subscriber offer of a very large room) may be longer and is split into frames, up to 8 MiB.
     */
    public static final LinkSettings DEFAULTS = new LinkSettings(
            512 * 1024, 256 * 1024, 1024 * 1024, 512 * 1024,
            5_000, 1_000, 3_000, 5_000, 100, 5_000, 10_000, 10_000, 8 * 1024 * 1024);

    public LinkSettings {
        if (maxFrameBytes < 1024 || channelWindowBytes < 1 || maxQueuedBytesPerChannel < channelWindowBytes
                || socketWriteQueueBytes < 1 || handshakeTimeoutMillis < 1 || pingIntervalMillis < 1
                || deadAfterMillis <= pingIntervalMillis || openTimeoutMillis < 1 || reconnectMinMillis < 1
                || reconnectMaxMillis < reconnectMinMillis || maxChannelsPerConnection < 1
                || maxMessageBytes < maxFrameBytes) {
            throw new IllegalArgumentException("invalid link settings: " + this);
        }
    }

    public LinkSettings withWindow(int channelWindowBytes, int maxQueuedBytesPerChannel) {
        return new LinkSettings(maxFrameBytes, channelWindowBytes, maxQueuedBytesPerChannel, socketWriteQueueBytes,
                handshakeTimeoutMillis, pingIntervalMillis, deadAfterMillis, openTimeoutMillis, reconnectMinMillis,
                reconnectMaxMillis, maxChannelsPerConnection, logIntervalMillis, maxMessageBytes);
    }

    public LinkSettings withTimings(long handshakeTimeoutMillis, long pingIntervalMillis, long deadAfterMillis) {
        return new LinkSettings(maxFrameBytes, channelWindowBytes, maxQueuedBytesPerChannel, socketWriteQueueBytes,
                handshakeTimeoutMillis, pingIntervalMillis, deadAfterMillis, openTimeoutMillis, reconnectMinMillis,
                reconnectMaxMillis, maxChannelsPerConnection, logIntervalMillis, maxMessageBytes);
    }

    /** The same settings with another frame body limit and message limit (tests use small ones). */
    public LinkSettings withMessageLimits(int maxFrameBytes, int maxMessageBytes) {
        return new LinkSettings(maxFrameBytes, channelWindowBytes, maxQueuedBytesPerChannel, socketWriteQueueBytes,
                handshakeTimeoutMillis, pingIntervalMillis, deadAfterMillis, openTimeoutMillis, reconnectMinMillis,
                reconnectMaxMillis, maxChannelsPerConnection, logIntervalMillis, maxMessageBytes);
    }
}
