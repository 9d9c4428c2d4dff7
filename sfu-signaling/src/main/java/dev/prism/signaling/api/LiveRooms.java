package dev.prism.signaling.api;

import dev.prism.core.room.Room;
import dev.prism.core.text.ClientText;
import dev.prism.signaling.route.Route;
import dev.prism.signaling.session.SfuContext;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * Finds the room a server API call is about and runs work on its loop.
 *
 * <p>Cluster mode: a room that is not live on this node is looked up in the cluster's placement
 * ({@link SfuContext#routing()}). When another node owns it the call is answered {@code 421 wrong_node} with the
 * owner's node id: the backend repeats it there (forwarding over the node-to-node link is not done yet, see
 * docs/API.md). Looking a room up places it as a join would, so the first call about a room nobody owns yet makes
 * this node its owner (an unused placement is released after the cluster's hold time).
 */
final class LiveRooms {
    private final SfuContext sfu;

    LiveRooms(SfuContext sfu) {
        this.sfu = sfu;
    }

    /** The live room on this node, or null. Any thread. */
    Room local(String roomId) {
        Room r = sfu.rooms().get(roomId);
        return r == null || r.isClosed() ? null : r;
    }

    /**
     * Completes when the room may be served here: {@code true} when it is live here, {@code false} when it is not
     * live anywhere this node can tell (single node), or placed here; fails with {@code 421 wrong_node} when another
     * node owns it, {@code 503} when the cluster cannot say. Call on the request's event loop.
     */
    CompletableFuture<Boolean> servedHere(String roomId) {
        if (local(roomId) != null) {
            return CompletableFuture.completedFuture(true);
        }
        if (!sfu.clustered()) {
            return CompletableFuture.completedFuture(false);
        }
        return sfu.routing().route(roomId).toCompletableFuture().thenApply(route -> {
            if (route instanceof Route.Remote remote) {
                throw new java.util.concurrent.CompletionException(new ApiException(421, "wrong_node",
                        "room '" + ClientText.forLog(roomId) + "' lives on node " + remote.nodeId()
                                + ": send the request to that node"));
            }
            if (route instanceof Route.Unavailable u) {
                throw new java.util.concurrent.CompletionException(new ApiException(503, u.reason(),
                        "the cluster cannot tell where room '" + ClientText.forLog(roomId) + "' lives now"));
            }
            return local(roomId) != null;
        });
    }

    /**
     * Runs {@code work} on the live room's loop; fails with 404 when the room is not live here (or ends before the
     * work runs), 421/503 in a cluster as {@link #servedHere} says.
     */
    <T> CompletableFuture<T> onRoom(String roomId, RoomWork<T> work) {
        return servedHere(roomId).thenCompose(here -> {
            Room room = local(roomId);
            if (room == null) {
                return CompletableFuture.failedFuture(noRoom(roomId));
            }
            return call(room, () -> {
                if (!sfu.conference().isLive(room)) {
                    throw noRoom(roomId);
                }
                return work.run(room);
            });
        });
    }

    /** Work on a room's loop. */
    interface RoomWork<T> {
        T run(Room room) throws Exception;
    }

    static ApiException noRoom(String roomId) {
        return ApiException.notFound("no room '" + ClientText.forLog(roomId) + "'");
    }

    static ApiException noParticipant(String roomId, String identity) {
        return ApiException.notFound("no participant '" + ClientText.forLog(identity) + "' in room '"
                + ClientText.forLog(roomId) + "'");
    }

    /** Runs on the room's loop (queued: API calls never come from it). */
    static <T> CompletableFuture<T> call(Room room, Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            room.executor().execute(() -> {
                try {
                    f.complete(task.call());
                } catch (Exception e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new ApiException(503, "stopping", "the node is stopping"));
        }
        return f;
    }
}
