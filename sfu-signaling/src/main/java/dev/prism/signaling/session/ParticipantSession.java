package dev.prism.signaling.session;

import dev.prism.conference.ConferenceException;
import dev.prism.conference.ConferenceListener;
import dev.prism.conference.ConferenceParticipant;
import dev.prism.conference.JoinRequest;
import dev.prism.core.clock.Timers;
import dev.prism.core.room.LeaveReason;
import dev.prism.core.room.RoomEvent;
import dev.prism.core.text.ClientText;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.session.SessionLifecycle.Phase;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One participant's signaling session: the binding of its socket ({@link SessionSocket}, one at a time) to its
 * conference participant, and its lifecycle across socket drops, the state machine of {@link SessionLifecycle}:
 * JOINING -> JOINED <-> DETACHED -> CLOSED. A socket that drops without a clean close leaves the participant in the
 * room, media flowing, for the resume window; a new socket presenting the resume token takes over without anyone else
 * noticing (the server re-sends the room state and any subscriber offer still unanswered).
 *
 * <p>What the client asks is {@link SessionProtocol}'s; the subscriber offers are {@link SubscriberOffers}'; the media
 * and the room are the conference's ({@link ConferenceParticipant}). When the conference ends the participant (replaced,
 * removed by an operator, media closed) this session hears it as a {@link ConferenceListener} and closes its socket.
 *
 * <p>Threading: socket callbacks arrive on the socket's thread (a Vert.x event loop) and hop at once onto the room's
 * loop; all state below is touched only there. Socket writes are thread-safe.
 */
public final class ParticipantSession implements ConferenceListener, SessionProtocol.Session {
    private static final Logger log = LoggerFactory.getLogger(ParticipantSession.class);

    private final SfuContext sfu;
    private volatile SessionSocket socket;
    private final AccessToken token;
    private final SessionLifecycle lifecycle;
    private final RejectionLog rejections;
    /** Room id and identity as log lines show them (escaped once: they come from the client's token). */
    private final String logRoom;
    private final String logId;
    private final SubscriberOffers offers;
    private final SessionProtocol protocol;
    private final IceServersRefresh iceServers;
    private volatile ConferenceParticipant participant;
    private CompletableFuture<ConferenceParticipant> joining;
    /**
     * Work for the room loop that arrived before the join settled (socket closed, early messages): run, in order, on
     * the room's loop right after the join completes, or where a failed join completed. Until then no room is touched,
     * so a session never creates a room it does not join nor acts on another loop than its room's. Guarded by itself.
     */
    private final ArrayDeque<Runnable> beforeJoin = new ArrayDeque<>();
    private boolean joinSettled; // guarded by beforeJoin
    private Timers.Handle detachTimer;

    public ParticipantSession(SfuContext sfu, SessionSocket socket, AccessToken token) {
        this.sfu = sfu;
        this.socket = socket;
        this.token = token;
        this.lifecycle = new SessionLifecycle(sfu.media().clock(), sfu.resumeWindow().toNanos(),
                () -> sfu.newResumeToken(token.room()));
        this.logRoom = ClientText.forLog(token.room());
        this.logId = ClientText.forLog(token.identity());
        this.rejections = new RejectionLog(token.room(), token.identity(), sfu.media().clock(), sfu.counters());
        this.offers = new SubscriberOffers(this::send, () -> lifecycle.phase() == Phase.JOINED);
        this.protocol = new SessionProtocol(this, token, sfu, offers);
        this.iceServers = new IceServersRefresh(sfu.iceServers(), token.identity(),
                (task, nanos) -> participant.schedule(() -> onRoomThread(task), nanos, TimeUnit.NANOSECONDS),
                this::send, () -> lifecycle.phase() == Phase.JOINED);
    }

    /** Whether the socket dropped and the session waits for a resume. Any thread (for gauges). */
    boolean isDetached() {
        return lifecycle.phase() == Phase.DETACHED;
    }

    /** Wires the socket and joins the room. Called once on the thread that accepted the socket. */
    public void start() {
        bindSocket(socket);
        String name = ClientText.forDisplay(token.name());
        CompletableFuture<ConferenceParticipant> f = sfu.conference().join(new JoinRequest(token.room(),
                token.identity(), name.isEmpty() ? token.identity() : name, token.canPublish(), token.canSubscribe(),
                token.videoCodec(), token.canData(), token.audioTopN(), GrantPolicy.joinGrants(token)),
                this);
        joining = f;
        // Runs where the join completed: on the room's loop right after onJoined, or where a failure was decided.
        f.whenComplete((p, e) -> {
            if (e != null && !(e instanceof CancellationException)) {
                joinFailed(e instanceof CompletionException c ? c.getCause() : e);
            }
            runQueuedBeforeJoin();
        });
    }

    private void runQueuedBeforeJoin() {
        List<Runnable> queued;
        synchronized (beforeJoin) {
            joinSettled = true;
            queued = new ArrayList<>(beforeJoin);
            beforeJoin.clear();
        }
        queued.forEach(Runnable::run);
    }

    /**
     * A new socket presenting {@code resumeToken} takes this session over (the old socket dropped or is half-open).
     * Called on the thread that accepted it; a wrong or expired token gets {@code resume_failed} and a close (4002),
     * and the client joins afresh.
     */
    public void resume(SessionSocket newSocket, String resumeToken) {
        bindSocket(newSocket);
        onRoomThread(() -> attach(newSocket, resumeToken));
    }

    private void bindSocket(SessionSocket s) {
        SocketFlowGuard guard = new SocketFlowGuard(s, sfu.media().clock(), sfu.messagesPerSecond(),
                sfu.counters(), logRoom, logId);
        s.bind(new SessionSocket.Handler() {
            @Override
            public void onText(String text) {
                if (guard.admit()) {
                    ParticipantSession.this.onText(s, text);
                }
            }

            @Override
            public void onBinary() {
                if (guard.admit()) {
                    sendTo(s, ProtocolJson.error("bad_json", "binary frames are not part of the protocol", null,
                            null));
                }
            }

            @Override
            public void onClosed(Integer closeCode) {
                onRoomThread(() -> onSocketClosed(s, closeCode));
            }

            @Override
            public void onError(Throwable e) {
                log.debug("room={} participant={} socket error: {}", logRoom, logId, e.toString());
            }
        });
    }

    // ---- conference events (room loop) -----------------------------------------------------------------------

    @Override
    public void onJoined(ConferenceParticipant p) {
        participant = p;
        offers.attach(p);
        sfu.putSession(this);
        sfu.registerResume(lifecycle.join(), this);
        send(welcome(false));
    }

    /** Room loop: the conference refused the join ({@code room_full}) or it failed. */
    private void joinFailed(Throwable e) {
        if (lifecycle.phase() == Phase.CLOSED) {
            return;
        }
        ConferenceException c = e instanceof ConferenceException ce ? ce
                : new ConferenceException("internal", "the join failed, try again");
        if (c.code().equals("room_full")) {
            sfu.counters().error("room_full");
            rejections.rejected("room_full", c.logDetail());
            send(ProtocolJson.error("room_full", c.getMessage(), null, null));
            close(LeaveReason.DISCONNECTED);
            socket.close(CloseCodes.ROOM_FULL, "room full");
            return;
        }
        send(ProtocolJson.error(c.code(), c.getMessage(), null, null));
        socket.close();
    }

    @Override
    public void onRoomEvent(RoomEvent event) {
        Phase phase = lifecycle.phase();
        if (phase == Phase.JOINED || phase == Phase.DETACHED) {
            // while detached, messages are lost but the subscriber connection keeps up; resume replays state
            protocol.onRoomEvent(event);
        }
    }

    @Override
    public void onSpeakers(dev.prism.conference.ActiveSpeakers speakers) {
        if (lifecycle.phase() == Phase.JOINED) {
            send(SpeakersMessage.of(speakers));
        }
    }

    @Override
    public void onSubscriberOfferNeeded() {
        offers.changed();
    }

    @Override
    public void onSubscriberRenewed() {
        offers.renewed();
    }

    @Override
    public void onPublisherLayers(String trackId, java.util.List<String> activeRids) {
        send(PublisherLayersMessage.of(trackId, activeRids)); // lost while detached: replayed after a resume
    }

    @Override
    public void onMediaClosed(String code, String message) {
        endedByConference(ProtocolJson.error(code, message, null, null), CloseCodes.MEDIA_CLOSED,
                "media connection closed");
    }

    @Override
    public void onReplaced() {
        endedByConference(ProtocolJson.error("replaced", "the same identity joined from another connection", null,
                null), CloseCodes.REPLACED, "replaced");
    }

    @Override
    public void onRemoved(LeaveReason reason) {
        NodeEnding ending = NodeEnding.of(reason);
        endedByConference(ending.message(), ending.closeCode(), ending.closeReason());
    }

    /** The conference ends the participant (and frees its media itself): tell the client, close the socket. */
    private void endedByConference(JsonObject error, short closeCode, String closeReason) {
        if (lifecycle.phase() == Phase.CLOSED) {
            return;
        }
        send(error);
        closeSession();
        socket.close(closeCode, closeReason);
    }

    // ---- inbound messages ---------------------------------------------------------------------------------------

    private void onText(SessionSocket from, String text) {
        InboundMessage in;
        try {
            in = InboundMessage.decode(text);
        } catch (SignalingError e) {
            reject(from, e.code(), e.getMessage(), null, null);
            return;
        }
        if (in.type() == null) {
            reject(from, "bad_request", InboundMessage.TYPE_REQUIRED, null, in.requestId());
            return;
        }
        onRoomThread(() -> dispatch(from, in.type(), in.body(), in.requestId()));
    }

    private void dispatch(SessionSocket from, String type, JsonObject msg, String requestId) {
        if (from != socket) {
            return; // a socket this session moved away from (resume): its late messages mean nothing
        }
        if (lifecycle.phase() != Phase.JOINED) {
            reject(socket, "out_of_order", "'" + type + "' before the session joined its room", type, requestId);
            return;
        }
        sfu.counters().message(type);
        try {
            protocol.handle(type, msg, requestId);
        } catch (SignalingError e) {
            reject(socket, e.code(), e.getMessage(), type, requestId);
        } catch (RuntimeException e) {
            log.warn("room={} participant={} failed to handle '{}'", logRoom, logId,
                    ClientText.forLog(type), e);
            reject(socket, "internal", "internal error handling '" + type + "'", type, requestId);
        }
    }

    @Override
    public ConferenceParticipant participant() {
        return participant;
    }

    @Override
    public void leave() {
        close(LeaveReason.LEFT);
        socket.close();
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    private JsonObject welcome(boolean resumed) {
        return ProtocolJson.welcome(participant.room(), token.identity(), iceServers.fresh(), lifecycle.resumeToken(),
                TimeUnit.NANOSECONDS.toMillis(lifecycle.windowNanos()), resumed,
                ProtocolJson.subscriptions(participant.subscriptions())).put("grants", GrantPolicy.toJson(token));
    }

    /** The socket this session is on closed: leave, or wait for a resume (see {@link SessionLifecycle}). */
    private void onSocketClosed(SessionSocket closed, Integer code) {
        if (closed != socket) {
            return;
        }
        switch (lifecycle.socketClosed(code)) {
            case LEAVE -> close(LeaveReason.DISCONNECTED);
            case DETACH -> {
                log.info("room={} participant={} signaling from {} dropped (close code {}): kept {} ms for a resume",
                        logRoom, logId, closed.remoteAddress(), code,
                        TimeUnit.NANOSECONDS.toMillis(lifecycle.windowNanos()));
                sfu.counters().detached();
                participant.signalingState(true, lifecycle.resumes());
                scheduleExpiry();
            }
            case IGNORE -> {
            }
        }
    }

    private void scheduleExpiry() {
        detachTimer = participant.schedule(() -> onRoomThread(this::leaveIfExpired),
                lifecycle.remainingNanos() + 1_000_000L, TimeUnit.NANOSECONDS);
    }

    private void leaveIfExpired() {
        if (lifecycle.expired()) {
            log.info("room={} participant={} did not come back within the resume window", logRoom,
                    logId);
            close(LeaveReason.DISCONNECTED);
        } else if (lifecycle.phase() == Phase.DETACHED) {
            scheduleExpiry();
        }
    }

    /** Room loop: the resumed socket takes over (see {@link #resume}). */
    private void attach(SessionSocket newSocket, String presented) {
        long detachedMs = TimeUnit.NANOSECONDS.toMillis(lifecycle.windowNanos() - lifecycle.remainingNanos());
        boolean wasDetached = lifecycle.phase() == Phase.DETACHED;
        String next = lifecycle.resume(presented);
        if (next == null) {
            sfu.counters().error("resume_failed");
            sendTo(newSocket, ProtocolJson.error("resume_failed", "this session cannot be resumed: join again", null,
                    null));
            newSocket.close(CloseCodes.RESUME_FAILED, "resume failed");
            return;
        }
        sfu.unregisterResume(presented, this);
        sfu.registerResume(next, this);
        cancelDetachTimer();
        SessionSocket old = socket;
        socket = newSocket;
        if (old != newSocket && !old.isClosed()) {
            // its close is ignored: no longer our socket
            old.close(CloseCodes.RESUMED_ELSEWHERE, "resumed on another connection");
        }
        participant.signalingState(false, lifecycle.resumes());
        sfu.counters().resumed();
        log.info("room={} participant={} resumed from {}{}", logRoom, logId, newSocket.remoteAddress(),
                wasDetached ? " after " + detachedMs + " ms detached" : " (previous socket still open)");
        send(welcome(true));
        offers.resumed();
    }

    private void cancelDetachTimer() {
        if (detachTimer != null) {
            detachTimer.cancel();
            detachTimer = null;
        }
    }

    /** Leaves the room (the conference frees the media). Idempotent. Room loop only. */
    private void close(LeaveReason reason) {
        if (closeSession() && participant != null) {
            participant.leave(reason);
        }
    }

    /**
     * Ends the signaling side: CLOSED, resume token and detach timer gone, a pending join given up.
     *
     * @return whether the session had joined (it has media to free)
     */
    private boolean closeSession() {
        Phase before = lifecycle.phase();
        if (before == Phase.CLOSED) {
            return false;
        }
        String resumeToken = lifecycle.resumeToken();
        lifecycle.close();
        cancelDetachTimer();
        iceServers.close();
        if (resumeToken != null) {
            sfu.unregisterResume(resumeToken, this);
        }
        if (joining != null) {
            joining.cancel(false);
        }
        sfu.removeSession(this);
        return before != Phase.JOINING;
    }

    // ---- identity and helpers ----------------------------------------------------------------------------------

    /** The room this session joined (or is joining). Any thread. */
    public String roomId() {
        return token.room();
    }

    /** The participant's identity. Any thread. */
    public String participantId() {
        return token.identity();
    }

    /**
     * Runs {@code r} on the joined room's loop; before the join settled, queues it (see {@link #beforeJoin}); after a
     * failed join (no room, the session is over), runs it here.
     */
    private void onRoomThread(Runnable r) {
        ConferenceParticipant p = participant;
        if (p == null) {
            synchronized (beforeJoin) {
                if (!joinSettled) {
                    beforeJoin.add(r);
                    return;
                }
            }
            p = participant;
            if (p == null) {
                r.run();
                return;
            }
        }
        p.executor().execute(r);
    }

    private void reject(SessionSocket to, String code, String message, String requestType, String requestId) {
        sfu.counters().error(code);
        rejections.rejected(code, message);
        sendTo(to, ProtocolJson.error(code, message, requestType, requestId));
    }

    /** Sends on the current socket; dropped while detached (the resume replays what matters). */
    @Override
    public void send(JsonObject msg) {
        sendTo(socket, msg);
    }

    private static void sendTo(SessionSocket to, JsonObject msg) {
        if (to != null && !to.isClosed()) {
            to.send(msg.encode());
        }
    }
}
