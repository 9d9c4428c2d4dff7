package dev.prism.perf.attack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A bare signaling WebSocket (the JDK client): text frames out, whole messages in to a callback, and the close code
 * the server chose. Sends wait for the previous one (the JDK client allows one outstanding send), so a flood is paced
 * by the server's reading, as a real client's would be.
 */
final class SignalingClient implements AutoCloseable {
    private final WebSocket ws;
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();

    private SignalingClient(HttpClient http, URI uri, Consumer<String> onMessage) {
        this.ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener(onMessage)).orTimeout(15, TimeUnit.SECONDS).join();
    }

    static SignalingClient connect(HttpClient http, int port, String token, Consumer<String> onMessage) {
        return new SignalingClient(http, URI.create("ws://127.0.0.1:" + port + "/ws?token=" + token), onMessage);
    }

    /** Sends one text message; false when the socket was closed or the send failed or took over 10 s. */
    boolean send(String text) {
        if (closed.isDone()) {
            return false;
        }
        try {
            ws.sendText(text, true).get(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The close code the server sent, or empty while open. */
    CompletableFuture<Integer> closed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null)
                    .join();
        }
        ws.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final Consumer<String> onMessage;
        private final StringBuilder partial = new StringBuilder();

        Listener(Consumer<String> onMessage) {
            this.onMessage = onMessage;
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                onMessage.accept(partial.toString());
                partial.setLength(0);
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
            closed.complete(status);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            closed.complete(-1);
        }
    }
}
