package dev.prism.signaling.api;

import dev.prism.conference.ConferenceParticipant;
import dev.prism.core.room.Participant;
import dev.prism.core.room.Room;
import dev.prism.core.room.Track;
import dev.prism.core.text.ClientText;
import dev.prism.signaling.session.SfuContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code /api/v1/rooms/:room/participants[/:identity]}: list, get, remove (a room event through the conference, like
 * the operator's removal: reason {@code removed}), update grants and metadata live, mute or unmute a published track.
 * Event loop; room work on the room's loop ({@link LiveRooms}).
 */
final class ParticipantEndpoints {
    private static final Set<String> UPDATE_FIELDS = Set.of("permissions", "metadata");
    private static final Set<String> PERMISSION_FIELDS = Set.of("canPublish", "canSubscribe", "canData");
    private static final Set<String> MUTE_FIELDS = Set.of("muted");

    private final SfuContext sfu;
    private final LiveRooms live;
    private final RoomDirectory directory;

    ParticipantEndpoints(SfuContext sfu, LiveRooms live, RoomDirectory directory) {
        this.sfu = sfu;
        this.live = live;
        this.directory = directory;
    }

    /** {@code GET .../participants}: in join order. */
    void list(RoutingContext ctx) {
        String roomId = ctx.pathParam("room");
        ApiReplies.later(ctx, 200, live.onRoom(roomId, room -> {
            JsonArray out = new JsonArray();
            for (Participant p : room.participants()) {
                out.add(view(room, p));
            }
            return new JsonObject().put("participants", out);
        }), j -> j);
    }

    /** {@code GET .../participants/:identity}. */
    void get(RoutingContext ctx) {
        String roomId = ctx.pathParam("room");
        String identity = ctx.pathParam("identity");
        ApiReplies.later(ctx, 200, live.onRoom(roomId, room -> view(room, present(room, identity))), j -> j);
    }

    /** {@code DELETE .../participants/:identity}: its client is told {@code removed}; the others see it leave. */
    void remove(RoutingContext ctx) {
        String roomId = ctx.pathParam("room");
        String identity = ctx.pathParam("identity");
        CompletableFuture<JsonObject> done = live.onRoom(roomId, room -> present(room, identity))
                .thenCompose(p -> sfu.conference().removeParticipant(roomId, identity))
                .thenApply(outcome -> {
                    if (!outcome.isDone()) {
                        throw new CompletionException(LiveRooms.noParticipant(roomId, identity));
                    }
                    return new JsonObject().put("identity", identity).put("removed", true);
                });
        ApiReplies.later(ctx, 200, done, j -> j);
    }

    /**
     * {@code PATCH .../participants/:identity} with {@code permissions} ({@code canPublish}, {@code canSubscribe},
     * {@code canData}; absent ones unchanged) and/or {@code metadata}. Applied at once: revoking publish unpublishes its
     * tracks; its client hears {@code permissionsChanged}, everyone hears {@code participantMetadata}.
     */
    void update(RoutingContext ctx) throws ApiException {
        String roomId = ctx.pathParam("room");
        String identity = ctx.pathParam("identity");
        JsonObject body = ApiBody.object(ctx, UPDATE_FIELDS);
        Object perms = body.getValue("permissions");
        if (perms != null && !(perms instanceof JsonObject)) {
            throw ApiException.badRequest("field 'permissions' must be an object with canPublish, canSubscribe, "
                    + "canData (booleans)");
        }
        JsonObject permissions = (JsonObject) perms;
        Boolean publish = null;
        Boolean subscribe = null;
        Boolean data = null;
        if (permissions != null) {
            for (String name : permissions.fieldNames()) {
                if (!PERMISSION_FIELDS.contains(name)) {
                    throw ApiException.badRequest("unknown permission '" + ClientText.forLog(name) + "'; allowed: "
                            + PERMISSION_FIELDS);
                }
            }
            publish = ApiBody.optionalBoolean(permissions, "canPublish");
            subscribe = ApiBody.optionalBoolean(permissions, "canSubscribe");
            data = ApiBody.optionalBoolean(permissions, "canData");
        }
        boolean metadataGiven = body.containsKey("metadata");
        String metadata = ApiBody.optionalString(body, "metadata", RoomDirectory.MAX_METADATA_CHARS);
        if (permissions == null && !metadataGiven) {
            throw ApiException.badRequest("nothing to update: give 'permissions' and/or 'metadata'");
        }
        Boolean pub = publish;
        Boolean sub = subscribe;
        Boolean dat = data;
        CompletableFuture<JsonObject> done = live.onRoom(roomId, room -> {
            present(room, identity);
            ConferenceParticipant cp = sfu.conference().participant(roomId, identity);
            if (cp == null) {
                throw LiveRooms.noParticipant(roomId, identity);
            }
            // On the room's loop already: the grant change runs now, before the notices below.
            cp.updateGrants(pub, sub, dat);
            if (permissions != null) {
                sfu.roomSessions().send(roomId, identity, new JsonObject().put("type", "permissionsChanged")
                        .put("permissions", ApiJson.permissions(cp.canPublish(), cp.canSubscribe(), cp.canData())));
            }
            if (metadataGiven) {
                directory.participantMetadata(roomId, identity, metadata);
                JsonObject notice = new JsonObject().put("type", "participantMetadata")
                        .put("participantId", identity).put("metadata", metadata);
                for (Participant p : room.participants()) {
                    sfu.roomSessions().send(roomId, p.id(), notice);
                }
            }
            return view(room, present(room, identity));
        });
        ApiReplies.later(ctx, 200, done, j -> j);
    }

    /** {@code POST .../participants/:identity/tracks/:track/mute} with {@code {"muted": bool}}; everyone hears. */
    void mute(RoutingContext ctx) throws ApiException {
        String roomId = ctx.pathParam("room");
        String identity = ctx.pathParam("identity");
        String trackId = ctx.pathParam("track");
        JsonObject body = ApiBody.object(ctx, MUTE_FIELDS);
        Boolean muted = ApiBody.optionalBoolean(body, "muted");
        if (muted == null) {
            throw ApiException.badRequest("the body must be {\"muted\": true} or {\"muted\": false}");
        }
        CompletableFuture<JsonObject> done = live.onRoom(roomId, room -> {
            Participant p = present(room, identity);
            Track t = p.track(trackId);
            if (t == null) {
                throw ApiException.notFound("participant '" + ClientText.forLog(identity) + "' publishes no track '"
                        + ClientText.forLog(trackId) + "'");
            }
            ConferenceParticipant cp = sfu.conference().participant(roomId, identity);
            if (cp == null) {
                throw LiveRooms.noParticipant(roomId, identity);
            }
            cp.setMuted(trackId, muted); // on the loop: done when it returns
            return new JsonObject().put("trackId", trackId).put("muted", t.muted());
        });
        ApiReplies.later(ctx, 200, done, j -> j);
    }

    private JsonObject view(Room room, Participant p) {
        return ApiJson.participant(p, sfu.conference().participant(room.id(), p.id()),
                directory.participantMetadata(room.id(), p.id()));
    }

    private static Participant present(Room room, String identity) throws ApiException {
        Participant p = room.participant(identity);
        if (p == null) {
            throw LiveRooms.noParticipant(room.id(), identity);
        }
        return p;
    }
}
