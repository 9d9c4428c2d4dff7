package dev.prism.signaling.api;

import dev.prism.conference.ConferenceParticipant;
import dev.prism.core.room.Participant;
import dev.prism.core.room.Room;
import dev.prism.core.room.Track;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The server API's JSON views (docs/API.md). Room views are built on the room's loop. */
final class ApiJson {
    private ApiJson() {
    }

    /** A room: live ({@code room} not null, on its loop) and/or created with options ({@code options} not null). */
    static JsonObject room(String id, Room room, RoomDirectory.RoomOptions options, int nodeMaxParticipants) {
        JsonObject o = new JsonObject().put("name", id).put("live", room != null)
                .put("participants", room == null ? 0 : room.participants().size());
        int max = options == null || options.maxParticipants() == 0 ? nodeMaxParticipants : options.maxParticipants();
        o.put("maxParticipants", max);
        o.put("emptyTimeout", options == null ? null : options.emptyTimeoutSeconds());
        o.put("metadata", options == null ? null : options.metadata());
        o.put("createdAt", options == null ? null : options.createdAtMillis());
        if (room != null) {
            o.put("videoCodec", room.videoCodec().wireName());
        }
        return o;
    }

    /** A participant, on its room's loop. {@code cp} may be null (a participant of another node's making). */
    static JsonObject participant(Participant p, ConferenceParticipant cp, String metadata) {
        JsonArray tracks = new JsonArray();
        for (Track t : p.tracks()) {
            tracks.add(new JsonObject().put("id", t.id()).put("kind", t.kind().sdpName())
                    .put("source", t.source().wireName()).put("muted", t.muted()));
        }
        return new JsonObject().put("identity", p.id()).put("name", p.name())
                .put("permissions", permissions(p.canPublish(), p.canSubscribe(), cp == null || cp.canData()))
                .put("metadata", metadata).put("tracks", tracks);
    }

    static JsonObject permissions(boolean publish, boolean subscribe, boolean data) {
        return new JsonObject().put("canPublish", publish).put("canSubscribe", subscribe).put("canData", data);
    }
}
