package dev.prism.webhooks;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code GET .../rooms/{room}/events?after=<seq>}: the room's recent events with {@code seq > after}, oldest first,
 * exactly as they were posted: {@code {"room":..,"events":[...]}}. {@code after} defaults to 0. Unknown room (never
 * seen, or ended longer ago than the retention): 404; a bad {@code after}: 400. It reads the path parameter
 * {@code room}; the caller mounts it behind its own authentication, e.g.
 * {@code router.get("/api/v1/rooms/:room/events").handler(replayHandler)}. Runs on the HTTP event loop; reads only.
 */
public final class ReplayHandler implements Handler<RoutingContext> {
    private final RoomEventRecorder recorder;

    public ReplayHandler(RoomEventRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String room = ctx.pathParam("room");
        String afterText = ctx.request().getParam("after");
        long after = 0;
        if (afterText != null) {
            if (!afterText.matches("[0-9]{1,18}")) {
                error(ctx, 400, "bad_request", "after must be a sequence number (0 or more)");
                return;
            }
            after = Long.parseLong(afterText);
        }
        if (room == null || !recorder.knows(room)) {
            error(ctx, 404, "not_found", "no events for that room");
            return;
        }
        List<WebhookEvent> events = recorder.replay(room, after);
        StringBuilder body = Json.string(new StringBuilder("{\"room\":"), room).append(",\"events\":[");
        for (int i = 0; i < events.size(); i++) {
            body.append(i == 0 ? "" : ",").append(events.get(i).json());
        }
        ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                .end(body.append("]}").toString());
    }

    private static void error(RoutingContext ctx, int status, String code, String message) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end("{\"error\":\"" + code + "\",\"message\":\"" + message + "\"}");
    }
}
