package dev.prism.core.inspect;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What an operator can see of a node and do to it. Implemented by the launcher's module, which reads each room on the
 * room's own thread; callers on any thread get futures and immutable snapshots back.
 *
 * <p>Futures may complete on a media thread: callers that must continue on their own thread (a Vert.x context) hop
 * back themselves, and must never block in a continuation.
 */
public interface NodeInspector {

    /** Node-wide totals, rates and process health. */
    CompletableFuture<NodeSnapshot> node();

    /** One line per room, sorted by id. */
    CompletableFuture<List<RoomSummary>> rooms();

    /** Everything about one room, or empty when there is no such room (now). */
    CompletableFuture<Optional<RoomSnapshot>> room(String roomId);

    /** The participant's recent time series (a few minutes, one point per sample), or empty when unknown. */
    CompletableFuture<Optional<ParticipantHistory>> history(String roomId, String participantId);

    /**
     * Removes a participant: its media connections close and its client is told {@code removed} before its socket
     * closes; the others see it leave with reason {@code removed}.
     */
    CompletableFuture<ActionOutcome> removeParticipant(String roomId, String participantId);

    /** Sets a track's muted state as the room's authority; everyone, the publisher included, is told. */
    CompletableFuture<ActionOutcome> muteTrack(String roomId, String trackId, boolean muted);

    /** Removes everyone from the room (reason {@code room_closed}) and forgets the room. */
    CompletableFuture<ActionOutcome> closeRoom(String roomId);

    /** The cluster as this node sees it; empty on a single node (the default). */
    default CompletableFuture<Optional<ClusterSnapshot>> cluster() {
        return CompletableFuture.completedFuture(Optional.empty());
    }

    /**
     * Calls {@code listener} after anything changes in any room: a join, a leave, a track published, unpublished,
     * muted or unmuted. It runs on the room's thread: it must return at once (hop elsewhere for real work).
     *
     * @return closes the subscription
     */
    AutoCloseable onChange(Runnable listener);
}
