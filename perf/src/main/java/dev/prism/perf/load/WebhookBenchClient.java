package dev.prism.perf.load;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A participant of the webhook benchmark: a signaling WebSocket (the JDK client) whose messages are read in order by
 * the benchmark's thread ({@link #next}), as a browser's SDK would see them. No media: joins, publishes (an offer and
 * its answer) and leaves are what make webhook events.
 */
final class WebhookBenchClient implements AutoCloseable {
    private final WebSocket ws;
    private final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();

    WebhookBenchClient(HttpClient http, int port, String token) {
        this.ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws?token=" + token), new Listener())
                .orTimeout(15, TimeUnit.SECONDS).join();
    }

    void send(JsonObject message) {
        ws.sendText(message.encode(), true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** The next message of {@code type} (others before it are skipped), waiting at most {@code seconds}. */
    JsonObject next(String type, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            JsonObject m = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new IllegalStateException("no '" + type + "' message within " + seconds + " s");
            }
            if (type.equals(m.getString("type"))) {
                return m;
            }
        }
    }

    @Override
    public void close() {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        ws.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(new JsonObject(partial.toString()));
                partial.setLength(0);
            }
            w.request(1);
            return null;
        }
    }
}
