/**
 * The node-to-node link: one persistent, authenticated TCP connection per pair of nodes, multiplexing channels of
 * ordered text messages with per-channel credit flow control. Used to proxy a client's signaling session from the node
 * that holds its WebSocket (the edge) to the room's owner. Protocol, frames and figures: docs/CLUSTER.md,
 * "Node-to-node link".
 *
 * <h2>Who calls what</h2>
 * <ul>
 *   <li>Every cluster node runs one {@link dev.prism.cluster.link.LinkServer} on {@code --cluster-port} and one
 *       {@link dev.prism.cluster.link.LinkClient}, both with the node id and {@code --cluster-secret}, sharing one
 *       {@link dev.prism.cluster.link.LinkMetrics}.</li>
 *   <li>Edge: {@code client.open(owner.linkUrl()).openChannel(OpenRequest.session(..))}; on success the channel carries
 *       the client's messages both ways; {@link dev.prism.cluster.link.ChannelRefusedException} ({@code not_owner}, ...)
 *       or {@link dev.prism.cluster.link.LinkUnavailableException} otherwise. A channel closed with
 *       {@link dev.prism.cluster.link.LinkCloseCodes#isLinkFailure} means the link, not the session, ended: the client
 *       should resume.</li>
 *   <li>Owner: the server's {@code Handler<IncomingChannel>} accepts (and adapts the channel to a session socket) or
 *       refuses.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * <ul>
 *   <li>A connection, its channels, timers and every callback live on one Vert.x event-loop context (the server's
 *       for accepted connections; one per {@link dev.prism.cluster.link.LinkConnection} on the client). Futures
 *       complete there.</li>
 *   <li>Channel methods may be called from any thread; off the context they hop onto it, in call order per calling
 *       thread. {@code writeQueueFull()} and {@code isClosed()} read volatile/atomic state.</li>
 *   <li>Nothing blocks. Codec and reader are pure; {@code LinkAuth} is immutable.</li>
 * </ul>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>No frame is read before its header is checked; a body is never larger than
 *       {@link dev.prism.cluster.link.LinkSettings#maxFrameBytes()}; the first bad frame closes the connection.</li>
 *   <li>Nothing but the handshake is accepted before both proofs match; the secret never crosses the wire.</li>
 *   <li>Per channel, the receiver holds at most its window plus one frame, plus the parts of one message being
 *       joined (at most {@code maxMessageBytes}); the sender at most {@code maxQueuedBytesPerChannel} of short messages
 *       (beyond: the channel closes with {@code OVERFLOW}) plus {@code maxMessageBytes} of split ones; the socket's
 *       write queue is bounded and shared round robin.</li>
 *   <li>A message longer than a frame travels as data-part frames plus a last data frame; one over
 *       {@code maxMessageBytes} closes its channel alone with {@code MESSAGE_TOO_LARGE}, never the connection.</li>
 *   <li>A channel's close handler runs exactly once; channel ids are never reused on a connection.</li>
 * </ul>
 */
package dev.prism.cluster.link;
