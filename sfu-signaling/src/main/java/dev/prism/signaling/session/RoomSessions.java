package dev.prism.signaling.session;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The joined sessions of this node by room and identity: how a data message, or a server API notice, reaches a
 * participant's socket. A session is in it from its join until it closes (detached ones included: their messages are
 * dropped, as every message is while detached). A replaced identity's new session takes the slot; the old one's
 * removal then leaves it alone. Thread-safe.
 */
public final class RoomSessions {
    private final Map<String, ParticipantSession> byKey = new ConcurrentHashMap<>();

    void put(ParticipantSession s) {
        byKey.put(key(s.roomId(), s.participantId()), s);
    }

    void remove(ParticipantSession s) {
        byKey.remove(key(s.roomId(), s.participantId()), s);
    }

    /**
     * Sends {@code msg} to the participant's socket when it has a session on this node. Call on the room's loop, so
     * messages to one participant keep the order they were decided in.
     *
     * @return whether a session took it
     */
    public boolean send(String roomId, String identity, JsonObject msg) {
        ParticipantSession s = byKey.get(key(roomId, identity));
        if (s == null) {
            return false;
        }
        s.send(msg);
        return true;
    }

    private static String key(String roomId, String identity) {
        return roomId + "\u0000" + identity;
    }
}
