package dev.prism.server;

import dev.prism.webhooks.WebhookSigner;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A webhook receiver for whole-node tests: a real HTTP server that checks every request's signature and, per room, that
 * accepted events arrive in seq order without gaps or repeats. It can answer 500 while {@link #failing} is set, or
 * hold every answer for {@link #holdMillis} (a slow receiver). Thread-safe.
 */
final class WebhookReceiver implements AutoCloseable {
    /** An accepted delivery and when it arrived (wall clock). */
    record Received(JsonObject event, long receivedAtMillis) {
        String type() {
            return event.getString("event");
        }

        long seq() {
            return event.getLong("seq");
        }
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final String secret;
    private final List<Received> accepted = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Long> lastSeqByRoom = new HashMap<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    volatile boolean failing;
    volatile long holdMillis;

    WebhookReceiver(Vertx vertx, String secret) throws Exception {
        this.vertx = vertx;
        this.secret = secret;
        this.server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            requests.incrementAndGet();
            synchronized (this) {
                notifyAll();
            }
            long hold = holdMillis;
            if (hold > 0) {
                vertx.setTimer(hold, id -> req.response().setStatusCode(204).end());
                return;
            }
            if (failing) {
                refused.incrementAndGet();
                req.response().setStatusCode(500).end("down for maintenance");
                return;
            }
            String text = body.toString();
            long now = System.currentTimeMillis();
            if (!WebhookSigner.verify(secret, req.getHeader(WebhookSigner.SIGNATURE_HEADER), text, now / 1000, 300)) {
                problem("bad signature on " + text);
                req.response().setStatusCode(401).end();
                return;
            }
            JsonObject event = new JsonObject(text);
            synchronized (this) {
                String room = event.getString("room") + "/" + event.getString("roomSid");
                long last = lastSeqByRoom.getOrDefault(room, 0L);
                if (event.getLong("seq") != last + 1) {
                    problems.add("room " + room + ": seq " + event.getLong("seq") + " after " + last);
                }
                lastSeqByRoom.put(room, Math.max(last, event.getLong("seq")));
                accepted.add(new Received(event, now));
                notifyAll();
            }
            req.response().setStatusCode(204).end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/hooks";
    }

    synchronized List<Received> accepted() {
        return List.copyOf(accepted);
    }

    synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    int refused() {
        return refused.get();
    }

    int requests() {
        return requests.get();
    }

    private synchronized void problem(String p) {
        problems.add(p);
    }

    /** Waits until at least {@code n} requests arrived (answered or not), or fails after {@code seconds}. */
    synchronized void awaitRequests(int n, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (requests.get() < n) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new AssertionError("fewer than " + n + " requests within " + seconds + " s");
            }
            wait(left);
        }
    }

    /** Waits until an accepted event matches, or fails after {@code seconds}. */
    Received await(Predicate<Received> match, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            synchronized (this) {
                for (Received r : accepted) {
                    if (match.test(r)) {
                        return r;
                    }
                }
                try {
                    wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted");
                }
            }
        }
        throw new AssertionError("no matching webhook within " + seconds + " s; accepted: " + accepted());
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
