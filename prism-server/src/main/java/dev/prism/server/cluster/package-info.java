/**
 * Cluster mode of a node ({@code --redis}): {@link dev.prism.server.cluster.ClusterMode} wires the registry (lease,
 * load), room placement, the node-to-node links and the {@code SessionRouting} signaling asks; fencing closes rooms
 * another node took over; a drain hands rooms over one at a time; the server API works on any node
 * ({@link dev.prism.server.cluster.ApiForwarding}: calls forwarded over HTTP to the room's owner, which checks the
 * caller's token again; room lists merged). docs/CLUSTER.md describes the whole.
 *
 * <p>Threading: Redis answers and timers run on Vert.x event loops and only start asynchronous work; the drain's
 * hand-over runs on the drain thread. Nothing here runs per packet.
 */
package dev.prism.server.cluster;
