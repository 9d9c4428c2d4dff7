package dev.prism.cluster;

/**
 * A room's record: which node owns it, at which epoch, since when.
 *
 * @param roomId      the room
 * @param nodeId      the owning node's id
 * @param epoch       bumped by every claim; a node holding the room at a lower epoch is fenced
 * @param sinceMillis wall-clock time of the claim, milliseconds since the epoch (0 when unknown)
 * @param ownerAlive  whether the owner's liveness lease held when the record was read
 */
public record RoomOwner(String roomId, String nodeId, long epoch, long sinceMillis, boolean ownerAlive) {
}
