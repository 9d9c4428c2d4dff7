package dev.prism.cluster;

/** A node's state in the registry. Only SERVING nodes receive new rooms. */
public enum NodeState {
    /** Takes new rooms. */
    SERVING,
    /** Stops taking rooms and moves its rooms away (rolling upgrade); its existing rooms stay its own until moved. */
    DRAINING;

    /** The state a record names; anything unknown reads as DRAINING, so a node of a newer version is not chosen. */
    static NodeState parse(String text) {
        return "SERVING".equals(text) ? SERVING : DRAINING;
    }
}
