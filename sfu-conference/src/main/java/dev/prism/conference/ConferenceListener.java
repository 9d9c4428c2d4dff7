package dev.prism.conference;

import dev.prism.core.room.LeaveReason;
import dev.prism.core.room.RoomEvent;

/**
 * What the conference tells the owner of one participant (a signaling session, local or proxied). Every method is
 * called on the room's loop, must return at once and must not block (an asynchronous socket write is fine). Nothing here
 * knows about sockets or JSON.
 *
 * <p>When the conference ends a participant ({@link #onReplaced}, {@link #onRemoved}, {@link #onMediaClosed}) it
 * calls the listener first, then frees the media and takes the participant out of the room itself; the listener only
 * tells its client and closes its own connection. Calling {@link ConferenceParticipant#leave} there is harmless.
 */
public interface ConferenceListener {
    /**
     * The participant is in the room; called once, before any room event and before the participant subscribes to
     * the tracks already there (so a welcome sent here comes first).
     */
    void onJoined(ConferenceParticipant participant);

    /** Something happened in the room (others joined, left, published, unpublished, muted). */
    void onRoomEvent(RoomEvent event);

    /**
     * The tracks this participant receives changed (a subscription came or went): its subscriber connection needs a
     * new offer ({@link ConferenceParticipant#nextSubscriberOffer}). Called once per batch of changes.
     */
    void onSubscriberOfferNeeded();

    /**
     * The subscriber connection closed before any answer reached it and was replaced by a fresh one with the same
     * subscriptions: any offer still outstanding is void; offer afresh.
     */
    void onSubscriberRenewed();

    /**
     * A media connection closed for good (consent expired, DTLS failed): the participant is about to leave
     * ({@link LeaveReason#MEDIA_TIMEOUT}).
     *
     * @param code    {@code media_timeout}, {@code dtls_failed} or {@code media_closed}
     * @param message for the client, e.g. {@code media connection closed: consent expired}
     */
    void onMediaClosed(String code, String message);

    /** The same identity joined the room from another session: this one is about to leave ({@code replaced}). */
    void onReplaced();

    /**
     * The node ends the participant for a reason of its own: an operator removed it ({@link LeaveReason#REMOVED}) or
     * closed its room ({@link LeaveReason#ROOM_CLOSED}); its room is moving and it must join again at once
     * ({@link LeaveReason#MIGRATED}: tell the client {@code migrate}); the node is shutting down
     * ({@link LeaveReason#SERVER_SHUTDOWN}: tell the client {@code shutdown}, it must not come back at once). It is
     * about to leave with that reason. An owner that does not know a reason treats it as {@code REMOVED}.
     */
    void onRemoved(LeaveReason reason);

    /**
     * Dynacast: of a simulcast video track this participant publishes, the layers its subscribers need changed; the
     * client should send only {@code activeRids} (lowest first; the lowest is always there) and stop encoding the
     * others. Sent on change only, at most every half second per track, and again after the owner's signaling resumed.
     */
    default void onPublisherLayers(String trackId, java.util.List<String> activeRids) {
    }

    /**
     * Who speaks in the room changed ({@link RoomSpeakers}): at most one call per ~300 ms, only on a change, and once
     * after joining when someone speaks. The default ignores it (an owner that cannot tell its client).
     */
    default void onSpeakers(ActiveSpeakers speakers) {
    }
}
