package dev.prism.perf.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Prism's signaling protocol (docs/PROTOCOL.md) over the JDK's WebSocket client: join with a token in the upgrade,
 * {@code publishOffer}/{@code publishAnswer}, and an answer for every {@code subscriberOffer}.
 *
 * <p>Threads: the JDK client delivers messages on its own threads; they are handled on {@code loop} in order.
 * Sends are chained, as the JDK client allows one outstanding send.
 */
final class PrismSignaling implements RoomSignaling {
    private final HttpClient http;
    private final URI uri;
    private final Executor loop;
    private final String name;
    private final AtomicInteger requestIds = new AtomicInteger();
    private final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private CompletableFuture<WebSocket> socket;
    private Function<String, String> answerer;
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);

    /** @param wsUri {@code ws://host:port/ws?token=...} */
    PrismSignaling(HttpClient http, URI wsUri, Executor loop, String name) {
        this.http = http;
        this.uri = wsUri;
        this.loop = loop;
        this.name = name;
    }

    @Override
    public CompletableFuture<Void> join(Function<String, String> subscriberAnswerer) {
        this.answerer = subscriberAnswerer;
        socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, new Listener());
        socket.whenComplete((ws, e) -> {
            if (e != null) {
                welcomed.completeExceptionally(new IllegalStateException(name + ": WebSocket failed: " + e, e));
            }
        });
        return welcomed;
    }

    /** Completes with the close code (1006 on an error) when the socket ends, on the JDK client's thread. */
    CompletableFuture<Integer> closed() {
        return closed;
    }

    @Override
    public CompletableFuture<String> publish(String offerSdp) {
        String id = Integer.toString(requestIds.incrementAndGet());
        CompletableFuture<String> answer = new CompletableFuture<>();
        pending.put(id, answer);
        send(new JsonObject().put("type", "publishOffer").put("requestId", id).put("sdp", offerSdp)
                .put("tracks", new JsonArray()
                        .add(new JsonObject().put("mid", "0").put("source", "microphone"))
                        .add(new JsonObject().put("mid", "1").put("source", "camera"))));
        return answer;
    }

    @Override
    public void close() {
        if (socket == null) {
            return;
        }
        send(new JsonObject().put("type", "leave"));
        synchronized (this) {
            sendChain = sendChain.handle((x, e) -> null)
                    .thenCompose(x -> socket.thenCompose(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye")))
                    .exceptionally(e -> null);
        }
    }

    private synchronized void send(JsonObject msg) {
        String text = msg.encode();
        sendChain = sendChain.handle((x, e) -> null)
                .thenCompose(x -> socket.thenCompose(ws -> ws.sendText(text, true)));
    }

    private void onMessage(JsonObject m) {
        String type = m.getString("type", "");
        switch (type) {
            case "welcome" -> welcomed.complete(null);
            case "publishAnswer" -> {
                CompletableFuture<String> f = pending.remove(m.getString("requestId", ""));
                if (f != null) {
                    f.complete(m.getString("sdp"));
                }
            }
            case "subscriberOffer" -> {
                if (answerer != null) {
                    String answer = answerer.apply(m.getString("sdp"));
                    send(new JsonObject().put("type", "subscriberAnswer").put("version", m.getInteger("version"))
                            .put("sdp", answer));
                }
            }
            case "error" -> {
                IllegalStateException e = new IllegalStateException(name + ": server error " + m.encode());
                CompletableFuture<String> f = pending.remove(m.getString("requestId", ""));
                if (f != null) {
                    f.completeExceptionally(e);
                } else {
                    System.err.println(e.getMessage());
                }
            }
            default -> { } // room events: not needed by the load generator
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                loop.execute(() -> {
                    try {
                        onMessage(new JsonObject(text));
                    } catch (RuntimeException e) {
                        System.err.println(name + ": bad signaling message: " + e);
                    }
                });
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            welcomed.completeExceptionally(new IllegalStateException(name + ": closed " + status + " " + reason));
            closed.complete(status);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            welcomed.completeExceptionally(error);
            closed.complete(1006);
        }
    }
}
