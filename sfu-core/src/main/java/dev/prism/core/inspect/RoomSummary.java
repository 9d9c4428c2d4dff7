package dev.prism.core.inspect;

/**
 * One room in a list.
 *
 * @param bitsInPerSecond  what its publishers send (sum of their tracks), null until measured
 * @param bitsOutPerSecond what Prism forwards to its subscribers, null until measured
 * @param mediaThread      index of the media thread (event loop) the room lives on; -1 when unknown
 * @param mediaPort        that thread's UDP port, which the room's candidates name; 0 when unknown
 */
public record RoomSummary(String id, int participants, int tracks, Double bitsInPerSecond, Double bitsOutPerSecond,
                          int mediaThread, int mediaPort) {
}
