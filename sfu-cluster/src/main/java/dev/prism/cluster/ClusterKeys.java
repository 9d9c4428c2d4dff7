package dev.prism.cluster;

/**
 * The Redis keys of cluster mode (docs/CLUSTER.md). A room's key carries the hash tag {@code {room:<id>}} so that
 * everything one room's script touches lives in one slot of a Redis Cluster; the placement scripts touch only that key.
 */
public final class ClusterKeys {
    /** Set of the ids of registered nodes. */
    public static final String NODES = "prism:nodes";

    /** Longest room id accepted in a key (room ids come from tokens; a key must stay small). */
    public static final int MAX_ROOM_ID_LENGTH = 256;

    private ClusterKeys() {
    }

    /** Hash: the node's link URL, media address and ports, version, state, load figures. */
    public static String node(String nodeId) {
        return "prism:node:" + nodeId;
    }

    /** String with an expiry: present while the node's liveness lease holds. */
    public static String alive(String nodeId) {
        return "prism:node:" + nodeId + ":alive";
    }

    /** Hash: {@code node}, {@code epoch}, {@code since} of the room's owner. */
    public static String room(String roomId) {
        checkRoomId(roomId);
        return "prism:room:{room:" + roomId + "}";
    }

    static void checkRoomId(String roomId) {
        if (roomId == null || roomId.isEmpty() || roomId.length() > MAX_ROOM_ID_LENGTH) {
            throw new IllegalArgumentException("room id must have 1.." + MAX_ROOM_ID_LENGTH + " characters");
        }
    }
}
