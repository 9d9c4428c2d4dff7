package dev.prism.signaling.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A deadline for each HTTP connection to deliver a complete request head: armed when the connection opens and again
 * when a response ends (a kept-alive connection waiting for its next request), cancelled when a request head arrives.
 * A connection that misses it is closed, however many bytes it trickled meanwhile: Vert.x's idle timeout alone
 * restarts on every byte, so a "slowloris" client sending one byte every few seconds would hold its connection (and
 * its buffers) forever.
 *
 * <p>Threading: each connection's callbacks run on its own event loop; the table of pending deadlines is concurrent.
 */
final class RequestHeadDeadline {
    private final Vertx vertx;
    private final long timeoutMillis;
    private final HttpGuardCounters counters;
    private final GuardLog log;
    /** Connections open on this server, with their armed timer or -1. */
    private final Map<HttpConnection, Long> timers = new ConcurrentHashMap<>();

    RequestHeadDeadline(Vertx vertx, long timeoutMillis, HttpGuardCounters counters, GuardLog log) {
        this.vertx = vertx;
        this.timeoutMillis = timeoutMillis;
        this.counters = counters;
        this.log = log;
    }

    /** A connection was accepted. */
    void opened(HttpConnection connection) {
        connection.closeHandler(v -> cancel(timers.remove(connection)));
        arm(connection);
    }

    /** A request head arrived on {@code connection}. */
    void requestArrived(HttpConnection connection) {
        Long timer = timers.replace(connection, -1L);
        cancel(timer);
    }

    /** {@code connection} becomes a WebSocket (or is refused as one): it leaves HTTP's request/response rhythm. */
    void upgrading(HttpConnection connection) {
        cancel(timers.remove(connection));
    }

    /** A response ended: the connection waits for its next request (HTTP keep-alive). */
    void responseEnded(HttpConnection connection) {
        if (timers.containsKey(connection)) {
            arm(connection);
        }
    }

    /** Connections whose deadline is armed (for tests and the idle-connection measurement). */
    int waitingForHead() {
        return (int) timers.values().stream().filter(t -> t >= 0).count();
    }

    private void arm(HttpConnection connection) {
        long timer = vertx.setTimer(timeoutMillis, id -> expire(connection, id));
        cancel(timers.put(connection, timer));
    }

    private void expire(HttpConnection connection, long timer) {
        if (timers.replace(connection, timer, -1L)) {
            counters.cut(HttpGuardCounters.Cut.REQUEST_HEAD_TIMEOUT);
            log.info("http: closed a connection from {}: no complete request within {} ms",
                    connection.remoteAddress(), timeoutMillis);
            connection.close();
        }
    }

    private void cancel(Long timer) {
        if (timer != null && timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
