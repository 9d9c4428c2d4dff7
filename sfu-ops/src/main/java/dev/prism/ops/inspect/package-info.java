/**
 * The node's read model for operators ({@link dev.prism.core.inspect.NodeInspector}) over the live session, room and
 * media objects, and the sampler that turns byte counters into rates and short histories.
 *
 * <p>Threading: every read of a room, its router, its sessions and their media objects happens on the room's own
 * executor (a hop with {@code room.executor().execute}); the per-room rate state ({@link
 * dev.prism.ops.inspect.RoomStats}) lives on that executor too; the reads of live objects are the conference's ({@link dev.prism.conference.RoomReader}). Node-wide values read only atomic counters and
 * JVM beans. Nothing here runs on the packet path: sampling costs one pass over a room's objects per second.
 */
package dev.prism.ops.inspect;
