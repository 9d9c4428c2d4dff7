package dev.prism.admin;

import dev.prism.core.inspect.ActionOutcome;
import dev.prism.core.inspect.NodeControl;
import dev.prism.core.inspect.NodeInspector;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST endpoints under {@code /admin/api} (reference: docs/ADMIN.md). Every one needs the admin credential
 * ({@link #authenticate}); the event stream also accepts a ticket. Errors are {@code {"error": code, "message": ...}}
 * with 400, 401, 404 or 503.
 */
final class AdminApi {
    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
    /** A room's executor that does not answer within this is reported as 503, not waited for. */
    static final long TIMEOUT_SECONDS = 5;
    /** Open event streams per node: more would only let a leaked credential tie the node up. */
    static final int MAX_STREAMS = 32;
    private static final int MAX_ID_LENGTH = 256;

    private final NodeInspector inspector;
    /** Node-wide actions (migrate, drain); null: not offered by this node. */
    private final NodeControl control;
    private final AdminAuth auth;
    private final long pushIntervalMillis;
    private final AtomicInteger openStreams = new AtomicInteger();

    AdminApi(NodeInspector inspector, NodeControl control, AdminAuth auth, long pushIntervalMillis) {
        this.inspector = inspector;
        this.control = control;
        this.auth = auth;
        this.pushIntervalMillis = pushIntervalMillis;
    }

    /** 401 unless the request carries the bearer secret (or, for the event stream only, a valid ticket). */
    void authenticate(RoutingContext ctx) {
        boolean ok = auth.bearerMatches(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (!ok && "/admin/api/events".equals(ctx.request().path())) {
            ok = auth.ticketValid(ctx.request().getParam("ticket"));
        }
        if (ok) {
            ctx.next();
            return;
        }
        log.debug("admin: refused {} {} from {}: missing or wrong credential", ctx.request().method(),
                ctx.request().path(), ctx.request().remoteAddress());
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"prism-admin\"");
        fail(ctx, 401, "unauthorized", "missing or wrong admin credential");
    }

    void mount(Router r) {
        r.get("/admin/api/node").handler(ctx -> reply(ctx, inspector.node(), AdminJson::node));
        r.get("/admin/api/rooms").handler(ctx -> reply(ctx, inspector.rooms(), AdminJson::rooms));
        r.get("/admin/api/cluster").handler(ctx -> replyOptional(ctx, inspector.cluster(), AdminJson::cluster,
                () -> "not in cluster mode (no --redis)"));
        r.get("/admin/api/rooms/:room").handler(ctx -> replyOptional(ctx, inspector.room(room(ctx)), AdminJson::room,
                () -> "no room '" + room(ctx) + "'"));
        r.delete("/admin/api/rooms/:room").handler(ctx -> act(ctx, inspector.closeRoom(room(ctx))));
        r.get("/admin/api/rooms/:room/participants/:participant").handler(ctx -> replyOptional(ctx,
                inspector.room(room(ctx)).thenApply(o -> o.map(s -> s.participant(participant(ctx)))),
                AdminJson::participant,
                () -> "no participant '" + participant(ctx) + "' in room '" + room(ctx) + "'"));
        r.delete("/admin/api/rooms/:room/participants/:participant").handler(ctx ->
                act(ctx, inspector.removeParticipant(room(ctx), participant(ctx))));
        r.get("/admin/api/rooms/:room/participants/:participant/history").handler(ctx -> replyOptional(ctx,
                inspector.history(room(ctx), participant(ctx)), AdminJson::history,
                () -> "no participant '" + participant(ctx) + "' in room '" + room(ctx) + "'"));
        r.post("/admin/api/rooms/:room/tracks/:track/mute").handler(this::mute);
        if (control != null) {
            r.post("/admin/api/rooms/:room/migrate").handler(ctx -> act(ctx, control.migrateRoom(room(ctx))));
            r.post("/admin/api/node/drain").handler(ctx -> act(ctx, control.drain()));
        }
        r.post("/admin/api/events/ticket").handler(ctx -> ctx.json(new JsonObject()
                .put("ticket", auth.issueTicket()).put("expiresInSeconds", AdminAuth.TICKET_TTL_SECONDS)));
        r.get("/admin/api/events").handler(this::events);
    }

    private void mute(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().length() == 0 ? null : ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            body = null;
        }
        if (body == null || !(body.getValue("muted") instanceof Boolean muted)) {
            fail(ctx, 400, "bad_request", "the body must be {\"muted\": true} or {\"muted\": false}");
            return;
        }
        act(ctx, inspector.muteTrack(room(ctx), ctx.pathParam("track"), muted));
    }

    private void events(RoutingContext ctx) {
        if (openStreams.incrementAndGet() > MAX_STREAMS) {
            openStreams.decrementAndGet();
            fail(ctx, 503, "too_many_streams", "at most " + MAX_STREAMS + " admin event streams may be open");
            return;
        }
        String roomId = ctx.request().getParam("room");
        new EventStream(ctx, inspector, roomId == null || roomId.isEmpty() ? null : roomId, pushIntervalMillis,
                openStreams::decrementAndGet).start();
    }

    // ---- replies -----------------------------------------------------------------------------------------------

    private static <T> void reply(RoutingContext ctx, CompletableFuture<T> f, Function<T, JsonObject> render) {
        onContext(ctx, f, v -> ctx.json(render.apply(v)));
    }

    private static <T> void replyOptional(RoutingContext ctx, CompletableFuture<Optional<T>> f,
                                          Function<T, JsonObject> render,
                                          java.util.function.Supplier<String> notFound) {
        onContext(ctx, f, o -> {
            if (o.isPresent()) {
                ctx.json(render.apply(o.get()));
            } else {
                fail(ctx, 404, "not_found", notFound.get());
            }
        });
    }

    private static void act(RoutingContext ctx, CompletableFuture<ActionOutcome> f) {
        onContext(ctx, f, o -> {
            if (o.isDone()) {
                ctx.json(AdminJson.outcome(o));
            } else {
                fail(ctx, 404, "not_found", o.message());
            }
        });
    }

    /** Continues on the handler's Vert.x context; a timeout is 503, any other failure 500. */
    private static <T> void onContext(RoutingContext ctx, CompletableFuture<T> f, java.util.function.Consumer<T> ok) {
        Context context = Vertx.currentContext();
        f.orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((v, e) -> context.runOnContext(x -> {
            if (ctx.response().ended() || ctx.response().closed()) {
                return;
            }
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            if (cause instanceof TimeoutException) {
                fail(ctx, 503, "timeout", "the room did not answer within " + TIMEOUT_SECONDS + " s");
            } else if (cause != null) {
                log.warn("admin: {} {} failed", ctx.request().method(), ctx.request().path(), cause);
                fail(ctx, 500, "internal", "internal error; see the server log");
            } else {
                ok.accept(v);
            }
        }));
    }

    static void fail(RoutingContext ctx, int status, String code, String message) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(AdminJson.error(code, message).encode());
    }

    private static String room(RoutingContext ctx) {
        return limit(ctx.pathParam("room"));
    }

    private static String participant(RoutingContext ctx) {
        return limit(ctx.pathParam("participant"));
    }

    /** Over-long ids cannot exist: cut them so the 404 message stays short. */
    private static String limit(String id) {
        return id == null || id.length() <= MAX_ID_LENGTH ? id : id.substring(0, MAX_ID_LENGTH);
    }
}
