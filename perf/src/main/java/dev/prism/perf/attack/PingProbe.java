package dev.prism.perf.attack;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The bystander: a participant in its own room that sends {@code ping} every 20 ms over its own socket and records
 * each {@code pong}'s round trip. An unanswered ping counts as lost once a window is read. What the attacks must not
 * disturb.
 */
final class PingProbe implements AutoCloseable {
    private static final long PERIOD_MS = 20;

    private final SignalingClient socket;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "attack-ping");
        t.setDaemon(true);
        return t;
    });
    private final List<Long> rttNanos = Collections.synchronizedList(new ArrayList<>());
    private volatile long sent;

    PingProbe(HttpClient http, int port, String token) {
        socket = SignalingClient.connect(http, port, token, this::onMessage);
        timer.scheduleAtFixedRate(this::ping, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void ping() {
        sent++;
        socket.send(new JsonObject().put("type", "ping").put("requestId", Long.toString(System.nanoTime())).encode());
    }

    private void onMessage(String text) {
        JsonObject m = new JsonObject(text);
        if ("pong".equals(m.getString("type"))) {
            rttNanos.add(System.nanoTime() - Long.parseLong(m.getString("requestId")));
        }
    }

    /** The round trips since the last call (and clears them): p50, p99, max in ms, and pings sent vs answered. */
    Window takeWindow() {
        List<Long> copy;
        long s;
        synchronized (rttNanos) {
            copy = new ArrayList<>(rttNanos);
            rttNanos.clear();
            s = sent;
            sent = 0;
        }
        Collections.sort(copy);
        return new Window(s, copy.size(), pick(copy, 0.50), pick(copy, 0.99), copy.isEmpty() ? Double.NaN
                : copy.get(copy.size() - 1) / 1e6);
    }

    private static double pick(List<Long> sorted, double q) {
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, q * sorted.size())) / 1e6;
    }

    boolean open() {
        return !socket.closed().isDone();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        socket.close();
    }

    /** Ping round trips over one window, in milliseconds. */
    record Window(long sent, long answered, double p50, double p99, double max) {
        String describe() {
            return String.format("ping p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d/%d answered", p50, p99, max,
                    answered, sent);
        }
    }
}
