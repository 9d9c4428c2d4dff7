package dev.prism.server.cluster;

import dev.prism.core.inspect.ActionOutcome;
import dev.prism.core.inspect.ClusterSnapshot;
import dev.prism.core.inspect.NodeInspector;
import dev.prism.core.inspect.NodeSnapshot;
import dev.prism.core.inspect.ParticipantHistory;
import dev.prism.core.inspect.RoomSnapshot;
import dev.prism.core.inspect.RoomSummary;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The node's read model plus the cluster view (cluster mode): everything else is the node's own inspector's. */
final class ClusterInspector implements NodeInspector {
    private final NodeInspector node;
    private final ClusterView view;

    ClusterInspector(NodeInspector node, ClusterView view) {
        this.node = node;
        this.view = view;
    }

    @Override
    public CompletableFuture<Optional<ClusterSnapshot>> cluster() {
        return view.read().thenApply(Optional::of);
    }

    @Override
    public CompletableFuture<NodeSnapshot> node() {
        return node.node();
    }

    @Override
    public CompletableFuture<List<RoomSummary>> rooms() {
        return node.rooms();
    }

    @Override
    public CompletableFuture<Optional<RoomSnapshot>> room(String roomId) {
        return node.room(roomId);
    }

    @Override
    public CompletableFuture<Optional<ParticipantHistory>> history(String roomId, String participantId) {
        return node.history(roomId, participantId);
    }

    @Override
    public CompletableFuture<ActionOutcome> removeParticipant(String roomId, String participantId) {
        return node.removeParticipant(roomId, participantId);
    }

    @Override
    public CompletableFuture<ActionOutcome> muteTrack(String roomId, String trackId, boolean muted) {
        return node.muteTrack(roomId, trackId, muted);
    }

    @Override
    public CompletableFuture<ActionOutcome> closeRoom(String roomId) {
        return node.closeRoom(roomId);
    }

    @Override
    public AutoCloseable onChange(Runnable listener) {
        return node.onChange(listener);
    }
}
