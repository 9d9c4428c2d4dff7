package dev.prism.signaling.route;

/** Where a room's signaling session runs: here, on another node, or nowhere reachable now. */
public sealed interface Route {
    Route LOCAL = new Local();

    /** This node owns the room. */
    record Local() implements Route {
    }

    /**
     * Another node owns the room.
     *
     * @param nodeId      the owner's node id (as in the registry)
     * @param linkAddress its node-to-node link address, like {@code link://127.0.0.1:7000}
     */
    record Remote(String nodeId, String linkAddress) implements Route {
    }

    /** No owner can be found now. {@code reason} is a bounded label, e.g. {@code cluster_unavailable}. */
    record Unavailable(String reason) implements Route {
    }
}
