/**
 * The node-to-node link wired to signaling (issue #12 item 4): {@link dev.prism.server.link.ClusterLinks} runs this
 * node's link server and client, adapts a link channel to signaling's {@code ProxyChannel} on the edge
 * ({@link dev.prism.server.link.EdgeChannel}) and to a {@code SessionSocket} on the owner
 * ({@link dev.prism.server.link.OwnerChannelSocket}), and hands incoming {@code session} channels to signaling's
 * {@code ProxiedSessionAcceptor}.
 *
 * <p>Threading: every adapter's callbacks run on its link channel's event loop (docs/CLUSTER.md, node-to-node link).
 */
package dev.prism.server.link;
