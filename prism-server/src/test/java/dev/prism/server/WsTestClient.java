package dev.prism.server;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client for signaling tests (the JDK's), collecting the server's JSON messages in order. Public for
 * the tests of other packages (the cluster bench).
 */
public final class WsTestClient implements AutoCloseable {
    private final LinkedBlockingQueue<JsonObject> inbox;
    private final List<JsonObject> seen = new ArrayList<>();
    private final WebSocket ws;
    private volatile int closeCode = -1;
    private volatile boolean ended;

    private WsTestClient(WebSocket ws, LinkedBlockingQueue<JsonObject> inbox) {
        this.ws = ws;
        this.inbox = inbox;
    }

    /** Result of an upgrade the server refused. */
    record Refusal(int status, String body) {
    }

    public static WsTestClient connect(int port, String token) {
        return connectQuery(port, token == null ? "" : "token=" + token);
    }

    /** Connects to {@code /ws?<query>} (e.g. {@code token=...&resume=...}). */
    public static WsTestClient connectQuery(int port, String query) {
        // The inbox exists before the socket: the server's first message (welcome) may arrive before buildAsync
        // returns, on the client's own thread, and must not be lost in a hand-over.
        LinkedBlockingQueue<JsonObject> inbox = new LinkedBlockingQueue<>();
        StringBuilder partial = new StringBuilder();
        int[] code = {-1};
        boolean[] ended = {false};
        WsTestClient[] self = new WsTestClient[1];
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    inbox.add(new JsonObject(partial.toString()));
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                synchronized (code) {
                    code[0] = statusCode;
                    ended[0] = true;
                    if (self[0] != null) {
                        self[0].closeCode = statusCode;
                        self[0].ended = true;
                    }
                }
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                // The connection ended without a close frame (the server's process died, say).
                synchronized (code) {
                    ended[0] = true;
                    if (self[0] != null) {
                        self[0].ended = true;
                    }
                }
            }
        };
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws" + (query.isEmpty() ? "" : "?" + query)),
                        listener).join();
        WsTestClient c = new WsTestClient(ws, inbox);
        synchronized (code) {
            self[0] = c;
            c.closeCode = code[0];
            c.ended = ended[0];
        }
        return c;
    }

    /** Connects expecting the server to refuse the upgrade; returns its status and body. */
    static Refusal connectRefused(int port, String token) {
        return connectQueryRefused(port, token == null ? "" : "token=" + token);
    }

    /** Connects to {@code /ws?<query>} expecting a refusal; returns its status and body. */
    static Refusal connectQueryRefused(int port, String query) {
        try {
            connectQuery(port, query).close();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                Object body = h.getResponse().body();
                return new Refusal(h.getResponse().statusCode(), body == null ? "" : body.toString());
            }
            throw e;
        }
        throw new AssertionError("the server accepted the WebSocket");
    }

    public void send(JsonObject msg) {
        sendRaw(msg.encode());
    }

    void sendRaw(String text) {
        ws.sendText(text, true).join();
    }

    /** The next message of {@code type}, skipping others (kept in {@link #seen()}); fails after {@code seconds}. */
    public JsonObject next(String type, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            JsonObject o;
            try {
                o = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
            if (o == null) {
                throw new AssertionError("no '" + type + "' message within " + seconds + " s; saw " + seen);
            }
            seen.add(o);
            if (type.equals(o.getString("type"))) {
                return o;
            }
        }
    }

    /**
     * Waits {@code millis} and returns every message that arrived meanwhile (also kept in {@link #seen()}): for checks
     * that something did not happen.
     */
    public List<JsonObject> quietFor(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        List<JsonObject> got = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return got;
            }
            try {
                JsonObject o = inbox.poll(left, TimeUnit.NANOSECONDS);
                if (o != null) {
                    seen.add(o);
                    got.add(o);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    public List<JsonObject> seen() {
        return seen;
    }

    public int closeCode() {
        return closeCode;
    }

    /** Waits until the server closed the socket (at most {@code seconds}); returns its close code, -1 if open. */
    public int awaitClose(int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (closeCode == -1 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // poll
        }
        return closeCode;
    }

    /** Whether the connection ended: a close frame arrived, or the connection broke without one. */
    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        } catch (RuntimeException ignored) {
            // already closed
        }
    }

    /** Closes with a given status code (1001: what a browser sends when the page goes away). */
    void closeWith(int code) {
        ws.sendClose(code, "").join();
    }

    public void abort() {
        ws.abort();
    }
}
