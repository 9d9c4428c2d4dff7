package dev.prism.conference;

import dev.prism.core.room.Room;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * The hop onto a room's loop that every conference call makes. On the loop already, the task runs at once (so a
 * sequence of calls made on the loop keeps its order and each future is complete when the call returns); from any other
 * thread it is queued on the room's executor. The future always completes on the room's loop, or at once with a
 * {@link RejectedExecutionException} when the loop is shutting down.
 */
final class RoomLoop {
    private RoomLoop() {
    }

    static boolean inLoop(Room room) {
        return room.executor() instanceof EventExecutor e && e.inEventLoop();
    }

    static <T> CompletableFuture<T> call(Room room, Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Runnable run = () -> {
            try {
                f.complete(task.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        };
        if (inLoop(room)) {
            run.run();
        } else {
            try {
                room.executor().execute(run);
            } catch (RejectedExecutionException e) {
                f.completeExceptionally(e);
            }
        }
        return f;
    }

    /** Runs {@code task} on the room's loop (at once when already there); a refused task is dropped. */
    static void run(Room room, Runnable task) {
        if (inLoop(room)) {
            task.run();
        } else {
            try {
                room.executor().execute(task);
            } catch (RejectedExecutionException e) {
                // the room's loop is shutting down with the node
            }
        }
    }
}
