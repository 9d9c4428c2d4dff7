package dev.prism.ops.metrics;

import dev.prism.ops.inspect.EventLoopProbe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code GET /metrics} (Prometheus text format) and {@code GET /readyz}. Liveness ({@code /healthz}) is the signaling
 * verticle's: it answers as long as the HTTP loop runs. Readiness says whether this node should get new participants:
 * it is started and not shutting down, and its media event loops are not stalled.
 *
 * <p>Neither needs the admin credential: metrics carry no room or participant ids, only node-wide counts. Expose
 * them to the monitoring network only.
 */
public final class OpsRoutes implements Consumer<Router> {
    /** A media loop whose probe task waited longer than this is stalled: not ready. */
    public static final double STALLED_LAG_MILLIS = 1000;

    private final PrismMetrics metrics;
    private final BooleanSupplier accepting;
    private final List<EventLoopProbe> loops;

    /**
     * @param accepting true between a completed start and the beginning of shutdown
     * @param loops     the media event loops whose lag decides readiness
     */
    public OpsRoutes(PrismMetrics metrics, BooleanSupplier accepting, List<EventLoopProbe> loops) {
        this.metrics = metrics;
        this.accepting = accepting;
        this.loops = List.copyOf(loops);
    }

    @Override
    public void accept(Router router) {
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape()));
        router.get("/readyz").handler(this::ready);
    }

    private void ready(RoutingContext ctx) {
        boolean ready = accepting.getAsBoolean();
        JsonArray loopStates = new JsonArray();
        for (EventLoopProbe p : loops) {
            Double lag = p.lagMillis();
            boolean stalled = lag != null && lag > STALLED_LAG_MILLIS;
            ready &= !stalled;
            loopStates.add(new JsonObject().put("name", p.name()).put("lagMillis", lag).put("stalled", stalled));
        }
        ctx.response().setStatusCode(ready ? 200 : 503).putHeader("content-type", "application/json")
                .putHeader("cache-control", "no-store")
                .end(new JsonObject().put("status", ready ? "ready" : "not_ready")
                        .put("accepting", accepting.getAsBoolean()).put("mediaLoops", loopStates).encode());
    }
}
