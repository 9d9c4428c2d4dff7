package dev.prism.signaling.session;

import dev.prism.conference.ConferenceParticipant;
import dev.prism.conference.RemoteTransport;
import dev.prism.conference.RepairOutcome;
import dev.prism.conference.TrackPreferences;
import dev.prism.core.room.RoomEvent;
import dev.prism.core.room.TrackSource;
import dev.prism.core.rtp.VideoCodec;
import dev.prism.core.text.ClientText;
import dev.prism.core.text.RepeatingLog;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.sdp.NegotiationException;
import dev.prism.signaling.sdp.PublishNegotiation;
import dev.prism.signaling.sdp.PublishNegotiator;
import dev.prism.signaling.sdp.SdpParseException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol of one session (docs/PROTOCOL.md): turns the client's requests into conference calls and the
 * conference's results and room events into messages. Requests are handled only while the session is joined on its
 * current socket ({@link ParticipantSession} checks that and counts them).
 *
 * <p>Room loop only: the conference answers calls made there at once, so each handler runs straight through and its
 * messages keep their order.
 */
final class SessionProtocol {
    private static final Logger log = LoggerFactory.getLogger(SessionProtocol.class);

    /** What the protocol needs of its session. */
    interface Session {
        ConferenceParticipant participant();

        void send(JsonObject msg);

        /** Leaves the room and closes the socket cleanly (the client said {@code leave}). */
        void leave();
    }

    private final Session session;
    private final AccessToken token;
    private final SfuContext sfu;
    private final SubscriberOffers offers;
    private final String logRoom;
    private final String logId;
    private final RepeatingLog repairLog;
    private final DataSender data;

    SessionProtocol(Session session, AccessToken token, SfuContext sfu, SubscriberOffers offers) {
        this.session = session;
        this.token = token;
        this.sfu = sfu;
        this.offers = offers;
        this.logRoom = ClientText.forLog(token.room());
        this.logId = ClientText.forLog(token.identity());
        this.repairLog = new RepeatingLog(sfu.media().clock(), 1_000);
        this.data = new DataSender(session::participant, session::send, sfu);
    }

    /** One request of a joined session. */
    void handle(String type, JsonObject msg, String requestId) throws SignalingError {
        switch (type) {
            case "publishOffer" -> onPublishOffer(msg, requestId);
            case "subscriberAnswer" -> offers.onAnswer(msg);
            case "mute" -> onMute(msg);
            case "getState" -> send(ProtocolJson.state(participant().room(), participant().subscriptions())
                    .put("requestId", requestId));
            case "iceRestart" -> onIceRestart(requestId);
            case "repairTrack" -> onRepairTrack(msg, requestId);
            case "trackPreferences" -> onTrackPreferences(msg, requestId);
            case "connectionInfo" -> onConnectionInfo(msg);
            case "leave" -> session.leave();
            case "sendData" -> data.onSendData(msg, requestId);
            case "ping" -> send(new JsonObject().put("type", "pong").put("requestId", requestId));
            default -> throw new SignalingError("unknown_type", "unknown message type '"
                    + ClientText.forLog(type) + "'");
        }
    }

    /** What happened in the room, told to the client (the conference already adjusted the subscriptions). */
    void onRoomEvent(RoomEvent event) {
        if (event instanceof RoomEvent.ParticipantJoined e) {
            send(new JsonObject().put("type", "participantJoined")
                    .put("participant", ProtocolJson.participant(e.participant())));
        } else if (event instanceof RoomEvent.ParticipantLeft e) {
            send(new JsonObject().put("type", "participantLeft")
                    .put("participantId", e.participantId()).put("reason", e.reason().wireName()));
        } else if (event instanceof RoomEvent.TrackPublished e) {
            send(new JsonObject().put("type", "trackPublished").put("track", ProtocolJson.track(e.track())));
        } else if (event instanceof RoomEvent.TrackUnpublished e) {
            send(new JsonObject().put("type", "trackUnpublished").put("trackId", e.track().id())
                    .put("participantId", e.track().participantId()));
        } else if (event instanceof RoomEvent.TrackMuted e) {
            send(new JsonObject().put("type", "trackMuted")
                    .put("trackId", e.track().id()).put("participantId", e.track().participantId())
                    .put("muted", e.muted()));
        }
    }

    private void onPublishOffer(JsonObject msg, String requestId) throws SignalingError {
        GrantPolicy.checkMayPublish(token); // first: a hidden participant's live publish grant is always false
        if (!participant().canPublish()) { // the token's grant, or as the server API changed it since
            throw new SignalingError("not_allowed", "this token does not grant publishing");
        }
        String sdp = InboundMessage.requiredString(msg, "sdp");
        SdpLimits.check(sdp, "offer");
        Map<String, TrackSource> sources = PublishSources.parse(msg);
        // Negotiation runs inside the conference's publish step, on the room's loop (again after an ICE restart).
        String answerSdp = OnLoop.now(participant().publish(sources, local -> {
            PublishNegotiation n = negotiatePublish(sdp, local, participant().room().videoCodec());
            if (n.accepted().size() > SessionLimits.MAX_PUBLISHED_TRACKS) {
                throw new SignalingError("too_many_tracks", "the offer sends " + n.accepted().size()
                        + " tracks; the limit is " + SessionLimits.MAX_PUBLISHED_TRACKS);
            }
            PublishSources.checkKinds(sources, n.accepted());
            GrantPolicy.checkSources(token, sources, n.accepted());
            return new dev.prism.conference.PublishNegotiation.Negotiated<>(n.answerSdp(),
                    new RemoteTransport(n.remoteIce(), n.remoteFingerprint(), n.remoteSetup()), n.accepted());
        }));
        List<PublishRefusals.Refused> refused = PublishRefusals.of(sdp, answerSdp);
        refused.forEach(r -> sfu.counters().trackRefused(r.reason()));
        send(new JsonObject().put("type", "publishAnswer").put("sdp", answerSdp)
                .put("refused", PublishRefusals.toJson(refused)).put("requestId", requestId));
    }

    private static PublishNegotiation negotiatePublish(String sdp, dev.prism.conference.LocalTransport local,
                                                      VideoCodec video) throws SignalingError {
        try {
            return PublishNegotiator.answer(sdp, SubscriberOffers.localInfo(local), video);
        } catch (SdpParseException e) {
            throw new SignalingError("bad_sdp", "cannot parse the offer: " + e.getMessage());
        } catch (NegotiationException e) {
            throw new SignalingError(e.code(), e.getMessage());
        }
    }

    /**
     * The subscriber says how much of a track it wants: {@code maxHeight} (pixels, 0 or absent for no limit: the
     * rendered size of a small tile), {@code maxTemporal} (0..3, absent for all) and {@code paused} (a hidden tile).
     * Applied at the next allocation round, which runs at once; kept for the track while it is subscribed.
     */
    private void onTrackPreferences(JsonObject msg, String requestId) throws SignalingError {
        String trackId = InboundMessage.requiredString(msg, "trackId");
        if (!participant().receives(trackId)) {
            throw new SignalingError("unknown_track", "you are not subscribed to track '" + trackId + "'");
        }
        int maxHeight = InboundMessage.optionalInt(msg, "maxHeight", 0, 0, 100_000);
        int maxTemporal = InboundMessage.optionalInt(msg, "maxTemporal", TrackPreferences.DEFAULT_MAX_TEMPORAL, 0, 3);
        Object paused = msg.getValue("paused");
        if (paused != null && !(paused instanceof Boolean)) {
            throw new SignalingError("bad_request", "field 'paused' must be a boolean");
        }
        TrackPreferences p = OnLoop.now(participant().setTrackPreferences(trackId,
                new TrackPreferences(maxHeight, maxTemporal, Boolean.TRUE.equals(paused))));
        send(new JsonObject().put("type", "trackPreferencesAck").put("trackId", trackId)
                .put("maxHeight", maxHeight).put("maxTemporal", maxTemporal)
                .put("paused", p.paused()).put("requestId", requestId));
    }

    private void onMute(JsonObject msg) throws SignalingError {
        String trackId = InboundMessage.requiredString(msg, "trackId");
        if (!(msg.getValue("muted") instanceof Boolean muted)) {
            throw new SignalingError("bad_request", "field 'muted' (boolean) is required");
        }
        OnLoop.now(participant().setMuted(trackId, muted));
    }

    /**
     * The client asks for an ICE restart of its subscriber connection (its network changed): fresh local credentials,
     * carried to it by the next subscriber offer. The publisher connection restarts from the client's own offer.
     */
    private void onIceRestart(String requestId) throws SignalingError {
        OnLoop.now(participant().restartSubscriberIce());
        send(new JsonObject().put("type", "iceRestartAck").put("requestId", requestId));
        offers.changed();
    }

    /**
     * The client expected media on {@code trackId} and got none for a while. The conference finds out which link is
     * broken and repairs it; answers {@code repairResult} with the action (counted, and logged once per interval).
     */
    private void onRepairTrack(JsonObject msg, String requestId) throws SignalingError {
        String trackId = InboundMessage.requiredString(msg, "trackId");
        // Free text kept for the admin view: bounded and display-safe.
        String issue = msg.getValue("issue") instanceof String i && !i.isBlank()
                ? ClientText.forDisplay(i.length() > 64 ? i.substring(0, 64) : i) : "no_media";
        RepairOutcome outcome = OnLoop.now(participant().repair(trackId, issue));
        switch (outcome.followUp()) {
            case SEND_STATE -> send(ProtocolJson.state(participant().room(), participant().subscriptions()));
            case RESEND_OFFER -> offers.resendOrOffer();
            case OFFER -> offers.changed();
            case NONE -> {
            }
        }
        String action = outcome.action();
        sfu.counters().repair(action);
        long skipped = repairLog.admit(); // a client asking in a loop writes one line per interval
        if (skipped >= 0) {
            log.info("room={} participant={} repair track={} issue={} action={} ({} more not logged)", logRoom, logId,
                    ClientText.forLog(trackId), ClientText.forLog(issue), action, skipped);
        }
        send(new JsonObject().put("type", "repairResult").put("trackId", trackId).put("issue", issue)
                .put("action", action).put("requestId", requestId));
    }

    /**
     * The client's report of a connection's selected candidate pair (a TURN relay, the candidate type: what only it
     * knows). Kept by the conference for the admin view and metrics; no answer. The SDK sends one when a connection
     * comes up and when its pair changes; the socket's rate limit bounds a client that sends more.
     */
    private void onConnectionInfo(JsonObject msg) throws SignalingError {
        ConnectionInfoMessage info = ConnectionInfoMessage.parse(msg);
        OnLoop.value(participant().reportConnectionPath(info.role(), info.path()));
    }

    private ConferenceParticipant participant() {
        return session.participant();
    }

    private void send(JsonObject msg) {
        session.send(msg);
    }
}
