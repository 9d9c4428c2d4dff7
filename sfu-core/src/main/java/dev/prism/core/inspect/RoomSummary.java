package dev.prism.core.inspect;

/**
 * One room in a list.
 *
 * @param bitsInPerSecond  what its publishers send (sum of their tracks), null until measured
 * @param bitsOutPerSecond what Prism forwards to its subscribers, null until measured
 */
public record RoomSummary(String id, int participants, int tracks, Double bitsInPerSecond, Double bitsOutPerSecond) {
}
