package dev.prism.webhooks;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.text.ClientText;
import dev.prism.core.text.RepeatingLog;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts events to every receiver URL from its own Vert.x context (deploy it; {@link #offer} only hands the event over,
 * so a room's loop never waits). Per URL: a {@link DeliveryQueues} decides what goes when (per-room order, backoff,
 * window, bound), an HTTP client with its own small connection pool sends, each request with connect and idle
 * timeouts, so a slow or dead receiver delays only its own deliveries. Each body is signed by {@link WebhookSigner}.
 */
public final class WebhookDispatcher extends VerticleBase implements EventSink {
    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    /** Concurrent requests per receiver (one per room at most). */
    private static final int CONNECTIONS_PER_URL = 8;
    /** At most one "gave up" line per receiver this often; the next says how many were not logged. */
    private static final long DROP_LOG_INTERVAL_MILLIS = 10_000;
    /** The start-up warm-up's bound (Webhooks.start waits for the deployment longer than this). */
    private static final long WARM_UP_TIMEOUT_MILLIS = 5_000;

    /** Delivery settings. */
    public record Settings(RetrySchedule schedule, int maxQueuedPerRoom, long requestTimeoutMillis) {
        public static final Settings DEFAULT = new Settings(RetrySchedule.DEFAULT, 1_000, 10_000);
    }

    private final List<URI> urls;
    private final WebhookSigner signer;
    private final Settings settings;
    private final MonoClock clock;
    private final WebhookMeters meters;
    private final List<Target> targets = new ArrayList<>();
    private volatile Context loop;

    public WebhookDispatcher(List<URI> urls, WebhookSigner signer, Settings settings, MonoClock clock,
                             WebhookMeters meters) {
        this.urls = List.copyOf(urls);
        this.signer = signer;
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
    }

    @Override
    public Future<?> start() {
        loop = context;
        for (URI u : urls) {
            targets.add(new Target(u));
        }
        // deployed (so the node started) once the delivery path ran once; an event offered meanwhile goes out at once
        return DispatcherWarmUp.run(vertx, signer, WARM_UP_TIMEOUT_MILLIS).onSuccess(warm -> {
            if (!warm) {
                log.debug("webhook warm-up request failed: the first deliveries start cold");
            }
        });
    }

    @Override
    public Future<?> stop() {
        List<Future<?>> closing = new ArrayList<>();
        for (Target t : targets) {
            if (t.timer >= 0) {
                vertx.cancelTimer(t.timer);
            }
            closing.add(t.client.close());
        }
        return Future.join(closing);
    }

    /** Any thread, never blocks: the event is queued for every receiver on the dispatcher's context. */
    @Override
    public void offer(WebhookEvent event) {
        Context c = loop;
        if (c == null) {
            return; // not deployed (or no receivers): nothing to deliver to
        }
        c.runOnContext(v -> {
            for (Target t : targets) {
                t.queues.add(event);
                t.pump();
            }
        });
    }

    /** One receiver URL; touched only on the dispatcher's context. */
    private final class Target implements DeliveryQueues.Outcomes {
        final URI url;
        final String urlForLog;
        final HttpClientAgent client;
        final DeliveryQueues queues;
        final RepeatingLog dropLog;
        long timer = -1;
        long timerAt;

        Target(URI url) {
            this.url = url;
            this.urlForLog = ClientText.forLog(url.getScheme() + "://" + url.getAuthority() + url.getRawPath());
            this.client = vertx.createHttpClient(new HttpClientOptions()
                            .setConnectTimeout((int) settings.requestTimeoutMillis())
                            .setSsl("https".equalsIgnoreCase(url.getScheme())),
                    new PoolOptions().setHttp1MaxSize(CONNECTIONS_PER_URL).setMaxWaitQueueSize(-1));
            this.queues = new DeliveryQueues(settings.schedule(), settings.maxQueuedPerRoom(), clock, this);
            this.dropLog = new RepeatingLog(clock, DROP_LOG_INTERVAL_MILLIS);
        }

        /** Starts what is due, then arms the timer for what comes due next. */
        void pump() {
            for (DeliveryQueues.Pending p : queues.due()) {
                send(p);
            }
            long next = queues.nextDueMillis();
            if (next < 0 || (timer >= 0 && timerAt <= next)) {
                return;
            }
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            timerAt = next;
            timer = vertx.setTimer(Math.max(1, next - clock.millis()), id -> {
                timer = -1;
                pump();
            });
        }

        private void send(DeliveryQueues.Pending p) {
            long now = clock.wallMillis();
            long sentMono = clock.millis();
            long[] connectedMono = {-1};
            WebhookPost.send(client, url, signer, p.event().id(), p.event().json(), now,
                            settings.requestTimeoutMillis(), WebhookPost.stamp(connectedMono, clock::millis))
                    .onComplete(ar -> {
                        if (log.isDebugEnabled()) {
                            logTimes(p, now, sentMono, connectedMono[0], ar.succeeded() ? ar.result() : -1);
                        }
                        if (ar.succeeded() && ar.result() >= 200 && ar.result() < 300) {
                            queues.succeeded(p);
                        } else {
                            queues.failed(p);
                        }
                        pump();
                    });
        }

        /**
         * Where one attempt's time went, each step in ms after the event's {@code createdAt}: handed to this context
         * and queued, request started, connection obtained (pooled or opened), answered (status, -1 = no answer).
         */
        private void logTimes(DeliveryQueues.Pending p, long sentWall, long sentMono, long connectedMono, int status) {
            long created = p.event().timestampMillis();
            long monoToWall = sentWall - sentMono; // both clocks read at the request's start
            log.debug("webhook {} room={} seq={} attempt={} status={}: queued +{} ms, request +{} ms, connection +{} ms,"
                            + " answered +{} ms", urlForLog, ClientText.forLog(p.event().roomId()), p.event().seq(),
                    p.failures() + 1, status, p.queuedAtMillis + monoToWall - created, sentWall - created,
                    connectedMono < 0 ? -1 : connectedMono + monoToWall - created,
                    clock.millis() + monoToWall - created);
        }

        @Override
        public void delivered(WebhookEvent event, int attempts) {
            meters.delivered(clock.wallMillis() - event.timestampMillis());
        }

        @Override
        public void retrying(WebhookEvent event, int failures, long delayMillis) {
            meters.retried();
        }

        @Override
        public void dropped(WebhookEvent event, DeliveryQueues.DropReason reason, int attempts) {
            meters.dropped(reason);
            long suppressed = dropLog.admit();
            if (suppressed >= 0) {
                log.warn("webhook {} gave up event {} room={} seq={} ({}, {} attempts){}", urlForLog,
                        event.type().wireName(), ClientText.forLog(event.roomId()), event.seq(), reason.label(),
                        attempts, suppressed > 0 ? "; " + suppressed + " more given up since the last line" : "");
            }
        }
    }
}
