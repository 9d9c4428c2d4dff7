package dev.prism.conference;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.inspect.ActionOutcome;
import dev.prism.core.room.LeaveReason;
import dev.prism.core.room.Participant;
import dev.prism.core.room.Room;
import dev.prism.core.room.RoomRegistry;
import dev.prism.core.room.Track;
import dev.prism.core.rtp.VideoCodec;
import dev.prism.core.text.ClientText;
import dev.prism.rtp.alloc.QualityCap;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.transport.MediaPlane;
import dev.prism.rtp.transport.WebRtcTransport;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane of a node: the API signaling and operators call to join rooms, publish, subscribe, mute, repair
 * and leave, over the media plane's routers. Each room lives on one media loop ({@link Room#executor()}); every call
 * hops there and answers with a {@link CompletableFuture} completed on that loop (at once when the caller is on it
 * already). Events toward a participant's owner go to its {@link ConferenceListener}, on the same loop.
 *
 * <p>Thread-safe. The per-room parts (routers, participants) are touched only on the room's loop.
 */
public final class Conference {
    private static final Logger log = LoggerFactory.getLogger(Conference.class);
    /** Attempts at joining when the room is closed between lookup and join (emptied and dropped in between). */
    private static final int JOIN_ATTEMPTS = 4;

    private final MediaPlane media;
    private final RoomRegistry rooms;
    private final SubscriberCodecPlan codecPlan;
    private final Map<Room, RoomRouter> routers = new ConcurrentHashMap<>();
    private final Map<Room, RoomSpeakers> speakers = new ConcurrentHashMap<>();
    private final Map<String, ConferenceParticipant> participants = new ConcurrentHashMap<>();
    private final RoomReader reader = new RoomReader(this);
    private volatile int maxParticipantsPerRoom = dev.prism.core.config.PrismConfig.DEFAULT_MAX_PARTICIPANTS_PER_ROOM;
    private volatile int maxPublishersPerRoom = dev.prism.core.config.PrismConfig.DEFAULT_MAX_PUBLISHERS_PER_ROOM;
    private volatile VideoCodec defaultVideoCodec = VideoCodec.VP8;
    private volatile Set<VideoCodec> allowedVideoCodecs = EnumSet.allOf(VideoCodec.class);
    /** A room's own participant limit (the server API's room options), 0 = the node's. Room loop. */
    private volatile java.util.function.ToIntFunction<String> roomMaxParticipants = roomId -> 0;
    private volatile int audioTopN;

    /** @param codecPlan the payload types and extension ids subscriber offers use (signaling's offer writer) */
    public Conference(MediaPlane media, RoomRegistry rooms, SubscriberCodecPlan codecPlan) {
        this.media = media;
        this.rooms = rooms;
        this.codecPlan = codecPlan;
    }

    /**
     * Sets the most participants a room holds; a join beyond it fails with {@code room_full}. A rejoin of an identity
     * already in the room does not count twice. Call once at startup.
     */
    public Conference maxParticipantsPerRoom(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxParticipantsPerRoom must be at least 1: " + max);
        }
        this.maxParticipantsPerRoom = max;
        return this;
    }

    /**
     * Sets the video codec a new room gets when its first join asks for none, or for one not in {@code allowed}
     * ({@link JoinRequest#videoCodec()}). Defaults: VP8, every codec allowed. Call once at startup.
     */
    public Conference videoCodecs(VideoCodec defaultCodec, Set<VideoCodec> allowed) {
        if (!allowed.contains(defaultCodec)) {
            throw new IllegalArgumentException("the default video codec " + defaultCodec + " is not allowed");
        }
        this.defaultVideoCodec = defaultCodec;
        this.allowedVideoCodecs = EnumSet.copyOf(allowed);
        return this;
    }

    /**
     * Sets how many participants of a room may publish at once (a token's {@code roomMaxPublishers} may lower it for
     * the room its join creates); a publish beyond it fails with {@code publishers_full}. Call once at startup.
     */
    public Conference maxPublishersPerRoom(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxPublishersPerRoom must be at least 1: " + max);
        }
        this.maxPublishersPerRoom = max;
        return this;
    }

    public int maxPublishersPerRoom() {
        return maxPublishersPerRoom;
    }

    /** The quality cap of {@code identity}'s own video (its token's), {@link QualityCap#NONE} if none or gone. */
    QualityCap sendCapOf(String roomId, String identity) {
        ConferenceParticipant p = participants.get(key(roomId, identity));
        return p == null ? QualityCap.NONE : p.grants().qualityCap();
    }

    /**
     * Per-room participant limits (the server API's {@code maxParticipants}): {@code limits} answers a room's own
     * limit, or 0 for the node's {@link #maxParticipantsPerRoom}. Called on the room's loop at each join; must be
     * quick and non-blocking. Call once at startup.
     */
    public Conference roomMaxParticipants(java.util.function.ToIntFunction<String> limits) {
        this.roomMaxParticipants = java.util.Objects.requireNonNull(limits);
        return this;
    }

    /**
     * Sets top-N audio for rooms whose first join asks for nothing else ({@link JoinRequest#audioTopN()}): each
     * subscriber gets only the {@code n} loudest audio streams of the others; 0 (the default) forwards every one.
     * Call once at startup.
     */
    public Conference audioTopN(int n) {
        dev.prism.core.config.PrismConfig.checkAudioTopN(n);
        this.audioTopN = n;
        return this;
    }

    public int audioTopN() {
        return audioTopN;
    }

    /**
     * Who speaks in a room now and its top-N setting (null when there is no such room). Any thread; completes on the
     * room's loop.
     */
    public CompletableFuture<RoomSpeakerState> speakers(String roomId) {
        Room room = rooms.get(roomId);
        if (room == null) {
            return CompletableFuture.completedFuture(null);
        }
        return RoomLoop.call(room, () -> {
            RoomSpeakers s = speakers.get(room);
            return s == null ? null : new RoomSpeakerState(s.current(), s.topN(), s.updatesSent());
        });
    }

    public int maxParticipantsPerRoom() {
        return maxParticipantsPerRoom;
    }

    public MediaPlane media() {
        return media;
    }

    public RoomRegistry rooms() {
        return rooms;
    }

    public MonoClock clock() {
        return media.clock();
    }

    /** Reads rooms into operator snapshots; its methods run on the room's loop only. */
    public RoomReader reader() {
        return reader;
    }

    /** The loop of the room of that id (created and placed when there is none yet). Any thread. */
    public Executor roomExecutor(String roomId) {
        return rooms.getOrCreate(roomId).executor();
    }

    /**
     * Joins a room. On the room's loop: refuses with {@code room_full} beyond the capacity; replaces a participant of
     * the same identity ({@link ConferenceListener#onReplaced} on its listener, it leaves with {@code replaced}); joins;
     * calls {@link ConferenceListener#onJoined}; subscribes to the tracks already there (then
     * {@link ConferenceListener#onSubscriberOfferNeeded}). Any thread.
     *
     * @return completes on the room's loop with the participant's handle, or fails with a {@link ConferenceException}
     *         ({@code room_full}, {@code internal}); cancel it while pending to give the join up
     */
    public CompletableFuture<ConferenceParticipant> join(JoinRequest request, ConferenceListener listener) {
        CompletableFuture<ConferenceParticipant> result = new CompletableFuture<>();
        joinAttempt(request, listener, result, 0);
        return result;
    }

    private void joinAttempt(JoinRequest request, ConferenceListener listener,
                             CompletableFuture<ConferenceParticipant> result, int attempt) {
        Room r = rooms.getOrCreate(request.roomId());
        r.executor().execute(() -> {
            if (result.isDone()) {
                return; // given up (cancelled by its caller)
            }
            if (r.isClosed()) {
                if (attempt + 1 < JOIN_ATTEMPTS) {
                    joinAttempt(request, listener, result, attempt + 1); // take the new room
                } else {
                    result.completeExceptionally(new ConferenceException("internal", "room is closing, try again"));
                }
                return;
            }
            try {
                joinOpenRoom(r, request, listener, result);
            } catch (RuntimeException e) {
                log.warn("room={} participant={} join failed", ClientText.forLog(request.roomId()),
                        ClientText.forLog(request.identity()), e);
                result.completeExceptionally(new ConferenceException("internal", "the join failed, try again"));
                releaseIfEmpty(r);
            }
        });
    }

    private void joinOpenRoom(Room r, JoinRequest request, ConferenceListener listener,
                              CompletableFuture<ConferenceParticipant> result) {
        String identity = request.identity();
        int own = roomMaxParticipants.applyAsInt(r.id());
        int max = own > 0 ? own : maxParticipantsPerRoom;
        if (!RoomCapacity.admits(r, identity, max)) {
            result.completeExceptionally(new ConferenceException("room_full", "the room is full (" + max
                    + " participants)", "room holds " + r.participants().size() + " participants"));
            return;
        }
        RoomRouter router = router(r);
        ConferenceParticipant previous = participants.get(key(r.id(), identity));
        if (previous != null) {
            previous.replaced(r); // keeps r open even when previous was alone in it
        }
        if (r.participant(identity) != null) {
            r.leave(identity, LeaveReason.REPLACED);
        }
        VideoCodec asked = request.videoCodec();
        r.chooseVideoCodec(asked != null && allowedVideoCodecs.contains(asked) ? asked : defaultVideoCodec);
        r.chooseMaxPublishers(PublisherLimit.forNewRoom(maxPublishersPerRoom, request.grants()));
        ConferenceParticipant p = new ConferenceParticipant(this, r, router, request, listener);
        r.join(identity, request.displayName(), request.canPublish(), request.canSubscribe(),
                request.grants().hidden(), p);
        participants.put(key(r.id(), identity), p);
        listener.onJoined(p);
        roomSpeakers(r, router, request).welcome(listener);
        p.subscribeExisting();
        if (!result.complete(p)) {
            p.leave(LeaveReason.DISCONNECTED); // given up while it was joining: nobody holds this handle
        }
    }

    /** The participant of that identity in that room, or null. Any thread; use the handle as it says. */
    public ConferenceParticipant participant(String roomId, String identity) {
        return participants.get(key(roomId, identity));
    }

    /** Participants in all rooms. Any thread. */
    public int participantCount() {
        return participants.size();
    }

    // ---- operators -------------------------------------------------------------------------------------------

    /**
     * An operator removes a participant: its owner hears {@link ConferenceListener#onRemoved} (and tells its client),
     * then it leaves with {@code removed}. Any thread; completes on the room's loop.
     */
    public CompletableFuture<ActionOutcome> removeParticipant(String roomId, String participantId) {
        return onLiveRoom(roomId, room -> {
            if (room.participant(participantId) == null) {
                return ActionOutcome.notFound("participant '" + participantId + "' is not in room '" + roomId + "'");
            }
            remove(room, participantId, LeaveReason.REMOVED);
            releaseIfEmpty(room);
            return ActionOutcome.done("participant '" + participantId + "' removed from room '" + roomId + "'");
        });
    }

    /** An operator closes a room: every participant is removed with {@code room_closed}. Any thread. */
    public CompletableFuture<ActionOutcome> closeRoom(String roomId) {
        return onLiveRoom(roomId, room -> {
            int n = endRoom(room, LeaveReason.ROOM_CLOSED);
            return ActionOutcome.done("room '" + roomId + "' closed; " + n + " participants removed");
        });
    }

    /**
     * Moves a room: every participant's owner hears {@link ConferenceListener#onRemoved} with
     * {@link LeaveReason#MIGRATED} (it tells its client to join again at once: in a cluster the join lands on the
     * room's new owner), then the participant leaves with {@code migrated} and the room is forgotten. A join arriving
     * afterwards opens the room afresh. Any thread; completes on the room's loop.
     */
    public CompletableFuture<ActionOutcome> migrateRoom(String roomId) {
        return onLiveRoom(roomId, room -> {
            int n = endRoom(room, LeaveReason.MIGRATED);
            return ActionOutcome.done("room '" + roomId + "' migrating; " + n + " participants told to join again");
        });
    }

    /**
     * The node stops: every participant of every room is ended with {@link LeaveReason#SERVER_SHUTDOWN} (its owner
     * tells the client not to come back at once). Any thread.
     *
     * @return completes once every room has been ended, with the number of participants ended
     */
    public CompletableFuture<Integer> endAllRooms() {
        List<CompletableFuture<Integer>> ended = new ArrayList<>();
        for (Room room : rooms.rooms()) {
            ended.add(RoomLoop.call(room, () -> isLive(room) ? endRoom(room, LeaveReason.SERVER_SHUTDOWN) : 0));
        }
        return CompletableFuture.allOf(ended.toArray(CompletableFuture[]::new))
                .thenApply(v -> ended.stream().mapToInt(CompletableFuture::join).sum());
    }

    /** Ends every participant of {@code room} with {@code reason} and forgets the room. Room loop only. */
    private int endRoom(Room room, LeaveReason reason) {
        List<String> ids = room.participants().stream().map(Participant::id).toList();
        log.info("room={} ended ({}): {} participants", ClientText.forLog(room.id()), reason.wireName(), ids.size());
        for (String id : ids) {
            remove(room, id, reason);
        }
        releaseIfEmpty(room);
        return ids.size();
    }

    /** An operator mutes or unmutes a track; everyone hears. Any thread. */
    public CompletableFuture<ActionOutcome> muteTrack(String roomId, String trackId, boolean muted) {
        return onLiveRoom(roomId, room -> {
            for (Participant p : room.participants()) {
                Track t = p.track(trackId);
                if (t != null) {
                    log.info("room={} participant={} track={} muted={} by an operator", roomId, p.id(), trackId,
                            muted);
                    room.setMuted(p.id(), trackId, muted);
                    return ActionOutcome.done("track '" + trackId + "' of participant '" + p.id() + "' "
                            + (muted ? "muted" : "unmuted"));
                }
            }
            return ActionOutcome.notFound("no track '" + trackId + "' in room '" + roomId + "'");
        });
    }

    /** Media health of every participant of a room (empty when there is no such room). Any thread. */
    public CompletableFuture<List<ParticipantMediaStats>> mediaStats(String roomId) {
        Room room = rooms.get(roomId);
        if (room == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        return RoomLoop.call(room, () -> {
            List<ParticipantMediaStats> out = new ArrayList<>();
            for (Participant p : room.participants()) {
                ConferenceParticipant cp = participant(roomId, p.id());
                if (cp != null) {
                    out.add(cp.mediaStats());
                }
            }
            return out;
        });
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
        return RoomLoop.call(room, () -> {
            ConferenceParticipant p = participant(roomId, participantId);
            return p != null && p.dropConsumer(trackId);
        });
    }

    /** Whether {@code room} is the registry's current room of its id and open. Room loop only. */
    public boolean isLive(Room room) {
        return !room.isClosed() && rooms.get(room.id()) == room;
    }

    // ---- room loop, package ----------------------------------------------------------------------------------

    private void remove(Room room, String participantId, LeaveReason reason) {
        ConferenceParticipant p = participant(room.id(), participantId);
        if (p == null || !p.removeByNode(reason)) {
            room.leave(participantId, reason); // no handle (should not happen): the room's word still wins
        }
    }

    private CompletableFuture<ActionOutcome> onLiveRoom(String roomId,
                                                        java.util.function.Function<Room, ActionOutcome> action) {
        Room room = rooms.get(roomId);
        if (room == null) {
            return CompletableFuture.completedFuture(noRoom(roomId));
        }
        return RoomLoop.call(room, () -> isLive(room) ? action.apply(room) : noRoom(roomId));
    }

    private static ActionOutcome noRoom(String roomId) {
        return ActionOutcome.notFound("no room '" + roomId + "'");
    }

    SubscriberCodecPlan codecPlan() {
        return codecPlan;
    }

    /** The room's media router, created on first use. Room loop only. */
    RoomRouter router(Room room) {
        return routers.computeIfAbsent(room, r -> new RoomRouter(r.id(), media.engineOf(r.executor())));
    }

    /** The room's speaker detection and top-N audio, started by its first join (whose claim sets N). Room loop only. */
    private RoomSpeakers roomSpeakers(Room room, RoomRouter router, JoinRequest first) {
        return speakers.computeIfAbsent(room, r -> new RoomSpeakers(this, r, router,
                first.audioTopN() != null ? first.audioTopN() : audioTopN));
    }

    /** The speaker state of a room, null before its first join. Room loop only. */
    RoomSpeakers existingSpeakers(Room room) {
        return speakers.get(room);
    }

    /** The router if the room has one (read-only views). */
    RoomRouter existingRouter(Room room) {
        return routers.get(room);
    }

    /** Forgets an empty room and its router. Room loop only. */
    void releaseIfEmpty(Room room) {
        if (room.isEmpty()) {
            rooms.removeIfEmpty(room);
            RoomSpeakers s = rooms.get(room.id()) != room ? speakers.remove(room) : null;
            if (s != null) {
                s.close();
            }
            if (rooms.get(room.id()) != room && routers.remove(room) != null) {
                media.release(room.executor());
            }
        }
    }

    void forget(ConferenceParticipant p) {
        participants.remove(key(p.roomId(), p.id()), p);
    }

    private static String key(String roomId, String identity) {
        return roomId + "\u0000" + identity;
    }

    static LocalTransport local(WebRtcTransport t) {
        return new LocalTransport(t.localIceParameters(), t.localFingerprint(), t.localCandidates());
    }

    /** The track of that id in the room, or null. Room loop only. */
    static Track findTrack(Room room, String trackId) {
        for (Participant p : room.participants()) {
            Track t = p.track(trackId);
            if (t != null) {
                return t;
            }
        }
        return null;
    }
}
