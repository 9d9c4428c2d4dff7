package dev.prism.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.MonoClock;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher against real HTTP receivers on loopback: signed requests in per-room order, and a receiver that never
 * answers (held far beyond the request timeout) costs retries on its own URL only.
 */
class WebhookDispatcherTest {
    private static final String SECRET = "whsec-test-secret-0123456789abcdef";
    private final Vertx vertx = Vertx.vertx();
    private final List<String> received = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpServer receiver(boolean answers) throws Exception {
        return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            requests.incrementAndGet();
            if (!answers) {
                return; // holds the request open: the dispatcher's timeout must end it
            }
            String text = body.toString();
            synchronized (received) {
                if (!WebhookSigner.verify(SECRET, req.getHeader(WebhookSigner.SIGNATURE_HEADER), text,
                        System.currentTimeMillis() / 1000, 60) || !"k1".equals(req.getHeader(WebhookSigner.KEY_ID_HEADER))
                        || !new JsonObject(text).getString("id").equals(req.getHeader("Prism-Event-Id"))) {
                    problems.add(text);
                }
                JsonObject e = new JsonObject(text);
                received.add(e.getString("room") + "#" + e.getLong("seq"));
                received.notifyAll();
            }
            req.response().setStatusCode(200).end("ok");
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static WebhookEvent event(String room, long seq) {
        String id = "EV_" + room + seq;
        return new WebhookEvent(id, EventType.TRACK_MUTED, room, "RM_" + room, seq, System.currentTimeMillis(),
                "{\"id\":\"" + id + "\",\"room\":\"" + room + "\",\"seq\":" + seq + "}");
    }

    private void await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (received) {
            while (!condition.getAsBoolean()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                assertThat(left).as("condition within %d s; received %s", seconds, received).isPositive();
                received.wait(Math.min(left, 100));
            }
        }
    }

    @Test
    void eachRoomArrivesInOrderSignedWhileAnotherReceiverNeverAnswers() throws Exception {
        HttpServer healthy = receiver(true);
        HttpServer silent = receiver(false);
        WebhookMeters meters = new WebhookMeters();
        WebhookDispatcher dispatcher = new WebhookDispatcher(List.of(
                URI.create("http://127.0.0.1:" + silent.actualPort() + "/h"),
                URI.create("http://127.0.0.1:" + healthy.actualPort() + "/h")),
                new WebhookSigner("k1", SECRET),
                new WebhookDispatcher.Settings(new RetrySchedule(50, 200, 60_000), 100, 300), MonoClock.SYSTEM,
                meters);
        vertx.deployVerticle(dispatcher).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        for (int seq = 1; seq <= 20; seq++) {
            dispatcher.offer(event("a", seq));
            dispatcher.offer(event("b", seq));
        }
        // Delivery is at least once: a healthy answer slower than the 300 ms request timeout (a loaded machine) is
        // retried and arrives twice, which receivers drop by event id. What must hold: every event, in order.
        await(() -> {
            synchronized (received) {
                return received.stream().distinct().count() == 40;
            }
        }, 20);
        synchronized (received) {
            assertThat(problems).isEmpty();
            for (String room : List.of("a", "b")) {
                List<String> order = new ArrayList<>();
                for (String r : received) {
                    if (r.startsWith(room + "#") && (order.isEmpty() || !order.get(order.size() - 1).equals(r))) {
                        order.add(r); // a retried event arrives again right after its first copy, never later
                    }
                }
                List<String> expected = new ArrayList<>();
                for (int seq = 1; seq <= 20; seq++) {
                    expected.add(room + "#" + seq);
                }
                assertThat(order).isEqualTo(expected);
            }
            assertThat((long) received.size() - 40).as("duplicates only from retries")
                    .isLessThanOrEqualTo(meters.retriedCount());
        }
        // The silent receiver's requests time out (300 ms) and are retried; it held nothing of the healthy one's.
        await(() -> meters.retriedCount() >= 2, 20);
        assertThat(meters.deliveredCount()).isEqualTo(40);
    }

    @Test
    void startingRunsTheDeliveryPathOnceAgainstItsOwnServerNeverAReceiver() throws Exception {
        HttpServer healthy = receiver(true);
        WebhookDispatcher dispatcher = new WebhookDispatcher(
                List.of(URI.create("http://127.0.0.1:" + healthy.actualPort() + "/h")), new WebhookSigner("k1", SECRET),
                WebhookDispatcher.Settings.DEFAULT, MonoClock.SYSTEM, new WebhookMeters());
        vertx.deployVerticle(dispatcher).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(requests.get()).as("the receiver hears nothing before an event").isZero();

        // The warm-up itself: a signed POST through a client like the receivers' to a throwaway loopback server.
        boolean answered = DispatcherWarmUp.run(vertx, new WebhookSigner("k1", SECRET), 5_000).toCompletionStage()
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(answered).isTrue();

        dispatcher.offer(event("a", 1));
        await(() -> received.size() == 1, 20);
        assertThat(requests.get()).isEqualTo(1);
    }
}
