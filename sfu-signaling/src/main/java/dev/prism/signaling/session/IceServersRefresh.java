package dev.prism.signaling.session;

import dev.prism.core.clock.Timers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Keeps one participant's TURN credentials fresh. Every {@link #fresh()} (a welcome, first or after a resume) mints
 * credentials and arms a timer for {@link IceServers#refreshAfterNanos()}; when it fires on a joined session the
 * client gets an {@code iceServers} message with new ones (and the timer is armed again), so credentials never run out
 * under a long call: the browser needs unexpired ones for every new TURN allocation, an ICE restart's included
 * (coturn keeps refreshing an allocation it already authenticated). While the socket is away nothing is sent: the
 * resume's welcome carries fresh credentials and re-arms the timer.
 *
 * <p>Room loop only (the scheduler runs the task there).
 */
final class IceServersRefresh {
    /** Runs a task on the room loop after a delay. */
    @FunctionalInterface
    interface Scheduler {
        Timers.Handle schedule(Runnable task, long delayNanos);
    }

    private final IceServers servers;
    private final String identity;
    private final Scheduler scheduler;
    private final Consumer<JsonObject> send;
    private final BooleanSupplier joined;
    private Timers.Handle timer;
    private boolean closed;
    private long refreshes;

    /**
     * @param send   sends a message to the client (on its current socket)
     * @param joined whether the session is joined on a live socket now
     */
    IceServersRefresh(IceServers servers, String identity, Scheduler scheduler, Consumer<JsonObject> send,
                      BooleanSupplier joined) {
        this.servers = servers;
        this.identity = identity;
        this.scheduler = scheduler;
        this.send = send;
        this.joined = joined;
    }

    /** Credentials minted now, for a welcome; (re)arms the refresh. */
    JsonArray fresh() {
        JsonArray list = servers.forParticipant(identity);
        arm();
        return list;
    }

    /** How many {@code iceServers} messages were sent. */
    long refreshes() {
        return refreshes;
    }

    /** The session ended: no more refreshes. Idempotent. */
    void close() {
        closed = true;
        cancel();
    }

    private void arm() {
        cancel();
        long after = servers.refreshAfterNanos();
        if (!closed && after > 0) {
            timer = scheduler.schedule(this::onDue, after);
        }
    }

    private void onDue() {
        timer = null;
        if (closed || !joined.getAsBoolean()) {
            return; // the resume's welcome brings fresh credentials and arms again
        }
        refreshes++;
        send.accept(new JsonObject().put("type", "iceServers").put("iceServers", fresh()));
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
