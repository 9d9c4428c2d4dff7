package dev.prism.signaling.api;

import dev.prism.core.room.Participant;
import dev.prism.core.room.Room;
import dev.prism.signaling.session.DataCounters;
import dev.prism.signaling.session.DataMessages;
import dev.prism.signaling.session.SfuContext;
import dev.prism.signaling.session.SignalingError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/rooms}: create (with options), list, get, delete, and data messages to a room. Event loop; room work
 * on the room's loop ({@link LiveRooms}).
 */
final class RoomEndpoints {
    /** Room names a backend may create: what a token's {@code room} claim and a URL path carry without surprises. */
    static final Pattern ROOM_NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,128}");
    private static final Set<String> CREATE_FIELDS = Set.of("name", "maxParticipants", "emptyTimeout", "metadata");
    private static final Set<String> DATA_FIELDS = Set.of("payload", "to");

    private final SfuContext sfu;
    private final LiveRooms live;
    private final RoomDirectory directory;

    RoomEndpoints(SfuContext sfu, LiveRooms live, RoomDirectory directory) {
        this.sfu = sfu;
        this.live = live;
        this.directory = directory;
    }

    /** {@code POST /rooms}: 201 with the room when new, 200 when it existed (its options replaced). */
    void create(RoutingContext ctx) throws ApiException {
        JsonObject body = ApiBody.object(ctx, CREATE_FIELDS);
        String name = ApiBody.optionalString(body, "name", 128);
        if (name == null || !ROOM_NAME.matcher(name).matches()) {
            throw ApiException.badRequest("field 'name' is required: 1-128 of A-Z a-z 0-9 _ - .");
        }
        int max = ApiBody.optionalInt(body, "maxParticipants", 0, 0, 100_000);
        int emptyTimeout = ApiBody.optionalInt(body, "emptyTimeout", RoomDirectory.DEFAULT_EMPTY_TIMEOUT_SECONDS, 0,
                RoomDirectory.MAX_EMPTY_TIMEOUT_SECONDS);
        String metadata = ApiBody.optionalString(body, "metadata", RoomDirectory.MAX_METADATA_CHARS);
        CompletableFuture<JsonObject> done = live.servedHere(name).thenCompose(here -> {
            boolean created = directory.put(name, max, emptyTimeout, metadata);
            Room room = live.local(name);
            if (room == null) {
                return CompletableFuture.completedFuture(ApiJson.room(name, null, directory.options(name),
                        sfu.maxParticipantsPerRoom()).put("created", created));
            }
            return LiveRooms.call(room, () -> {
                JsonObject notice = new JsonObject().put("type", "roomMetadata").put("metadata", metadata);
                for (Participant p : room.participants()) {
                    sfu.roomSessions().send(name, p.id(), notice);
                }
                return ApiJson.room(name, room, directory.options(name), sfu.maxParticipantsPerRoom())
                        .put("created", created);
            });
        });
        ApiReplies.later(ctx, done, j -> Boolean.TRUE.equals(j.getValue("created")) ? 201 : 200, j -> {
            j.remove("created");
            return j;
        });
    }

    /** {@code GET /rooms}: this node's live rooms and the rooms created through the API, by name. */
    void list(RoutingContext ctx) {
        Set<String> ids = new TreeSet<>(directory.roomIds());
        for (Room r : sfu.rooms().rooms()) {
            if (!r.isClosed()) {
                ids.add(r.id());
            }
        }
        List<CompletableFuture<JsonObject>> views = new ArrayList<>();
        for (String id : ids) {
            views.add(view(id));
        }
        CompletableFuture<JsonObject> all = CompletableFuture.allOf(views.toArray(CompletableFuture[]::new))
                .thenApply(v -> {
                    JsonArray rooms = new JsonArray();
                    views.forEach(f -> {
                        JsonObject room = f.join();
                        if (room != null) {
                            rooms.add(room);
                        }
                    });
                    return new JsonObject().put("rooms", rooms);
                });
        ApiReplies.later(ctx, 200, all, j -> j);
    }

    /** {@code GET /rooms/:room}. */
    void get(RoutingContext ctx) {
        String id = ctx.pathParam("room");
        ApiReplies.later(ctx, 200, live.servedHere(id).thenCompose(here -> view(id)).thenApply(j -> {
            if (j == null) {
                throw new java.util.concurrent.CompletionException(LiveRooms.noRoom(id));
            }
            return j;
        }), j -> j);
    }

    /** {@code DELETE /rooms/:room}: everyone removed ({@code room_closed}), options forgotten. */
    void delete(RoutingContext ctx) {
        String id = ctx.pathParam("room");
        CompletableFuture<JsonObject> done = live.servedHere(id).thenCompose(here -> {
            boolean known = directory.remove(id);
            if (live.local(id) == null) {
                if (!known) {
                    throw new java.util.concurrent.CompletionException(LiveRooms.noRoom(id));
                }
                return CompletableFuture.completedFuture(new JsonObject().put("name", id).put("removed", 0));
            }
            return sfu.conference().closeRoom(id).thenApply(outcome -> new JsonObject().put("name", id)
                    .put("message", outcome.message()));
        });
        ApiReplies.later(ctx, 200, done, j -> j);
    }

    /** {@code POST /rooms/:room/data}: a data message from the server to everyone, or to {@code to}. */
    void data(RoutingContext ctx) throws ApiException {
        String id = ctx.pathParam("room");
        JsonObject body = ApiBody.object(ctx, DATA_FIELDS);
        Object payload = body.getValue("payload");
        Set<String> to;
        try {
            to = DataMessages.check(payload, body.getValue("to"));
        } catch (SignalingError e) {
            boolean tooLarge = e.code().equals("data_too_large");
            sfu.dataCounters().refuse(tooLarge ? DataCounters.Refusal.TOO_LARGE : DataCounters.Refusal.BAD_REQUEST);
            throw new ApiException(tooLarge ? 413 : 400, e.code(), e.getMessage());
        }
        ApiReplies.later(ctx, 200, live.onRoom(id, room -> {
            DataMessages.Relayed r = DataMessages.relay(sfu.roomSessions(), room, null, payload, to);
            sfu.dataCounters().relayed(r.delivered());
            return new JsonObject().put("delivered", r.delivered()).put("unknown", new JsonArray(r.unknown()));
        }), j -> j);
    }

    /** A room's view: live here (read on its loop) and/or remembered; null when neither. */
    private CompletableFuture<JsonObject> view(String id) {
        Room room = live.local(id);
        if (room == null) {
            RoomDirectory.RoomOptions options = directory.options(id);
            return CompletableFuture.completedFuture(options == null ? null
                    : ApiJson.room(id, null, options, sfu.maxParticipantsPerRoom()));
        }
        return LiveRooms.call(room, () -> ApiJson.room(id, room, directory.options(id), sfu.maxParticipantsPerRoom()));
    }
}
