package dev.prism.signaling.route;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Where the signaling session of a room runs. The launcher supplies it: LOCAL on a single node, placement in a cluster. */
public interface SessionRouting {
    /**
     * Called on a Vert.x event loop when a socket with a verified token for roomId arrives (and by the owner before it
     * accepts a proxied session). Must not block; completes on any thread; never fails (failures are Route.Unavailable).
     */
    CompletionStage<Route> route(String roomId);

    SessionRouting LOCAL = room -> CompletableFuture.completedFuture(Route.LOCAL);
}
