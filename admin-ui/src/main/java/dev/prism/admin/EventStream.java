package dev.prism.admin;

import dev.prism.core.inspect.NodeInspector;
import dev.prism.core.inspect.NodeSnapshot;
import dev.prism.core.inspect.RoomSnapshot;
import dev.prism.core.inspect.RoomSummary;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open server-sent-events stream ({@code GET /admin/api/events[?room=R]}): pushes {@code node} and
 * {@code rooms}, and for a chosen room {@code room} (or {@code roomGone} once it no longer exists), every interval
 * and shortly after anything changes in a room. Each event is a complete snapshot, so a slow client that misses one
 * (its write queue is full: the push is skipped) loses nothing for good.
 *
 * <p>Threading: the Vert.x context of the request; inspector results hop back onto it. At most one push is in
 * flight; a change during a push schedules one more.
 */
final class EventStream {
    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    /** Changes closer together than this are pushed once. */
    private static final long CHANGE_DEBOUNCE_MILLIS = 150;

    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final NodeInspector inspector;
    private final String roomId;
    private final long intervalMillis;
    private final Runnable onClose;
    private final Vertx vertx;
    private final Context context;
    private long timer = -1;
    private AutoCloseable changes;
    private boolean closed;
    private boolean inFlight;
    private boolean again;
    private boolean changePending;

    EventStream(RoutingContext ctx, NodeInspector inspector, String roomId, long intervalMillis, Runnable onClose) {
        this.ctx = ctx;
        this.response = ctx.response();
        this.inspector = inspector;
        this.roomId = roomId;
        this.intervalMillis = intervalMillis;
        this.onClose = onClose;
        this.vertx = ctx.vertx();
        this.context = Vertx.currentContext();
    }

    void start() {
        response.setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader("X-Accel-Buffering", "no"); // proxies must not buffer a stream
        response.closeHandler(v -> stop());
        response.exceptionHandler(e -> stop());
        response.write("retry: 3000\n\n" + event("hello", new JsonObject().put("intervalMillis", intervalMillis)
                .put("room", roomId)));
        timer = vertx.setPeriodic(intervalMillis, id -> push());
        changes = inspector.onChange(() -> context.runOnContext(v -> changed()));
        log.debug("admin: event stream opened from {} room={}", ctx.request().remoteAddress(), roomId);
        push();
    }

    private void changed() {
        if (closed || changePending) {
            return;
        }
        changePending = true;
        vertx.setTimer(CHANGE_DEBOUNCE_MILLIS, id -> {
            changePending = false;
            push();
        });
    }

    private void push() {
        if (closed) {
            return;
        }
        if (inFlight) {
            again = true;
            return;
        }
        inFlight = true;
        CompletableFuture<NodeSnapshot> node = inspector.node();
        CompletableFuture<List<RoomSummary>> rooms = inspector.rooms();
        CompletableFuture<Optional<RoomSnapshot>> room = roomId == null
                ? CompletableFuture.completedFuture(Optional.empty()) : inspector.room(roomId);
        CompletableFuture.allOf(node, rooms, room).orTimeout(AdminApi.TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .whenComplete((v, e) -> context.runOnContext(x -> {
                    inFlight = false;
                    if (e == null) {
                        write(node.join(), rooms.join(), room.join());
                    } else {
                        log.debug("admin: event stream push failed: {}", e.toString());
                    }
                    if (again) {
                        again = false;
                        push();
                    }
                }));
    }

    private void write(NodeSnapshot node, List<RoomSummary> rooms, Optional<RoomSnapshot> room) {
        if (closed || response.writeQueueFull()) {
            return; // the next push is a full snapshot again
        }
        StringBuilder sb = new StringBuilder();
        sb.append(event("node", AdminJson.node(node)));
        sb.append(event("rooms", AdminJson.rooms(rooms)));
        if (roomId != null) {
            sb.append(room.isPresent() ? event("room", AdminJson.room(room.get()))
                    : event("roomGone", new JsonObject().put("id", roomId)
                    .put("message", "room '" + roomId + "' does not exist (any more)")));
        }
        response.write(sb.toString());
    }

    private static String event(String name, JsonObject data) {
        // JSON text has no raw newlines, so one data line carries it.
        return "event: " + name + "\ndata: " + data.encode() + "\n\n";
    }

    private void stop() {
        if (closed) {
            return;
        }
        closed = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (changes != null) {
            try {
                changes.close();
            } catch (Exception e) {
                log.debug("admin: closing a change subscription failed: {}", e.toString());
            }
        }
        onClose.run();
        log.debug("admin: event stream closed room={}", roomId);
    }
}
