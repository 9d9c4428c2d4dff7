package dev.prism.perf.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One Janus API session over Janus's plain HTTP transport: requests are POSTs to {@code /janus[/session[/handle]]},
 * asynchronous plugin events come from a long poll ({@code GET /janus/<session>?maxev=10}) that also keeps the
 * session alive. Events are delivered on {@code loop}, per handle.
 */
final class JanusSession {
    private final HttpClient http;
    private final URI base;
    private final Executor loop;
    private final long id;
    private final AtomicLong transactions = new AtomicLong();
    private final Map<Long, Consumer<JsonObject>> handlers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private JanusSession(HttpClient http, URI base, Executor loop, long id) {
        this.http = http;
        this.base = base;
        this.loop = loop;
        this.id = id;
    }

    /** Creates a session and starts its long poll. */
    static CompletableFuture<JanusSession> create(HttpClient http, URI base, Executor loop) {
        return post(http, base, new JsonObject().put("janus", "create").put("transaction", "c"))
                .thenApply(r -> {
                    JanusSession s = new JanusSession(http, base, loop, r.getJsonObject("data").getLong("id"));
                    s.poll();
                    return s;
                });
    }

    /** Attaches a plugin handle; its events go to {@code onEvent} (on the loop). */
    CompletableFuture<Long> attach(String plugin, Consumer<JsonObject> onEvent) {
        return post(http, session(), request("attach").put("plugin", plugin)).thenApply(r -> {
            long handle = r.getJsonObject("data").getLong("id");
            handlers.put(handle, onEvent);
            return handle;
        });
    }

    /**
     * Sends a message to a plugin handle; completes with Janus's immediate reply ({@code success} with plugin data
     * for synchronous requests, {@code ack} for asynchronous ones, whose outcome comes as an event).
     */
    CompletableFuture<JsonObject> message(long handle, JsonObject body, JsonObject jsep) {
        JsonObject m = request("message").put("body", body);
        if (jsep != null) {
            m.put("jsep", jsep);
        }
        return post(http, handleUri(handle), m);
    }

    /** Tells Janus that this handle will trickle no candidates (they are all in the SDP). */
    CompletableFuture<JsonObject> trickleCompleted(long handle) {
        return post(http, handleUri(handle), request("trickle").put("candidate",
                new JsonObject().put("completed", true)));
    }

    /** Destroys the session (and its handles); never throws. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        post(http, session(), request("destroy")).exceptionally(e -> null);
    }

    private JsonObject request(String janus) {
        return new JsonObject().put("janus", janus).put("transaction", "t" + transactions.incrementAndGet());
    }

    private void poll() {
        if (closed) {
            return;
        }
        HttpRequest get = HttpRequest.newBuilder(URI.create(session() + "?maxev=10"))
                .timeout(Duration.ofSeconds(60)).GET().build();
        http.sendAsync(get, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
            if (e == null && r.statusCode() == 200) {
                String body = r.body().trim();
                loop.execute(() -> dispatch(body));
            }
            if (!closed) {
                poll();
            }
        });
    }

    private void dispatch(String body) {
        JsonArray events = body.startsWith("[") ? new JsonArray(body) : new JsonArray().add(new JsonObject(body));
        for (int i = 0; i < events.size(); i++) {
            JsonObject ev = events.getJsonObject(i);
            Long sender = ev.getLong("sender");
            Consumer<JsonObject> h = sender == null ? null : handlers.get(sender);
            if (h != null) {
                h.accept(ev);
            }
        }
    }

    private URI session() {
        return URI.create(base + "/" + id);
    }

    private URI handleUri(long handle) {
        return URI.create(base + "/" + id + "/" + handle);
    }

    private static CompletableFuture<JsonObject> post(HttpClient http, URI uri, JsonObject body) {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            JsonObject j = new JsonObject(r.body());
            if ("error".equals(j.getString("janus"))) {
                throw new IllegalStateException("janus error for " + body.getString("janus") + ": "
                        + j.getJsonObject("error"));
            }
            return j;
        });
    }
}
