package dev.prism.webhooks;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.room.RoomRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The launcher's handle on webhooks: the recorder (always on: it feeds the replay endpoint), the dispatcher (deployed
 * when there are receiver URLs), the registry decorator, the replay handler and the meters. Built once at startup.
 */
public final class Webhooks implements AutoCloseable {
    /** Events kept per room for replay. */
    public static final int RING_CAPACITY = 1_000;
    /** How long events stay replayable. */
    public static final long RETENTION_MILLIS = TimeUnit.MINUTES.toMillis(10);
    /** Rooms that ended longer than the retention ago are forgotten this often. */
    private static final long SWEEP_MILLIS = TimeUnit.MINUTES.toMillis(1);

    /** Sent in {@value WebhookSigner#KEY_ID_HEADER} while the node has a single API secret. */
    public static final String DEFAULT_KEY_ID = "default";

    private final RoomEventRecorder recorder;
    private final WebhookDispatcher dispatcher;
    private final boolean delivering;
    private final WebhookMeters meters;
    private Vertx vertx;
    private long sweepTimer = -1;
    private String deployment;

    private Webhooks(RoomEventRecorder recorder, WebhookDispatcher dispatcher, boolean delivering,
                     WebhookMeters meters) {
        this.recorder = recorder;
        this.dispatcher = dispatcher;
        this.delivering = delivering;
        this.meters = meters;
    }

    /**
     * Checks the receiver URLs and builds everything; {@link #start} begins delivering.
     *
     * @param urls               receiver URLs (may be empty: the replay endpoint only)
     * @param allowPrivate       whether receivers on loopback or private networks are allowed
     * @param retryWindowSeconds how long a failing delivery is retried
     * @param keyId              the signing key's id, sent in {@value WebhookSigner#KEY_ID_HEADER}
     * @param secret             the signing secret (the API secret)
     * @throws IllegalArgumentException when a URL is refused
     */
    public static Webhooks create(List<String> urls, boolean allowPrivate, long retryWindowSeconds, String keyId,
                                  String secret, MonoClock clock) {
        List<URI> receivers = ReceiverUrls.check(urls, allowPrivate, ReceiverUrls.Resolver.SYSTEM);
        WebhookDispatcher.Settings defaults = WebhookDispatcher.Settings.DEFAULT;
        WebhookDispatcher.Settings settings = new WebhookDispatcher.Settings(
                defaults.schedule().withWindowMillis(TimeUnit.SECONDS.toMillis(retryWindowSeconds)),
                defaults.maxQueuedPerRoom(), defaults.requestTimeoutMillis());
        WebhookMeters meters = new WebhookMeters();
        WebhookDispatcher dispatcher = new WebhookDispatcher(receivers, new WebhookSigner(keyId, secret), settings,
                clock, meters);
        EventSink sink = receivers.isEmpty() ? EventSink.NONE : dispatcher;
        return new Webhooks(new RoomEventRecorder(clock, sink, RING_CAPACITY, RETENTION_MILLIS), dispatcher,
                !receivers.isEmpty(), meters);
    }

    /** Deploys the dispatcher (when there are receivers) and the sweep of old rooms. Blocks until deployed. */
    public void start(Vertx vertx) throws Exception {
        this.vertx = vertx;
        this.sweepTimer = vertx.setPeriodic(SWEEP_MILLIS, id -> recorder.sweep());
        if (delivering) {
            deployment = vertx.deployVerticle(dispatcher).toCompletionStage().toCompletableFuture()
                    .get(20, TimeUnit.SECONDS); // the dispatcher warms up first (at most 5 s)
        }
    }

    /** The registry the conference must use so every room's events are recorded. */
    public RoomRegistry wrap(RoomRegistry rooms) {
        return new RecordingRoomRegistry(rooms, recorder);
    }

    public RoomEventRecorder recorder() {
        return recorder;
    }

    /** {@code GET /api/v1/rooms/:room/events}: mount it behind the server API's roomAdmin authentication. */
    public ReplayHandler replayHandler() {
        return new ReplayHandler(recorder);
    }

    public WebhookMeters meters() {
        return meters;
    }

    @Override
    public void close() {
        if (vertx == null) {
            return;
        }
        vertx.cancelTimer(sweepTimer);
        if (deployment != null) {
            try {
                vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the node is stopping; the dispatcher's clients close with Vert.x
            }
        }
    }
}
