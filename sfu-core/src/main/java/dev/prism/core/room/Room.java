package dev.prism.core.room;

import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.VideoCodec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authoritative state of one room: who is in it, what each publishes and each track's muted state.
 *
 * <p>Threading: every method except {@link #id()}, {@link #executor()} and observer registration must be called on
 * {@link #executor()} (the room's single owner thread, which is also the event loop of its media router), so the
 * state needs no locks. Callers on other threads hop with {@code room.executor().execute(...)}.
 */
public final class Room {
    private static final Logger log = LoggerFactory.getLogger(Room.class);

    private final String id;
    private final Executor executor;
    private final Map<String, Participant> participants = new LinkedHashMap<>();
    private final List<RoomListener> observers = new CopyOnWriteArrayList<>();
    private boolean closed;
    private VideoCodec videoCodec;
    /** Participants that may publish at once; 0 until the first join sets it. */
    private int maxPublishers;

    public Room(String id, Executor executor) {
        this.id = id;
        this.executor = executor;
    }

    public String id() {
        return id;
    }

    /** The room's owner thread. */
    public Executor executor() {
        return executor;
    }

    /** Adds an observer that sees every event (admin, metrics). Thread-safe. */
    public void addObserver(RoomListener observer) {
        observers.add(observer);
    }

    public void removeObserver(RoomListener observer) {
        observers.remove(observer);
    }

    /**
     * Fixes the room's video codec the first time it is called (by the first join, see {@link VideoCodec}) and
     * returns it; later calls return the codec already chosen, whatever they ask for.
     */
    public VideoCodec chooseVideoCodec(VideoCodec wanted) {
        if (videoCodec == null) {
            videoCodec = wanted == null ? VideoCodec.VP8 : wanted;
        }
        return videoCodec;
    }

    /**
     * Fixes how many participants may publish at once the first time it is called (by the first join, from the node's
     * setting or the token's {@code roomMaxPublishers}) and returns it; later calls return the limit already fixed.
     */
    public int chooseMaxPublishers(int wanted) {
        if (maxPublishers == 0) {
            maxPublishers = Math.max(1, wanted);
        }
        return maxPublishers;
    }

    /** The room's publisher limit; {@link Integer#MAX_VALUE} until a join fixed one. */
    public int maxPublishers() {
        return maxPublishers == 0 ? Integer.MAX_VALUE : maxPublishers;
    }

    /** The room's video codec: {@link VideoCodec#VP8} until a join chose one. */
    public VideoCodec videoCodec() {
        return videoCodec == null ? VideoCodec.VP8 : videoCodec;
    }

    public boolean isClosed() {
        return closed;
    }

    public Collection<Participant> participants() {
        return Collections.unmodifiableCollection(participants.values());
    }

    public Participant participant(String participantId) {
        return participants.get(participantId);
    }

    public boolean isEmpty() {
        return participants.isEmpty();
    }

    /**
     * Adds a participant and tells everyone else. The caller must have removed any previous participant with the same
     * id first ({@link #leave} with {@link LeaveReason#REPLACED}).
     *
     * @throws IllegalStateException when the id is taken or the room is closed
     */
    public Participant join(String participantId, String name, boolean canPublish, boolean canSubscribe,
                            RoomListener listener) {
        return join(participantId, name, canPublish, canSubscribe, false, listener);
    }

    /**
     * Like {@link #join(String, String, boolean, boolean, RoomListener)}; a {@code hidden} participant's joining and
     * leaving are told to the observers only (see {@link Participant#hidden()}).
     */
    public Participant join(String participantId, String name, boolean canPublish, boolean canSubscribe,
                            boolean hidden, RoomListener listener) {
        if (closed) {
            throw new IllegalStateException("room " + id + " is closed");
        }
        if (participants.containsKey(participantId)) {
            throw new IllegalStateException("participant " + participantId + " is already in room " + id);
        }
        Participant p = new Participant(participantId, name, canPublish, canSubscribe, hidden, listener);
        participants.put(participantId, p);
        log.info("room={} participant={} joined name='{}'{}", id, participantId, name, hidden ? " hidden" : "");
        emit(new RoomEvent.ParticipantJoined(id, p), hidden ? p : null, p);
        return p;
    }

    /**
     * Changes a participant's grants live (the server API); the caller ({@code ConferenceParticipant}) stops what a
     * revoked grant no longer allows. No event: the client is told by signaling.
     *
     * @return false when the participant is not here
     */
    public boolean setGrants(String participantId, boolean canPublish, boolean canSubscribe) {
        Participant p = participants.get(participantId);
        if (p == null) {
            return false;
        }
        p.setGrants(canPublish, canSubscribe);
        return true;
    }

    /** Removes a participant and its tracks; tells everyone else. No-op when it is not here. */
    public void leave(String participantId, LeaveReason reason) {
        Participant p = participants.get(participantId);
        if (p == null) {
            return;
        }
        for (Track t : new ArrayList<>(p.tracks())) {
            unpublish(participantId, t.id());
        }
        participants.remove(participantId);
        log.info("room={} participant={} left reason={}", id, participantId, reason.wireName());
        emit(new RoomEvent.ParticipantLeft(id, participantId, reason), p.hidden() ? p : null, p);
    }

    /**
     * Records a track a participant now publishes and tells everyone else.
     *
     * @throws IllegalStateException when the participant is unknown or may not publish
     */
    public Track publish(String participantId, MediaKind kind, TrackSource source, String publisherMid) {
        return publish(participantId, kind, source, publisherMid, t -> { });
    }

    /**
     * Like {@link #publish(String, MediaKind, TrackSource, String)}, calling {@code beforeAnnounce} with the new track
     * before anyone is told, so the caller can get its media ready (the subscribers' reaction needs it).
     */
    public Track publish(String participantId, MediaKind kind, TrackSource source, String publisherMid,
                         java.util.function.Consumer<Track> beforeAnnounce) {
        Participant p = requireParticipant(participantId);
        if (!p.canPublish()) {
            throw new IllegalStateException("participant " + participantId + " may not publish");
        }
        Track t = new Track(p.nextTrackId(), participantId, kind, source, publisherMid, false);
        p.mutableTracks().put(t.id(), t);
        beforeAnnounce.accept(t);
        log.info("room={} participant={} track={} published kind={} source={}", id, participantId, t.id(), kind,
                source);
        emit(new RoomEvent.TrackPublished(id, t), p);
        return t;
    }

    /** Removes a track and tells everyone else; returns false when unknown. */
    public boolean unpublish(String participantId, String trackId) {
        Participant p = participants.get(participantId);
        Track t = p == null ? null : p.mutableTracks().remove(trackId);
        if (t == null) {
            return false;
        }
        log.info("room={} participant={} track={} unpublished", id, participantId, trackId);
        emit(new RoomEvent.TrackUnpublished(id, t), p);
        return true;
    }

    /**
     * Sets a track's muted state and tells everyone, the publisher included (the server's word is the authority).
     *
     * @return the track, or null when the participant has no such track
     */
    public Track setMuted(String participantId, String trackId, boolean muted) {
        Participant p = participants.get(participantId);
        Track t = p == null ? null : p.track(trackId);
        if (t == null) {
            return null;
        }
        if (t.muted() != muted) {
            t.setMuted(muted);
            log.info("room={} participant={} track={} muted={}", id, participantId, trackId, muted);
        }
        emit(new RoomEvent.TrackMuted(id, t, muted), null);
        return t;
    }

    /** Removes everyone (reason {@link LeaveReason#ROOM_CLOSED}) and refuses further joins. */
    public void close() {
        for (String pid : new ArrayList<>(participants.keySet())) {
            leave(pid, LeaveReason.ROOM_CLOSED);
        }
        closed = true;
    }

    private Participant requireParticipant(String participantId) {
        Participant p = participants.get(participantId);
        if (p == null) {
            throw new IllegalStateException("participant " + participantId + " is not in room " + id);
        }
        return p;
    }

    /** Delivers to every participant but {@code origin} (null = everyone), then to observers. */
    private void emit(RoomEvent event, Participant origin) {
        emit(event, null, origin);
    }

    /** Like {@link #emit(RoomEvent, Participant)}; with a {@code hiddenSubject}, to the observers only. */
    private void emit(RoomEvent event, Participant hiddenSubject, Participant origin) {
        for (Participant other : hiddenSubject != null ? List.<Participant>of()
                : new ArrayList<>(participants.values())) {
            if (other != origin) {
                deliver(other.listener(), event);
            }
        }
        for (RoomListener o : observers) {
            deliver(o, event);
        }
    }

    private void deliver(RoomListener listener, RoomEvent event) {
        try {
            listener.onRoomEvent(event);
        } catch (RuntimeException e) {
            // One broken listener must not stop the others from hearing about the room.
            log.warn("room={} listener failed on {}", id, event.getClass().getSimpleName(), e);
        }
    }
}
