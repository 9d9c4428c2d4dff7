package dev.prism.signaling.session;

import dev.prism.core.room.Room;
import dev.prism.core.room.RoomRegistry;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.transport.MediaPlane;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every participant session shares: the media plane, the room registry, each room's media router and the
 * directory of live sessions. Thread-safe; the per-room parts are touched on the room's executor.
 */
public final class SfuContext {
    /** How long a participant whose WebSocket dropped is kept for a resume, unless configured otherwise. */
    public static final Duration DEFAULT_RESUME_WINDOW = Duration.ofSeconds(20);

    private final MediaPlane media;
    private final RoomRegistry rooms;
    private final Duration resumeWindow;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, ParticipantSession> byResumeToken = new ConcurrentHashMap<>();
    private final SignalingCounters counters = new SignalingCounters();
    private final Map<Room, RoomRouter> routers = new ConcurrentHashMap<>();
    private final Map<String, ParticipantSession> sessions = new ConcurrentHashMap<>();
    private volatile int messagesPerSecond = dev.prism.core.config.PrismConfig.DEFAULT_SIGNALING_MESSAGES_PER_SECOND;
    private volatile int maxParticipantsPerRoom = dev.prism.core.config.PrismConfig.DEFAULT_MAX_PARTICIPANTS_PER_ROOM;

    public SfuContext(MediaPlane media, RoomRegistry rooms) {
        this(media, rooms, DEFAULT_RESUME_WINDOW);
    }

    /** @param resumeWindow how long a dropped participant is kept for a resume; zero leaves at once */
    public SfuContext(MediaPlane media, RoomRegistry rooms, Duration resumeWindow) {
        this.media = media;
        this.rooms = rooms;
        this.resumeWindow = resumeWindow;
    }

    /**
     * Sets the most participants a room holds; a join beyond it is refused ({@code room_full}, close 4006). A rejoin
     * of an identity already in the room does not count twice. Call once at startup, before sockets are accepted.
     */
    /** Messages a signaling socket may send a second (bursts of four times as many); see {@link MessageRateLimit}. */
    public SfuContext messagesPerSecond(int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("messagesPerSecond must be at least 1: " + perSecond);
        }
        this.messagesPerSecond = perSecond;
        return this;
    }

    public int messagesPerSecond() {
        return messagesPerSecond;
    }

    public SfuContext maxParticipantsPerRoom(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxParticipantsPerRoom must be at least 1: " + max);
        }
        this.maxParticipantsPerRoom = max;
        return this;
    }

    public int maxParticipantsPerRoom() {
        return maxParticipantsPerRoom;
    }

    public Duration resumeWindow() {
        return resumeWindow;
    }

    /** A fresh unguessable resume token (128 bits, URL-safe). */
    String newResumeToken() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    void registerResume(String resumeToken, ParticipantSession s) {
        byResumeToken.put(resumeToken, s);
    }

    void unregisterResume(String resumeToken, ParticipantSession s) {
        byResumeToken.remove(resumeToken, s);
    }

    /**
     * The session a resume token was handed to, or null (unknown, used, or its session closed). Any thread; the
     * session checks the token again on its room's executor.
     */
    public ParticipantSession resumable(String resumeToken) {
        return resumeToken == null ? null : byResumeToken.get(resumeToken);
    }

    /** Media health of every participant of a room (empty when there is no such room). Any thread. */
    public CompletableFuture<List<ParticipantMediaStats>> mediaStats(String roomId) {
        Room room = rooms.get(roomId);
        if (room == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        CompletableFuture<List<ParticipantMediaStats>> result = new CompletableFuture<>();
        room.executor().execute(() -> {
            try {
                List<ParticipantMediaStats> out = new ArrayList<>();
                for (var p : room.participants()) {
                    ParticipantSession s = session(roomId, p.id());
                    if (s != null) {
                        out.add(s.mediaStats());
                    }
                }
                result.complete(out);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /**
     * Fault injection for tests and drills: silently stops forwarding {@code trackId} to {@code participantId}, as a
     * lost consumer would; media-state reconciliation must notice and repair it. Any thread.
     *
     * @return whether a consumer was stopped
     */
    public CompletableFuture<Boolean> dropConsumerForTesting(String roomId, String participantId, String trackId) {
        Room room = rooms.get(roomId);
        if (room == null) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        room.executor().execute(() -> {
            ParticipantSession s = session(roomId, participantId);
            result.complete(s != null && s.dropConsumerForTesting(trackId));
        });
        return result;
    }

    public MediaPlane media() {
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
        return routers.computeIfAbsent(room, r -> new RoomRouter(r.id(), media.engineOf(r.executor())));
    }

    /** The router if the room has one (read-only views). */
    public RoomRouter existingRouter(Room room) {
        return routers.get(room);
    }

    /** Forgets an empty room and its router. Room executor only. */
    public void releaseIfEmpty(Room room) {
        if (room.isEmpty()) {
            rooms.removeIfEmpty(room);
            if (rooms.get(room.id()) != room && routers.remove(room) != null) {
                media.release(room.executor());
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

    /** Live sessions, attached to a socket or detached (for admin and tests). */
    public int sessionCount() {
        return sessions.size();
    }

    /** Sessions on a live socket: what the {@code prism_signaling_sessions} gauge shows. Any thread. */
    public int attachedSessionCount() {
        int n = 0;
        for (ParticipantSession s : sessions.values()) {
            n += s.isDetached() ? 0 : 1;
        }
        return n;
    }

    /** Sessions whose socket dropped, kept in their room for a resume. Any thread. */
    public int detachedSessionCount() {
        int n = 0;
        for (ParticipantSession s : sessions.values()) {
            n += s.isDetached() ? 1 : 0;
        }
        return n;
    }
}
