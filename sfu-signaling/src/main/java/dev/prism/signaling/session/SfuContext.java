package dev.prism.signaling.session;

import dev.prism.core.room.Room;
import dev.prism.core.room.RoomRegistry;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.transport.MediaEngine;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every participant session shares: the media engine, the room registry, each room's media router and the
 * directory of live sessions. Thread-safe; the per-room parts are touched on the room's executor.
 */
public final class SfuContext {
    private final MediaEngine media;
    private final RoomRegistry rooms;
    private final SignalingCounters counters = new SignalingCounters();
    private final Map<Room, RoomRouter> routers = new ConcurrentHashMap<>();
    private final Map<String, ParticipantSession> sessions = new ConcurrentHashMap<>();

    public SfuContext(MediaEngine media, RoomRegistry rooms) {
        this.media = media;
        this.rooms = rooms;
    }

    public MediaEngine media() {
        return media;
    }

    public RoomRegistry rooms() {
        return rooms;
    }

    public SignalingCounters counters() {
        return counters;
    }

    /** The room's media router, created on first use. Room executor only. */
    RoomRouter router(Room room) {
        return routers.computeIfAbsent(room, r -> new RoomRouter(r.id(), media));
    }

    /** The router if the room has one (read-only views). */
    public RoomRouter existingRouter(Room room) {
        return routers.get(room);
    }

    /** Forgets an empty room and its router. Room executor only. */
    public void releaseIfEmpty(Room room) {
        if (room.isEmpty()) {
            rooms.removeIfEmpty(room);
            if (rooms.get(room.id()) != room) {
                routers.remove(room);
            }
        }
    }

    ParticipantSession session(String roomId, String participantId) {
        return sessions.get(roomId + "\u0000" + participantId);
    }

    /** The live session of a participant, or null. Thread-safe; use the session itself on its room's executor. */
    public ParticipantSession liveSession(String roomId, String participantId) {
        return session(roomId, participantId);
    }

    void putSession(String roomId, String participantId, ParticipantSession s) {
        sessions.put(roomId + "\u0000" + participantId, s);
    }

    void removeSession(String roomId, String participantId, ParticipantSession s) {
        sessions.remove(roomId + "\u0000" + participantId, s);
    }

    /** Live sessions (for admin and tests). */
    public int sessionCount() {
        return sessions.size();
    }
}
