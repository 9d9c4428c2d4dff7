package dev.prism.signaling.route;

/** Where a room's sessions run: here, on another node, or nowhere now (the cluster cannot answer). */
public sealed interface Route {
    Route LOCAL = new Local();

    record Local() implements Route {
    }

    /** @param linkAddress like {@code link://127.0.0.1:7000} */
    record Remote(String nodeId, String linkAddress) implements Route {
    }

    /** @param reason a bounded label, e.g. {@code cluster_unavailable} */
    record Unavailable(String reason) implements Route {
    }
}
