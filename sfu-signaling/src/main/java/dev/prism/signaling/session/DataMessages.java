package dev.prism.signaling.session;

import dev.prism.core.room.Participant;
import dev.prism.core.room.Room;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * In-room data messages over the signaling WebSocket (docs/PROTOCOL.md, "Data messages"): a participant's
 * {@code sendData} and the server API's, relayed as {@code data} to everyone else in the room or to the identities in
 * {@code to}. Relayed on the room's loop, so every recipient gets one sender's messages in the order they were sent,
 * and messages from different senders in one order for everyone on this node.
 *
 * <p>Room loop only.
 */
public final class DataMessages {
    /** The outcome of one relay. {@code unknown}: identities in {@code to} not in the room (nothing sent to them). */
    public record Relayed(int delivered, List<String> unknown) {
    }

    private DataMessages() {
    }

    /**
     * Checks a payload and a recipient list the same way for participants and the server API.
     *
     * @return the recipients (null: everyone)
     * @throws SignalingError {@code data_too_large}, {@code bad_request}
     */
    public static Set<String> check(Object payload, Object to) throws SignalingError {
        if (payload == null) {
            throw new SignalingError("bad_request", "field 'payload' is required (a string or any JSON value)");
        }
        int bytes = encodedSize(payload);
        if (bytes > DataLimits.MAX_PAYLOAD_BYTES) {
            throw new SignalingError("data_too_large", "the payload is " + bytes + " bytes; the limit is "
                    + DataLimits.MAX_PAYLOAD_BYTES);
        }
        if (to == null) {
            return null;
        }
        if (!(to instanceof JsonArray list) || list.size() > DataLimits.MAX_RECIPIENTS) {
            throw new SignalingError("bad_request", "field 'to' must be an array of at most "
                    + DataLimits.MAX_RECIPIENTS + " identities");
        }
        Set<String> out = new LinkedHashSet<>();
        for (Object o : list) {
            if (!(o instanceof String s) || s.isEmpty() || s.length() > 256) {
                throw new SignalingError("bad_request", "field 'to' must hold identities (non-empty strings)");
            }
            out.add(s);
        }
        return out;
    }

    /**
     * Sends {@code data} to the others in {@code room} (or to {@code to}); the sender never gets its own message.
     * Room loop only.
     *
     * @param from the sender's identity, null for the server API (the message then carries {@code "server": true})
     */
    public static Relayed relay(RoomSessions sessions, Room room, String from, Object payload, Set<String> to) {
        JsonObject msg = new JsonObject().put("type", "data");
        if (from == null) {
            msg.put("server", true);
        } else {
            msg.put("from", from);
        }
        msg.put("payload", payload);
        int delivered = 0;
        List<String> unknown = new ArrayList<>();
        if (to == null) {
            for (Participant p : room.participants()) {
                if (!p.id().equals(from) && sessions.send(room.id(), p.id(), msg)) {
                    delivered++;
                }
            }
        } else {
            for (String id : to) {
                if (id.equals(from)) {
                    continue;
                }
                if (room.participant(id) != null && sessions.send(room.id(), id, msg)) {
                    delivered++;
                } else {
                    unknown.add(id);
                }
            }
        }
        return new Relayed(delivered, unknown);
    }

    private static int encodedSize(Object payload) {
        if (payload instanceof String s) {
            return s.length() * 3 < DataLimits.MAX_PAYLOAD_BYTES ? s.length()
                    : s.getBytes(StandardCharsets.UTF_8).length;
        }
        String json = payload instanceof JsonObject o ? o.encode()
                : payload instanceof JsonArray a ? a.encode() : String.valueOf(payload);
        return json.getBytes(StandardCharsets.UTF_8).length;
    }
}
