package dev.prism.conference;

import dev.prism.core.clock.Timers;
import dev.prism.core.inspect.ConnectionPath;
import dev.prism.core.room.LeaveReason;
import dev.prism.core.room.Room;
import dev.prism.core.room.RoomEvent;
import dev.prism.core.room.RoomListener;
import dev.prism.core.room.TrackSource;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.text.ClientText;
import dev.prism.rtp.alloc.Preferences;
import dev.prism.rtp.router.downlink.Consumer;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.router.uplink.PublisherEndpoint;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.router.downlink.SubscriberEndpoint;
import dev.prism.rtp.transport.WebRtcTransport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One participant of a room as the conference holds it: its publisher and subscriber connections, what it publishes
 * and receives, and the repairs done for it. This handle is what a signaling session (local, or later proxied from
 * another node) holds; it knows nothing about sockets or JSON. Events toward the session go to its
 * {@link ConferenceListener}.
 *
 * <p>Threading: every method that returns a future may be called from any thread; the work runs on the room's loop
 * (at once when the caller is already on it, see {@link #executor()}) and the future completes there. A call refused by
 * the conference fails its future with a {@link ConferenceException}. Methods marked "room loop only" return at once and
 * must be called on {@link #executor()}.
 */
public final class ConferenceParticipant implements RoomListener {
    private static final Logger log = LoggerFactory.getLogger(ConferenceParticipant.class);
    /** Repairs remembered per participant for the admin view. */
    private static final int MAX_REPAIRS = 32;

    private final Conference conference;
    private final Room room;
    private final RoomRouter router;
    private final JoinRequest request;
    private final ConferenceListener listener;
    private final String logRoom;
    private final String logId;
    private final PublisherSide publisher;
    private final SubscriberSide subscriber;
    private final Dynacast dynacast;
    private final ArrayDeque<ParticipantMediaStats.RepairEvent> repairs = new ArrayDeque<>();
    private volatile boolean closed;
    /** Live grants: the token's at first, changed by the server API ({@link #updateGrants}). */
    private volatile boolean canPublish;
    private volatile boolean canSubscribe;
    private volatile boolean canData;
    private volatile boolean signalingDetached;
    private volatile int signalingResumes;
    /** What the client last reported about each connection's selected pair; null until it does. Room loop only. */
    private ConnectionPath publisherPath;
    private ConnectionPath subscriberPath;

    ConferenceParticipant(Conference conference, Room room, RoomRouter router, JoinRequest request,
                          ConferenceListener listener) {
        this.conference = conference;
        this.room = room;
        this.router = router;
        this.request = request;
        this.listener = listener;
        this.logRoom = ClientText.forLog(request.roomId());
        this.logId = ClientText.forLog(request.identity());
        this.canPublish = request.canPublish() && !request.grants().hidden(); // hidden: never a publisher
        this.canSubscribe = request.canSubscribe();
        this.canData = request.canData();
        this.publisher = new PublisherSide(room, router, request.identity());
        this.subscriber = new SubscriberSide(room, router, room.id() + "/" + request.identity() + "/sub",
                conference.codecPlan(), this::onTransportClosed,
                publisherId -> request.grants().qualityCap().and(conference.sendCapOf(room.id(), publisherId)));
        this.dynacast = new Dynacast(conference, room, request.identity(), publisher, listener,
                router.engine().clock(), router.engine().timers());
    }

    /** Any thread. */
    public String roomId() {
        return room.id();
    }

    /** The participant's identity. Any thread. */
    public String id() {
        return request.identity();
    }

    /** The grants of its token beyond publish and subscribe. Any thread. */
    public ParticipantGrants grants() {
        return request.grants();
    }

    /** The room's loop: every state change of this participant happens there. Any thread. */
    public Executor executor() {
        return room.executor();
    }

    /** Whether the participant is still in its room. Any thread. */
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Runs {@code task} after {@code delay} (signaling's resume window) on the media engine's {@link Timers}: on the
     * room's loop in production, when the test advances its fake clock under {@code ManualTimers}. Room loop only (the
     * timers' thread).
     *
     * @return cancel it to stop it
     */
    public Timers.Handle schedule(Runnable task, long delay, TimeUnit unit) {
        return router.engine().timers().schedule(task, delay, unit);
    }

    ConferenceListener listener() {
        return listener;
    }

    SubscriberSide subscriberSide() {
        return subscriber;
    }

    /** The room (sfu-core's authoritative model, for rendering state). Room loop only. */
    public Room room() {
        return room;
    }

    /** The lines of the subscriber connection that carry a track now, in m-line order. Room loop only. */
    public List<SubscriberLine> subscriptions() {
        return subscriber.lines().stream().filter(SubscriberLine::active).toList();
    }

    /** Whether the participant receives {@code trackId}. Room loop only. */
    public boolean receives(String trackId) {
        return subscriber.slot(trackId) != null;
    }

    /** What signaling reports about its own connection, for the admin view ({@code detached}, resumes). Any thread. */
    public void signalingState(boolean detached, int resumes) {
        this.signalingDetached = detached;
        this.signalingResumes = resumes;
        if (!detached) {
            dynacast.replayOnNextTick();
        }
    }

    // ---- requests ---------------------------------------------------------------------------------------------

    /**
     * Answers a publisher offer and publishes what it accepted, atomically on the room's loop: creates the publisher
     * connection on first use, calls {@code negotiation} with Prism's transport (a second time with fresh credentials
     * when the offer restarted ICE), sets the remote parameters, then adds, replaces or removes tracks so that they
     * match the accepted m-lines (others hear of each new track after its producer exists).
     *
     * @param sources the source each mid declares (camera, screen...); undeclared: microphone or camera by kind
     * @return completes with what {@code negotiation} returned last; fails with what it threw, or
     *         {@code not_allowed} without the publish grant
     */
    public <A> CompletableFuture<A> publish(Map<String, TrackSource> sources, PublishNegotiation<A> negotiation) {
        return call(() -> {
            if (!canPublish) {
                throw new ConferenceException("not_allowed", "this token does not grant publishing");
            }
            PublisherLimit.check(room, id());
            A answer = publisher.publish(sources, negotiation, this::onTransportClosed, () -> {
                SubscriberEndpoint s = subscriber.endpoint();
                return s == null ? -1 : s.rttNanos();
            });
            dynacast.published();
            return answer;
        });
    }

    /**
     * The subscriber offer to send now: Prism's transport and every line. Completes with null when there is no
     * subscriber connection (nothing subscribed yet); with no lines when there is nothing to offer. Lines offered as
     * active are not recycled until {@link #applySubscriberAnswer} (the caller sends one offer at a time).
     */
    public CompletableFuture<SubscriberOffer> nextSubscriberOffer() {
        return call(subscriber::takeOffer);
    }

    /**
     * The subscriber's answer to the last offer: the browser's transport (set when its credentials changed) and the
     * lines it accepted (by mid: extension ids, RTX, congestion feedback).
     */
    public CompletableFuture<Void> applySubscriberAnswer(RemoteTransport remote,
                                                         Map<String, MediaDescription> acceptedByMid) {
        return call(() -> {
            subscriber.applyAnswer(remote, acceptedByMid);
            return null;
        });
    }

    /**
     * How much of a received track the participant wants; applied at once by a new allocation round and kept while the
     * track is received. Fails with {@code unknown_track} when it does not receive it.
     */
    public CompletableFuture<TrackPreferences> setTrackPreferences(String trackId, TrackPreferences preferences) {
        return call(() -> {
            SubscriberSlot slot = subscriber.slot(trackId);
            if (slot == null) {
                throw new ConferenceException("unknown_track", "you are not subscribed to track '" + trackId + "'");
            }
            slot.preferences = new Preferences(preferences.maxHeight(), preferences.maxTemporal(),
                    preferences.paused());
            if (slot.consumer != null) {
                slot.consumer.setPreferences(subscriber.capped(slot));
            }
            if (subscriber.endpoint() != null) {
                subscriber.endpoint().reallocate();
            }
            return preferences;
        });
    }

    /** Mutes or unmutes a track this participant publishes; everyone hears. Fails with {@code unknown_track}. */
    public CompletableFuture<Void> setMuted(String trackId, boolean muted) {
        return call(() -> {
            if (room.setMuted(id(), trackId, muted) == null) {
                throw new ConferenceException("unknown_track", "you publish no track '" + trackId + "'");
            }
            return null;
        });
    }

    /**
     * Restarts ICE on the subscriber connection (fresh local credentials, carried by the next offer, which the caller
     * sends). Fails with {@code bad_request} when there is no subscriber connection.
     */
    public CompletableFuture<Void> restartSubscriberIce() {
        return call(() -> {
            if (subscriber.endpoint() == null) {
                throw new ConferenceException("bad_request", "there is no subscriber connection to restart");
            }
            subscriber.endpoint().transport().restartIce();
            log.info("room={} participant={} ICE restart on the subscriber connection", logRoom, logId);
            return null;
        });
    }

    /**
     * The participant expected media on {@code trackId} and got none: finds the broken link, repairs it and records
     * the repair ({@code issue} is display-safe free text, kept for the admin view).
     */
    public CompletableFuture<RepairOutcome> repair(String trackId, String issue) {
        return call(() -> {
            RepairOutcome outcome = MediaRepair.repair(room, id(), canSubscribe, subscriber, trackId,
                    conference.clock());
            if (repairs.size() == MAX_REPAIRS) {
                repairs.removeFirst();
            }
            repairs.addLast(new ParticipantMediaStats.RepairEvent(conference.clock().wallMillis(), trackId, issue,
                    outcome.action()));
            return outcome;
        });
    }

    /**
     * The client's report of one connection's selected candidate pair (what only the browser knows: a TURN relay, the
     * candidate type), kept for the admin view and metrics beside what Prism's transport sees, which stays the
     * authority on the protocol and the address family. Replaces the previous report of that connection.
     */
    public CompletableFuture<Void> reportConnectionPath(ConnectionRole role, ConnectionPath path) {
        return call(() -> {
            if (role == ConnectionRole.PUBLISHER) {
                publisherPath = path;
            } else {
                subscriberPath = path;
            }
            return null;
        });
    }

    /** May publish tracks now. Any thread. */
    public boolean canPublish() {
        return canPublish;
    }

    /** Receives the others' tracks now. Any thread. */
    public boolean canSubscribe() {
        return canSubscribe;
    }

    /** May send in-room data messages now (signaling enforces it). Any thread. */
    public boolean canData() {
        return canData;
    }

    /**
     * Changes the grants live (the server API); null leaves one as it is. Revoking publish unpublishes every track
     * (the others unsubscribe at once) and refuses further offers; revoking subscribe drops every subscription (a new
     * subscriber offer follows); granting subscribe subscribes to what the room has now. The caller tells the client.
     * The token's other grants ({@link #grants()}: hidden, quality cap) and signaling's source grants stay as the token
     * gave them; a hidden participant is never granted publish (the others could not be told whose tracks they get).
     *
     * @return completes with whether the participant was still here
     */
    public CompletableFuture<Boolean> updateGrants(Boolean publish, Boolean subscribe, Boolean data) {
        return call(() -> {
            if (closed) {
                return false;
            }
            if (publish != null && publish != canPublish && !(publish && request.grants().hidden())) {
                canPublish = publish;
                if (!publish) {
                    int n = publisher.unpublishAll();
                    log.info("room={} participant={} publish grant revoked: {} tracks unpublished", logRoom, logId, n);
                }
            }
            if (subscribe != null && subscribe != canSubscribe) {
                canSubscribe = subscribe;
                if (!subscribe) {
                    if (subscriber.unsubscribeAll()) {
                        listener.onSubscriberOfferNeeded();
                    }
                } else {
                    subscribeExisting();
                }
            }
            if (data != null) {
                canData = data;
            }
            room.setGrants(id(), canPublish, canSubscribe);
            return true;
        });
    }

    /** Leaves the room and frees every media resource. Idempotent. */
    public CompletableFuture<Void> leave(LeaveReason reason) {
        return call(() -> {
            close(reason, true);
            return null;
        });
    }

    /** A snapshot of this participant's media health. */
    public CompletableFuture<ParticipantMediaStats> stats() {
        return call(this::mediaStats);
    }

    // ---- room loop --------------------------------------------------------------------------------------------

    @Override
    public void onRoomEvent(RoomEvent event) {
        if (closed) {
            return;
        }
        listener.onRoomEvent(event);
        if (event instanceof RoomEvent.TrackPublished e) {
            if (canSubscribe) {
                subscriber.subscribe(e.track());
                listener.onSubscriberOfferNeeded();
            }
        } else if (event instanceof RoomEvent.TrackUnpublished e) {
            if (subscriber.unsubscribe(e.track().id())) {
                listener.onSubscriberOfferNeeded();
            }
        }
    }

    /** Right after joining: receive every track already in the room. */
    void subscribeExisting() {
        if (!canSubscribe) {
            return;
        }
        for (var other : room.participants()) {
            if (!other.id().equals(id())) {
                for (var t : other.tracks()) {
                    subscriber.subscribe(t);
                }
            }
        }
        listener.onSubscriberOfferNeeded();
    }

    private void onTransportClosed(WebRtcTransport t, String reason) {
        if (closed) {
            return;
        }
        SubscriberEndpoint s = subscriber.endpoint();
        if (s != null && t == s.transport() && t.remoteIceParameters() == null) {
            // Never negotiated (a client that only publishes without saying so): not a media timeout. The participant
            // stays, and gets a fresh connection and offer; at most once per consent timeout.
            log.info("room={} participant={} subscriber connection closed unanswered ({}): offered afresh", logRoom,
                    logId, reason);
            subscriber.renew();
            subscriberPath = null; // a new connection: the client reports its pair again
            listener.onSubscriberRenewed();
            return;
        }
        log.info("room={} participant={} media connection closed: {}", logRoom, logId, reason);
        String code = reason.startsWith("dtls failed") ? "dtls_failed"
                : reason.contains("consent") ? "media_timeout" : "media_closed";
        listener.onMediaClosed(code, "media connection closed: " + reason);
        close(LeaveReason.MEDIA_TIMEOUT, true);
    }

    /** The same identity joined {@code joining}: this one leaves quietly, keeping {@code joining} open. */
    void replaced(Room joining) {
        if (closed) {
            return;
        }
        listener.onReplaced();
        close(LeaveReason.REPLACED, room != joining);
    }

    /**
     * The node ends this participant ({@code removed}, {@code room_closed}, {@code migrated}, {@code server_shutdown}):
     * its owner hears {@link ConferenceListener#onRemoved} first.
     *
     * @return false when the participant had already left
     */
    boolean removeByNode(LeaveReason reason) {
        if (closed) {
            return false;
        }
        log.info("room={} participant={} {}", logRoom, logId, switch (reason) {
            case ROOM_CLOSED -> "disconnected: room closed by an operator";
            case MIGRATED -> "told to join again (migrate)";
            case SERVER_SHUTDOWN -> "disconnected: the node is shutting down";
            default -> "removed by an operator";
        });
        listener.onRemoved(reason);
        close(reason, true);
        return true;
    }

    /** @param releaseRoom whether to drop the room if this was its last participant (not when replaced in it) */
    private void close(LeaveReason reason, boolean releaseRoom) {
        if (closed) {
            return;
        }
        closed = true;
        dynacast.close();
        subscriber.close();
        publisher.close();
        conference.forget(this);
        // Safe even for a reload: the replacing participant joins only after this one has left.
        room.leave(id(), reason);
        if (releaseRoom) {
            conference.releaseIfEmpty(room);
        }
    }

    /** Fault injection (tests, drills): silently stops forwarding {@code trackId} to this participant. */
    boolean dropConsumer(String trackId) {
        SubscriberSlot slot = subscriber.slot(trackId);
        if (slot == null || slot.consumer == null || slot.consumer.isClosed()) {
            return false;
        }
        slot.consumer.close();
        return true;
    }

    ParticipantMediaStats mediaStats() {
        List<Producer> producers = new ArrayList<>(publisher.published().size());
        List<String> trackIds = new ArrayList<>(publisher.published().size());
        for (PublisherSide.PublishedTrack pt : publisher.published().values()) {
            producers.add(pt.producer());
            trackIds.add(pt.track().id());
        }
        return MediaStatsCollector.collect(id(), signalingDetached, trackIds, producers, subscriber.slots(),
                publisher.endpoint(), subscriber.endpoint(), new ArrayList<>(repairs), signalingResumes);
    }

    /** The slot on which this participant receives {@code trackId}, or null. Room loop only. */
    SubscriberSlot receivedSlot(String trackId) {
        return subscriber.slot(trackId);
    }

    List<Consumer> consumers() {
        return subscriber.consumers();
    }

    /** The subscriber's lines, live or not, without a copy; the caller must not change them. Room loop only. */
    List<SubscriberSlot> subscriberSlots() {
        return subscriber.slots();
    }

    /** The published tracks by mid, without a copy; the caller must not change them. Room loop only. */
    java.util.Collection<PublisherSide.PublishedTrack> publishedTracks() {
        return publisher.published().values();
    }

    WebRtcTransport publisherTransport() {
        PublisherEndpoint p = publisher.endpoint();
        return p == null ? null : p.transport();
    }

    WebRtcTransport subscriberTransport() {
        SubscriberEndpoint s = subscriber.endpoint();
        return s == null ? null : s.transport();
    }

    /** The client's last report about {@code role}'s connection, or null. Room loop only. */
    ConnectionPath connectionPath(ConnectionRole role) {
        return role == ConnectionRole.PUBLISHER ? publisherPath : subscriberPath;
    }

    SubscriberEndpoint subscriberEndpoint() {
        return subscriber.endpoint();
    }

    private <T> CompletableFuture<T> call(java.util.concurrent.Callable<T> task) {
        return RoomLoop.call(room, task);
    }
}
