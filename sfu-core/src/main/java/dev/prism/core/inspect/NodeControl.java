package dev.prism.core.inspect;

import java.util.concurrent.CompletableFuture;

/**
 * What an operator can do to a node as a whole, beside {@link NodeInspector}'s per-room actions: move rooms away and
 * drain it. Implemented by the launcher. Futures may complete on any thread (as {@link NodeInspector}'s).
 */
public interface NodeControl {
    /**
     * Moves a room: each participant is told {@code migrate} and closed with 4011; its client joins again at once
     * (afresh, to the same URL: in a cluster the room's new owner takes it; in single-node mode it lands here again).
     * {@link ActionOutcome.Status#NOT_FOUND} when there is no such room.
     */
    CompletableFuture<ActionOutcome> migrateRoom(String roomId);

    /**
     * Drains the node: it reports not ready ({@code /readyz} 503) from now on, and moves its rooms one at a time,
     * rate-limited ({@link #migrateRoom}). Answers at once with how many rooms are to move; the moves go on in the
     * background. Calling it again while a drain is running changes nothing.
     */
    CompletableFuture<ActionOutcome> drain();
}
