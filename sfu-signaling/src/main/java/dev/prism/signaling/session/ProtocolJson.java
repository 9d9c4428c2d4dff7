package dev.prism.signaling.session;

import dev.prism.conference.SubscriberLine;
import dev.prism.core.room.Participant;
import dev.prism.core.room.Room;
import dev.prism.core.room.Track;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Renders the room model as the protocol's JSON (docs/PROTOCOL.md). Call on the room's executor. */
final class ProtocolJson {
    private ProtocolJson() {
    }

    static JsonObject track(Track t) {
        return new JsonObject()
                .put("id", t.id())
                .put("participantId", t.participantId())
                .put("kind", t.kind().sdpName())
                .put("source", t.source().wireName())
                .put("muted", t.muted());
    }

    static JsonObject participant(Participant p) {
        JsonArray tracks = new JsonArray();
        for (Track t : p.tracks()) {
            tracks.add(track(t));
        }
        return new JsonObject()
                .put("id", p.id())
                .put("name", p.name())
                .put("canPublish", p.canPublish())
                .put("canSubscribe", p.canSubscribe())
                .put("tracks", tracks);
    }

    static JsonObject room(Room room) {
        JsonArray ps = new JsonArray();
        for (Participant p : room.participants()) {
            if (!p.hidden()) { // a recorder or bot: nobody is told it is there (the token's hidden grant)
                ps.add(participant(p));
            }
        }
        return new JsonObject().put("id", room.id()).put("videoCodec", room.videoCodec().wireName())
                .put("participants", ps);
    }

    static JsonObject error(String code, String message, String requestType, String requestId) {
        JsonObject o = new JsonObject().put("type", "error").put("code", code).put("message", message);
        if (requestType != null) {
            o.put("requestType", requestType);
        }
        if (requestId != null) {
            o.put("requestId", requestId);
        }
        return o;
    }

    /** The {@code welcome} message (docs/PROTOCOL.md). */
    static JsonObject welcome(Room room, String identity, JsonArray iceServers, String resumeToken,
                              long resumeWindowMs, boolean resumed, JsonArray subscriptions) {
        return new JsonObject().put("type", "welcome")
                .put("participant", participant(room.participant(identity)))
                .put("room", room(room))
                .put("iceServers", iceServers)
                .put("resumeToken", resumeToken)
                .put("resumeWindowMs", resumeWindowMs)
                .put("resumed", resumed)
                .put("subscriptions", subscriptions);
    }

    /** What a subscriber should be receiving: every active line, with the publisher's mute state. */
    static JsonArray subscriptions(List<SubscriberLine> lines) {
        JsonArray out = new JsonArray();
        for (SubscriberLine s : lines) {
            if (!s.active()) {
                continue;
            }
            out.add(new JsonObject().put("mid", s.mid()).put("trackId", s.trackId())
                    .put("participantId", s.publisherId()).put("kind", s.kind().sdpName()).put("muted", s.muted()));
        }
        return out;
    }

    /** The {@code state} message: the room and what the participant receives (the caller adds a requestId). */
    static JsonObject state(Room room, List<SubscriberLine> subscriptions) {
        return new JsonObject().put("type", "state").put("room", room(room))
                .put("subscriptions", subscriptions(subscriptions));
    }
}
