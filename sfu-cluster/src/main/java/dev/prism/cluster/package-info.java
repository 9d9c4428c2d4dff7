/**
 * Cluster mode's foundations on Redis: the node registry with its liveness lease and load, the load score, and atomic,
 * fenced room placement. Keys, scripts and timings: docs/CLUSTER.md.
 *
 * <h2>Who calls what</h2>
 * <ul>
 *   <li>The launcher makes one {@link dev.prism.cluster.ClusterRedis}, one {@link dev.prism.cluster.NodeRegistry}
 *       (with a {@code Supplier<NodeLoad>} reading the busiest media loop's probe and the node's counters), one
 *       {@link dev.prism.cluster.NodeChooser} and one {@link dev.prism.cluster.RoomPlacement}; it calls
 *       {@code registry.start()} before accepting sockets, {@code setState(DRAINING)} to drain and {@code stop()} on a
 *       clean exit.</li>
 *   <li>Signaling calls {@code placement.place(room)} on a join that has no local room, routes to the answer's node,
 *       and {@code release(room, epoch)} when a room it owns ends.</li>
 *   <li>The owner of rooms calls {@code verifyOwnership(rooms -> epochs)} every few seconds and from
 *       {@code registry.onLeaseLapse(..)} (a lease gap or a Redis outage), and closes the rooms it answers.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * <ul>
 *   <li>Nothing here blocks. Every Redis call is asynchronous and answers a Vert.x {@code Future} that completes on a
 *       Vert.x event loop (the caller's context when called from one). A caller on a media loop must hop back to its
 *       loop before touching room state in the callback.</li>
 *   <li>Every call is bounded by {@link dev.prism.cluster.ClusterSettings#commandTimeoutMillis()} and fails with
 *       {@link dev.prism.cluster.ClusterUnavailable} (a bounded {@code Reason}) when Redis is down, frozen or slow, or
 *       when no node is eligible: a placement never hangs.</li>
 *   <li>Timers come from an injected {@link dev.prism.cluster.PeriodicScheduler} (Vert.x periodic timers in a node,
 *       ticked by hand in tests) and time from an injected {@code MonoClock}. Their tasks only start Redis calls; a
 *       tick whose previous call is still in flight is skipped.</li>
 *   <li>{@code NodeRegistry}, {@code NodeChooser} and {@code RoomPlacement} are thread-safe: the live-node view is an
 *       immutable snapshot in a volatile field; the chooser's per-node corrections are guarded by its monitor.</li>
 *   <li>{@link dev.prism.cluster.LoadModel}, {@link dev.prism.cluster.NodeLoad} and the records are immutable and pure.</li>
 * </ul>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A room's record changes only through the Lua scripts (claim, verify, release), each touching only the room's
 *       key: one compare-and-set per claim, so concurrent placements agree on one owner, and every claim bumps the
 *       epoch.</li>
 *   <li>A node's id is fresh per process, so a restarted node never inherits a lease or a room.</li>
 *   <li>Redis holds only nodes, their load and room owners; participants and media state stay in the owner's memory.</li>
 * </ul>
 */
package dev.prism.cluster;
