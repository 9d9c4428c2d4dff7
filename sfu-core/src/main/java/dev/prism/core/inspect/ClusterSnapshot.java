package dev.prism.core.inspect;

import java.util.List;

/**
 * The cluster as one node sees it (cluster mode only): the live nodes from the registry and which node owns each
 * room, read from Redis when asked. Immutable.
 *
 * @param selfId  the id of the node that answered
 * @param nodes   the live nodes, sorted by id
 * @param rooms   room records, sorted by room id (at most {@link #MAX_ROOMS})
 * @param roomsTruncated whether more room records exist than listed
 */
public record ClusterSnapshot(String selfId, List<Node> nodes, List<RoomOwnership> rooms, boolean roomsTruncated) {
    /** Room records listed at most. */
    public static final int MAX_ROOMS = 1000;

    public ClusterSnapshot {
        nodes = List.copyOf(nodes);
        rooms = List.copyOf(rooms);
    }

    /**
     * @param id              the node's id for this process
     * @param state           SERVING or DRAINING
     * @param score           its reported load score (1.0 = its bottleneck is full)
     * @param reportAgeMillis how long ago it last reported (its lease is renewed twice as often)
     * @param link            its node-to-node link address
     * @param participants    participants it reported
     * @param rooms           rooms it reported
     * @param version         its Prism version
     */
    public record Node(String id, String state, double score, long reportAgeMillis, String link, int participants,
                       int rooms, String version) {
    }

    /**
     * @param room       the room id
     * @param node       the owner's id
     * @param epoch      the record's epoch
     * @param ownerAlive whether the owner is among the live nodes
     */
    public record RoomOwnership(String room, String node, long epoch, boolean ownerAlive) {
    }
}
