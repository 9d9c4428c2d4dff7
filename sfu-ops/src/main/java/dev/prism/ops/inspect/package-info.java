/**
 * The node's read model for operators ({@link dev.prism.core.inspect.NodeInspector}, which the admin UI reads) over
 * the conference and the media plane's counters, and the sampler that turns byte counters into rates and short
 * histories. It reads the node through sfu-conference ({@link dev.prism.conference.Conference},
 * {@link dev.prism.conference.RoomReader}), never the router; signaling's figures of the node snapshot come from a
 * supplier the launcher gives ({@code SfuContext::signalingStats}), so this module does not depend on signaling.
 *
 * <p>Threading: every read of a room, its participants and their media objects happens on the room's own executor
 * (a hop with {@code room.executor().execute}); the per-room rate state ({@link dev.prism.ops.inspect.RoomStats})
 * lives on that executor too. Node-wide values read only atomic counters and JVM beans. Nothing here runs on the
 * packet path: sampling costs one pass over a room's objects per second.
 */
package dev.prism.ops.inspect;
