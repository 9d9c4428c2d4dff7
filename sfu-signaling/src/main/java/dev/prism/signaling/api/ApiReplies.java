package dev.prism.signaling.api;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers of the server API: JSON bodies, {@code {"error": code, "message": text}} for refusals. Work done on a room's
 * loop is awaited without blocking: the reply hops back to the handler's Vert.x context; a room that does not answer
 * within {@value #TIMEOUT_SECONDS} s is a 503.
 */
public final class ApiReplies {
    private static final Logger log = LoggerFactory.getLogger(ApiReplies.class);
    static final long TIMEOUT_SECONDS = 5;

    private ApiReplies() {
    }

    /** Ends the request with {@code status} and {@code body}. Vert.x context of the request. */
    public static void json(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body.encode());
    }

    /** Ends the request with an error body. Vert.x context of the request. */
    public static void fail(RoutingContext ctx, int status, String code, String message) {
        json(ctx, status, new JsonObject().put("error", code).put("message", message));
    }

    public static void fail(RoutingContext ctx, ApiException e) {
        fail(ctx, e.status(), e.code(), e.getMessage());
    }

    /**
     * Replies with what {@code work} completes with, rendered on the request's context; an {@link ApiException} is its
     * refusal, a timeout 503, anything else 500 (logged).
     */
    public static <T> void later(RoutingContext ctx, int status, CompletableFuture<T> work,
                                 Function<T, JsonObject> render) {
        later(ctx, work, v -> status, render);
    }

    /** {@link #later(RoutingContext, int, CompletableFuture, Function)} with a status that depends on the result. */
    public static <T> void later(RoutingContext ctx, CompletableFuture<T> work,
                                 java.util.function.ToIntFunction<T> status, Function<T, JsonObject> render) {
        Context context = Vertx.currentContext();
        work.orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((v, e) -> context.runOnContext(x -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause == null) {
                json(ctx, status.applyAsInt(v), render.apply(v));
            } else if (cause instanceof ApiException api) {
                fail(ctx, api);
            } else if (cause instanceof TimeoutException) {
                fail(ctx, 503, "timeout", "the room did not answer within " + TIMEOUT_SECONDS + " s");
            } else {
                log.warn("api: {} {} failed", ctx.request().method(), ctx.request().path(), cause);
                fail(ctx, 500, "internal", "internal error; see the server log");
            }
        }));
    }
}
