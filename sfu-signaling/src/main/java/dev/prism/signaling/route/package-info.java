/**
 * Cluster mode's signaling: where a room's session runs and how a WebSocket that landed on another node reaches it
 * (issue #12 item 4; docs/PROTOCOL.md "Cluster: any node takes the socket"; docs/CLUSTER.md).
 *
 * <h2>Seams (docs: /work/shared/design SEAMS)</h2>
 * <ul>
 *   <li>{@link dev.prism.signaling.route.SessionRouting} / {@link dev.prism.signaling.route.Route}: supplied by the
 *       launcher through {@code SfuContext.useRouting(..)}; {@code LOCAL} on a single node, where nothing here runs and
 *       the verticle's path is exactly the single node's.</li>
 *   <li>{@link dev.prism.signaling.route.RemoteSessions} / {@link dev.prism.signaling.route.ProxyChannel}: the edge's
 *       way to the owner (prism-server adapts the node-to-node link).</li>
 *   <li>{@link dev.prism.signaling.route.ProxiedSessionAcceptor}: the owner's side ({@code SfuContext
 *       .proxiedSessionAcceptor()}, {@link dev.prism.signaling.route.OwnerSessions}).</li>
 * </ul>
 *
 * <h2>Who calls what</h2>
 * The verticle checks {@code Origin} and the token (or, in a cluster, a resume token naming its room:
 * {@link dev.prism.signaling.route.ResumeTokens}), upgrades, and hands the socket to
 * {@link dev.prism.signaling.route.EdgeSessions}, which routes: Local runs the session here, Remote bridges it
 * ({@link dev.prism.signaling.route.ProxiedSession}), Unavailable refuses ({@code cluster_unavailable}, 4014).
 * The owner runs the same {@code ParticipantSession} on the link channel as on a local WebSocket and the edge relays
 * text without parsing it, so every server message (and every client request) crosses with no per-type code here: a
 * new message or {@code ConferenceListener} method needs nothing in this package (docs/CLUSTER.md, "What a proxied
 * participant gets").
 *
 * <h2>Threading</h2>
 * The edge's state lives on the client WebSocket's event loop; channel callbacks hop onto it. The owner's session runs
 * as any other, its socket callbacks on the link channel's event loop. Nothing blocks.
 */
package dev.prism.signaling.route;
