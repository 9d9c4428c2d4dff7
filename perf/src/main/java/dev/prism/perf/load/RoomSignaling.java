package dev.prism.perf.load;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One simulated participant's signaling with the server under test (Prism's WebSocket protocol, or Janus's VideoRoom
 * over its HTTP API): what the load generator needs of it, whatever the server.
 *
 * <p>Futures complete on any thread; callers hop to the load loop themselves. The answerer is called on the load
 * loop.
 */
interface RoomSignaling extends AutoCloseable {
    /**
     * Joins the room.
     *
     * @param subscriberAnswerer for a subscribing participant: turns each offer the server makes for the subscriber
     *                           connection into an answer (called on the load loop); null for a publisher
     */
    CompletableFuture<Void> join(Function<String, String> subscriberAnswerer);

    /** Sends the publisher connection's offer; completes with the server's answer. */
    CompletableFuture<String> publish(String offerSdp);

    /** Leaves and closes; never throws. */
    @Override
    void close();
}
