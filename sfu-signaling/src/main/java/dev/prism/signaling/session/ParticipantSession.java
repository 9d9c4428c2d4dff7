package dev.prism.signaling.session;

import dev.prism.core.room.LeaveReason;
import dev.prism.core.room.Participant;
import dev.prism.core.room.Room;
import dev.prism.core.room.RoomEvent;
import dev.prism.core.room.RoomListener;
import dev.prism.core.room.Track;
import dev.prism.core.room.TrackSource;
import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.IceParameters;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtcpFeedback;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.core.text.ClientText;
import dev.prism.rtp.alloc.Preferences;
import dev.prism.rtp.alloc.Priority;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.router.downlink.Consumer;
import dev.prism.rtp.router.downlink.SubscriberEndpoint;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.router.uplink.PublisherEndpoint;
import dev.prism.rtp.transport.WebRtcTransport;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.sdp.LocalTransportInfo;
import dev.prism.signaling.sdp.NegotiationException;
import dev.prism.signaling.sdp.PublishNegotiation;
import dev.prism.signaling.sdp.PublishNegotiator;
import dev.prism.signaling.sdp.SdpParseException;
import dev.prism.signaling.sdp.SubscriberAnswer;
import dev.prism.signaling.sdp.SubscriberAnswerReader;
import dev.prism.signaling.sdp.SubscriberOfferWriter;
import dev.prism.signaling.sdp.SubscriberTrackLine;
import dev.prism.signaling.session.SessionLifecycle.Phase;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One participant's signaling session: one WebSocket at a time, one publisher connection the client offers, one
 * subscriber connection the server offers. Its lifecycle is the state machine of {@link SessionLifecycle}: JOINING ->
 * JOINED <-> DETACHED -> CLOSED. A WebSocket that drops without a clean close leaves the participant in the room,
 * media flowing, for the resume window; a new socket presenting the resume token takes over without anyone else
 * noticing (the server re-sends the room state and any subscriber offer still unanswered).
 *
 * <p>It also repairs media on request (the client reports expected media missing: keyframe, new consumer, re-offer or
 * ICE restart, each recorded) and restarts ICE on either connection.
 *
 * <p>Threading: WebSocket callbacks arrive on a Vert.x event loop and hop at once onto the room's executor (the media
 * loop); all state below is touched only there. WebSocket writes are thread-safe in Vert.x.
 */
public final class ParticipantSession implements RoomListener {
    private static final Logger log = LoggerFactory.getLogger(ParticipantSession.class);
    /** Repairs remembered per participant for the admin view. */
    private static final int MAX_REPAIRS = 32;
    /** A consumer or producer without a packet for this long is not flowing. */
    private static final long FLOWING_NANOS = 2_000_000_000L;

    private final SfuContext sfu;
    private volatile ServerWebSocket ws;
    private final AccessToken token;
    private final SessionLifecycle lifecycle;
    private Room room;
    private RoomRouter router;
    private io.netty.util.concurrent.ScheduledFuture<?> detachTimer;
    private final ArrayDeque<ParticipantMediaStats.RepairEvent> repairs = new ArrayDeque<>();
    private final RejectionLog rejections;
    /** Room id and identity as log lines show them (escaped once: they come from the client's token). */
    private final String logRoom;
    private final String logId;
    private final RepairThrottle repairThrottle;
    private final dev.prism.core.text.RepeatingLog repairLog;

    private PublisherEndpoint publisher;
    private final Map<String, PublishedTrack> publishedByMid = new LinkedHashMap<>();

    private SubscriberEndpoint subscriber;
    private final List<SubscriberSlot> slots = new ArrayList<>();
    private final Map<String, SubscriberSlot> slotByTrack = new HashMap<>();
    private int offerVersion;
    private boolean offerOutstanding;
    private boolean offerDirty;
    private List<SubscriberTrackLine> offeredLines = List.of();
    /** The subscriberOffer message still unanswered, re-sent on resume (the client may never have seen it). */
    private JsonObject outstandingOffer;

    private record PublishedTrack(Track track, Producer producer, List<RtpEncoding> encodings) {
    }

    public ParticipantSession(SfuContext sfu, ServerWebSocket ws, AccessToken token) {
        this.sfu = sfu;
        this.ws = ws;
        this.token = token;
        this.lifecycle = new SessionLifecycle(sfu.media().clock(), sfu.resumeWindow().toNanos(), sfu::newResumeToken);
        this.logRoom = ClientText.forLog(token.room());
        this.logId = ClientText.forLog(token.identity());
        this.rejections = new RejectionLog(token.room(), token.identity(), sfu.media().clock(), sfu.counters());
        this.repairThrottle = new RepairThrottle(sfu.media().clock());
        this.repairLog = new dev.prism.core.text.RepeatingLog(sfu.media().clock(), 1_000);
    }

    /** Whether the socket dropped and the session waits for a resume. Any thread (for gauges). */
    boolean isDetached() {
        return lifecycle.phase() == Phase.DETACHED;
    }

    /** Wires the socket and joins the room. Called once on the Vert.x thread that accepted the socket. */
    public void start() {
        bindSocket(ws);
        joinRoom(0);
    }

    /**
     * A new socket presenting {@code resumeToken} takes this session over (the old socket dropped or is half-open).
     * Called on the Vert.x thread that accepted it; a wrong or expired token gets {@code resume_failed} and a close
     * (4002), and the client joins afresh.
     */
    public void resume(ServerWebSocket socket, String resumeToken) {
        bindSocket(socket);
        onRoomThread(() -> attach(socket, resumeToken));
    }

    private void bindSocket(ServerWebSocket socket) {
        SocketFlowGuard guard = new SocketFlowGuard(socket, sfu.media().clock(), sfu.messagesPerSecond(),
                sfu.counters(), logRoom, logId);
        socket.textMessageHandler(text -> {
            if (guard.admit()) {
                onText(socket, text);
            }
        });
        socket.binaryMessageHandler(b -> {
            if (guard.admit()) {
                sendTo(socket, ProtocolJson.error("bad_json", "binary frames are not part of the protocol", null,
                        null));
            }
        });
        socket.closeHandler(v -> onRoomThread(() -> onSocketClosed(socket)));
        socket.exceptionHandler(e -> log.debug("room={} participant={} socket error: {}", logRoom, logId,
                e.toString()));
    }

    private void joinRoom(int attempt) {
        Room r = sfu.rooms().getOrCreate(token.room());
        r.executor().execute(() -> {
            if (lifecycle.phase() == Phase.CLOSED) {
                return;
            }
            if (r.isClosed()) {
                if (attempt < 3) {
                    joinRoom(attempt + 1); // the room was emptied and dropped in between: take the new one
                } else {
                    fail("internal", "room is closing, try again");
                }
                return;
            }
            try {
                joinOpenRoom(r);
            } catch (RuntimeException e) {
                log.warn("room={} participant={} join failed", logRoom, logId, e);
                fail("internal", "the join failed, try again");
                sfu.releaseIfEmpty(r);
            }
        });
    }

    /** Room executor, {@code r} open: replaces a previous session of the same identity, then joins. */
    private void joinOpenRoom(Room r) {
        if (!RoomCapacity.admits(r, token.identity(), sfu.maxParticipantsPerRoom())) {
            sfu.counters().error("room_full");
            rejections.rejected("room_full", "room holds " + r.participants().size() + " participants");
            send(ProtocolJson.error("room_full", "the room is full (" + sfu.maxParticipantsPerRoom()
                    + " participants)", null, null));
            close(LeaveReason.DISCONNECTED);
            ws.close(RoomCapacity.CLOSE_CODE, "room full");
            return;
        }
        room = r;
        router = sfu.router(r);
        ParticipantSession previous = sfu.session(r.id(), token.identity());
        if (previous != null && previous != this) {
            previous.replacedBy(r); // keeps r open even when previous was alone in it
        }
        if (r.participant(token.identity()) != null) {
            r.leave(token.identity(), LeaveReason.REPLACED);
        }
        String name = ClientText.forDisplay(token.name());
        r.join(token.identity(), name.isEmpty() ? token.identity() : name, token.canPublish(), token.canSubscribe(),
                this);
        sfu.putSession(r.id(), token.identity(), this);
        sfu.registerResume(lifecycle.join(), this);
        send(welcome(false));
        if (token.canSubscribe()) {
            for (Participant other : r.participants()) {
                if (!other.id().equals(token.identity())) {
                    for (Track t : other.tracks()) {
                        subscribe(t);
                    }
                }
            }
            offerIfNeeded();
        }
    }

    // ---- inbound messages ---------------------------------------------------------------------------------------

    private void onText(ServerWebSocket socket, String text) {
        InboundMessage in;
        try {
            in = InboundMessage.decode(text);
        } catch (SignalingError e) {
            reject(socket, e.code(), e.getMessage(), null, null);
            return;
        }
        if (in.type() == null) {
            reject(socket, "bad_request", InboundMessage.TYPE_REQUIRED, null, in.requestId());
            return;
        }
        onRoomThread(() -> dispatch(socket, in.type(), in.body(), in.requestId()));
    }

    private void dispatch(ServerWebSocket socket, String type, JsonObject msg, String requestId) {
        if (socket != ws) {
            return; // a socket this session moved away from (resume): its late messages mean nothing
        }
        if (lifecycle.phase() != Phase.JOINED) {
            reject("out_of_order", "'" + type + "' before the session joined its room", type, requestId);
            return;
        }
        sfu.counters().message(type);
        try {
            switch (type) {
                case "publishOffer" -> onPublishOffer(msg, requestId);
                case "subscriberAnswer" -> onSubscriberAnswer(msg);
                case "mute" -> onMute(msg);
                case "getState" -> send(new JsonObject().put("type", "state").put("room", ProtocolJson.room(room))
                        .put("subscriptions", subscriptionsJson()).put("requestId", requestId));
                case "iceRestart" -> onIceRestart(requestId);
                case "repairTrack" -> onRepairTrack(msg, requestId);
                case "trackPreferences" -> onTrackPreferences(msg, requestId);
                case "leave" -> {
                    close(LeaveReason.LEFT);
                    socket.close();
                }
                case "ping" -> send(new JsonObject().put("type", "pong").put("requestId", requestId));
                default -> throw new SignalingError("unknown_type", "unknown message type '"
                        + ClientText.forLog(type) + "'");
            }
        } catch (SignalingError e) {
            reject(e.code(), e.getMessage(), type, requestId);
        } catch (RuntimeException e) {
            log.warn("room={} participant={} failed to handle '{}'", logRoom, logId,
                    ClientText.forLog(type), e);
            reject("internal", "internal error handling '" + type + "'", type, requestId);
        }
    }

    private void onPublishOffer(JsonObject msg, String requestId) throws SignalingError {
        if (!token.canPublish()) {
            throw new SignalingError("not_allowed", "this token does not grant publishing");
        }
        String sdp = InboundMessage.requiredString(msg, "sdp");
        SdpLimits.check(sdp, "offer");
        Map<String, TrackSource> sources = new HashMap<>();
        JsonArray declared = msg.getValue("tracks") instanceof JsonArray a ? a : new JsonArray();
        for (Object o : declared) {
            if (o instanceof JsonObject d && d.getValue("mid") != null) {
                sources.put(String.valueOf(d.getValue("mid")), TrackSource.fromWire(d.getString("source", null)));
            }
        }
        if (publisher == null) {
            publisher = new PublisherEndpoint(router.engine().counters(), router.rtcp(), this::onTransportClosed);
            publisher.setFallbackRtt(() -> subscriber == null ? -1 : subscriber.rttNanos());
            publisher.bind(router.engine().createTransport(room.id() + "/" + token.identity() + "/pub", publisher));
        }
        WebRtcTransport t = publisher.transport();
        PublishNegotiation n = negotiatePublish(sdp, t);
        if (n.accepted().size() > SessionLimits.MAX_PUBLISHED_TRACKS) {
            throw new SignalingError("too_many_tracks", "the offer sends " + n.accepted().size()
                    + " tracks; the limit is " + SessionLimits.MAX_PUBLISHED_TRACKS);
        }
        IceParameters previousRemote = t.remoteIceParameters();
        if (previousRemote != null && !previousRemote.ufrag().equals(n.remoteIce().ufrag())) {
            // The browser restarted ICE (network change): the answer must carry fresh credentials too.
            t.restartIce();
            n = negotiatePublish(sdp, t);
            log.info("room={} participant={} ICE restart on the publisher connection", logRoom, logId);
        }
        t.setRemoteParameters(n.remoteIce(), n.remoteFingerprint(), n.remoteSetup());
        List<PublishRefusals.Refused> refused = PublishRefusals.of(sdp, n.answerSdp());
        refused.forEach(r -> sfu.counters().trackRefused(r.reason()));
        send(new JsonObject().put("type", "publishAnswer").put("sdp", n.answerSdp())
                .put("refused", PublishRefusals.toJson(refused)).put("requestId", requestId));

        Set<String> seen = new HashSet<>();
        for (MediaDescription d : n.accepted()) {
            seen.add(d.mid());
            long ssrc = 0;
            long rtx = 0;
            for (RtpEncoding e : d.encodings()) {
                if (e.ssrc() != 0) {
                    ssrc = e.ssrc();
                    rtx = e.rtxSsrc();
                    break;
                }
            }
            PublishedTrack existing = publishedByMid.get(d.mid());
            if (existing != null && existing.encodings().equals(d.encodings())) {
                continue; // the same streams as before: a renegotiation for another track
            }
            if (existing != null) {
                unpublish(d.mid());
            }
            if (ssrc == 0) {
                // Simulcast by rid, or a stream named only by its mid: SSRCs are learned from the first packets.
                log.info("room={} participant={} mid={} {}: SSRCs learned from the packets", logRoom,
                        logId, ClientText.forLog(d.mid()), d.encodings().size() > 1 ? "simulcast " + d.encodings().stream()
                                .map(RtpEncoding::rid).toList() : "announces no SSRC");
            }
            TrackSource source = sources.getOrDefault(d.mid(),
                    d.kind() == MediaKind.AUDIO ? TrackSource.MICROPHONE : TrackSource.CAMERA);
            long streamSsrc = ssrc;
            long rtxSsrc = rtx;
            // The producer must exist before the others hear of the track: they subscribe to it at once.
            room.publish(token.identity(), d.kind(), source, d.mid(), track -> {
                Producer p = router.addProducer(track.id(), token.identity(), d, streamSsrc, rtxSsrc, publisher);
                publishedByMid.put(d.mid(), new PublishedTrack(track, p, d.encodings()));
            });
        }
        for (String mid : new ArrayList<>(publishedByMid.keySet())) {
            if (!seen.contains(mid)) {
                unpublish(mid);
            }
        }
    }

    private PublishNegotiation negotiatePublish(String sdp, WebRtcTransport t) throws SignalingError {
        try {
            return PublishNegotiator.answer(sdp, localInfo(t));
        } catch (SdpParseException e) {
            throw new SignalingError("bad_sdp", "cannot parse the offer: " + e.getMessage());
        } catch (NegotiationException e) {
            throw new SignalingError(e.code(), e.getMessage());
        }
    }

    private void unpublish(String mid) {
        PublishedTrack pt = publishedByMid.remove(mid);
        if (pt != null) {
            publisher.removeProducer(pt.producer());
            room.unpublish(token.identity(), pt.track().id());
            router.removeProducer(pt.track().id());
        }
    }

    private void onSubscriberAnswer(JsonObject msg) throws SignalingError {
        String sdp = InboundMessage.requiredString(msg, "sdp");
        Integer version = msg.getValue("version") instanceof Number v ? v.intValue() : null;
        SdpLimits.check(sdp, "answer");
        if (!offerOutstanding) {
            throw new SignalingError("out_of_order", "no subscriber offer is outstanding");
        }
        if (version == null || version != offerVersion) {
            throw new SignalingError("out_of_order", "answer for version " + version + " but the outstanding offer is "
                    + offerVersion);
        }
        SubscriberAnswer answer;
        try {
            answer = SubscriberAnswerReader.read(sdp, offeredLines);
        } catch (SdpParseException e) {
            throw new SignalingError("bad_sdp", "cannot parse the answer: " + e.getMessage());
        } catch (NegotiationException e) {
            throw new SignalingError(e.code(), e.getMessage());
        }
        offerOutstanding = false;
        outstandingOffer = null;
        IceParameters currentRemote = subscriber.transport().remoteIceParameters();
        if (currentRemote == null || !currentRemote.ufrag().equals(answer.remoteIce().ufrag())) {
            // First answer, or the answer to an ICE restart offer: the browser's credentials changed.
            subscriber.transport().setRemoteParameters(answer.remoteIce(), answer.remoteFingerprint(),
                    answer.remoteSetup());
        }
        for (SubscriberSlot s : slots) {
            MediaDescription d = answer.acceptedByMid().get(s.mid);
            if (d != null && s.active()) {
                long rtx = d.encodings().isEmpty() ? 0 : d.encodings().get(0).rtxSsrc();
                s.rtxAccepted = rtx != 0;
                s.answered = true;
                s.extensions = d.extensions();
                configure(s);
            }
        }
        configureDownlinkFeedback(answer);
        if (offerDirty) {
            offerIfNeeded();
        }
    }

    /**
     * The congestion feedback the subscriber's answer kept: transport-cc (the transport-wide sequence number extension
     * and the rtcp-fb) makes Prism number every packet and estimate the downlink itself; REMB alone makes the
     * subscriber's REMB the estimate.
     */
    private void configureDownlinkFeedback(SubscriberAnswer answer) {
        int tccId = 0;
        boolean tccFeedback = false;
        boolean remb = false;
        for (MediaDescription d : answer.acceptedByMid().values()) {
            int id = d.extensionId(HeaderExtension.TRANSPORT_CC);
            if (id > 0) {
                tccId = id;
            }
            if (d.primaryCodec() != null) {
                tccFeedback |= d.primaryCodec().feedback().contains(new RtcpFeedback("transport-cc", ""));
                remb |= d.primaryCodec().feedback().contains(new RtcpFeedback("goog-remb", ""));
            }
        }
        subscriber.configureFeedback(tccId, tccFeedback, remb);
    }

    /**
     * The subscriber says how much of a track it wants: {@code maxHeight} (pixels, 0 or absent for no limit: the
     * rendered size of a small tile), {@code maxTemporal} (0..3, absent for all) and {@code paused} (a hidden tile).
     * Applied at the next allocation round, which runs at once; kept for the track while it is subscribed.
     */
    private void onTrackPreferences(JsonObject msg, String requestId) throws SignalingError {
        String trackId = InboundMessage.requiredString(msg, "trackId");
        SubscriberSlot slot = slotByTrack.get(trackId);
        if (slot == null) {
            throw new SignalingError("unknown_track", "you are not subscribed to track '" + trackId + "'");
        }
        int maxHeight = InboundMessage.optionalInt(msg, "maxHeight", 0, 0, 100_000);
        int maxTemporal = InboundMessage.optionalInt(msg, "maxTemporal", Preferences.DEFAULT.maxTemporal(), 0, 3);
        Object paused = msg.getValue("paused");
        if (paused != null && !(paused instanceof Boolean)) {
            throw new SignalingError("bad_request", "field 'paused' must be a boolean");
        }
        slot.preferences = new Preferences(maxHeight, maxTemporal, Boolean.TRUE.equals(paused));
        if (slot.consumer != null) {
            slot.consumer.setPreferences(slot.preferences);
        }
        if (subscriber != null) {
            subscriber.reallocate();
        }
        send(new JsonObject().put("type", "trackPreferencesAck").put("trackId", trackId)
                .put("maxHeight", maxHeight).put("maxTemporal", maxTemporal)
                .put("paused", slot.preferences.paused()).put("requestId", requestId));
    }

    private void onMute(JsonObject msg) throws SignalingError {
        String trackId = InboundMessage.requiredString(msg, "trackId");
        if (!(msg.getValue("muted") instanceof Boolean muted)) {
            throw new SignalingError("bad_request", "field 'muted' (boolean) is required");
        }
        if (room.setMuted(token.identity(), trackId, muted) == null) {
            throw new SignalingError("unknown_track", "you publish no track '" + trackId + "'");
        }
    }

    // ---- room events ------------------------------------------------------------------------------------------

    @Override
    public void onRoomEvent(RoomEvent event) {
        Phase phase = lifecycle.phase();
        if (phase != Phase.JOINED && phase != Phase.DETACHED) {
            return; // while detached, messages are lost but the subscriber connection keeps up; resume replays state
        }
        if (event instanceof RoomEvent.ParticipantJoined e) {
            send(new JsonObject().put("type", "participantJoined")
                    .put("participant", ProtocolJson.participant(e.participant())));
        } else if (event instanceof RoomEvent.ParticipantLeft e) {
            send(new JsonObject().put("type", "participantLeft")
                    .put("participantId", e.participantId()).put("reason", e.reason().wireName()));
        } else if (event instanceof RoomEvent.TrackPublished e) {
            send(new JsonObject().put("type", "trackPublished").put("track", ProtocolJson.track(e.track())));
            if (token.canSubscribe()) {
                subscribe(e.track());
                offerIfNeeded();
            }
        } else if (event instanceof RoomEvent.TrackUnpublished e) {
            send(new JsonObject().put("type", "trackUnpublished").put("trackId", e.track().id())
                    .put("participantId", e.track().participantId()));
            if (unsubscribe(e.track().id())) {
                offerIfNeeded();
            }
        } else if (event instanceof RoomEvent.TrackMuted e) {
            send(new JsonObject().put("type", "trackMuted")
                    .put("trackId", e.track().id()).put("participantId", e.track().participantId())
                    .put("muted", e.muted()));
        }
    }

    // ---- subscriber connection --------------------------------------------------------------------------------

    private void subscribe(Track track) {
        if (slotByTrack.containsKey(track.id())) {
            return;
        }
        if (subscriber == null) {
            subscriber = new SubscriberEndpoint(this::onTransportClosed, router.engine().counters(), router.rtcp());
            subscriber.bind(router.engine().createTransport(room.id() + "/" + token.identity() + "/sub", subscriber));
        }
        SubscriberSlot slot = null;
        for (SubscriberSlot s : slots) {
            if (!s.active() && s.kind == track.kind() && !offeredAsActive(s.mid)) {
                slot = s;
                break;
            }
        }
        if (slot == null) {
            slot = new SubscriberSlot(String.valueOf(slots.size()), track.kind());
            slots.add(slot);
        }
        slot.trackId = track.id();
        slot.publisherId = track.participantId();
        slot.ssrc = newSsrc();
        slot.rtxSsrc = track.kind() == MediaKind.AUDIO ? 0 : newSsrc();
        slot.consumer = newConsumer(slot);
        slotByTrack.put(track.id(), slot);
        offerDirty = true;
    }

    /** A consumer for the slot's track with the SSRC offered for it; null when the track is no longer produced. */
    private Consumer newConsumer(SubscriberSlot slot) {
        boolean audio = slot.kind == MediaKind.AUDIO;
        List<HeaderExtension> offered = audio
                ? List.of(new HeaderExtension(SubscriberOfferWriter.EXT_AUDIO_LEVEL_ID, HeaderExtension.AUDIO_LEVEL))
                : List.of(new HeaderExtension(SubscriberOfferWriter.EXT_ABS_SEND_TIME_ID, HeaderExtension.ABS_SEND_TIME));
        Consumer c = router.subscribe(slot.trackId, subscriber, slot.ssrc,
                audio ? SubscriberOfferWriter.OPUS_PT : SubscriberOfferWriter.VP8_PT, offered);
        slot.consumer = c;
        configure(slot);
        if (c != null) {
            Track track = findTrack(slot.trackId);
            c.setPriority(track != null && track.source() == TrackSource.SCREEN ? Priority.SCREEN_SHARE
                    : Priority.NORMAL);
            if (slot.preferences != null) {
                c.setPreferences(slot.preferences);
            }
        }
        return c;
    }

    /** Applies what the subscriber's answer settled for the slot (extension ids, RTX) to its consumer. */
    private void configure(SubscriberSlot slot) {
        Consumer c = slot.consumer;
        if (c == null) {
            return;
        }
        if (slot.extensions != null) {
            c.setExtensions(slot.extensions);
        }
        c.setRtx(slot.rtxAccepted ? slot.rtxSsrc : 0, SubscriberOfferWriter.VP8_RTX_PT);
    }

    /** A slot that the outstanding offer still shows as active must not be reused before that offer is answered. */
    private boolean offeredAsActive(String mid) {
        for (SubscriberTrackLine l : offeredLines) {
            if (l.mid().equals(mid)) {
                return l.active() && offerOutstanding;
            }
        }
        return false;
    }

    private boolean unsubscribe(String trackId) {
        SubscriberSlot slot = slotByTrack.remove(trackId);
        if (slot == null) {
            return false;
        }
        if (slot.consumer != null) {
            subscriber.removeConsumer(slot.consumer);
        }
        slot.clear();
        offerDirty = true;
        return true;
    }

    private void offerIfNeeded() {
        if (!offerDirty || subscriber == null || lifecycle.phase() != Phase.JOINED) {
            return; // while detached the offer waits for the resume
        }
        if (offerOutstanding) {
            return; // sent once the outstanding offer is answered
        }
        if (slots.isEmpty()) {
            offerDirty = false;
            return;
        }
        List<SubscriberTrackLine> lines = new ArrayList<>(slots.size());
        JsonArray tracks = new JsonArray();
        for (SubscriberSlot s : slots) {
            lines.add(new SubscriberTrackLine(s.mid, s.kind, s.active(), s.ssrc, s.active() ? s.rtxSsrc : 0,
                    s.active() ? s.publisherId : "-", s.active() ? s.trackId : "-"));
            if (s.active()) {
                tracks.add(new JsonObject().put("mid", s.mid).put("trackId", s.trackId)
                        .put("participantId", s.publisherId).put("kind", s.kind.sdpName()));
            }
        }
        offerVersion++;
        offeredLines = lines;
        offerOutstanding = true;
        offerDirty = false;
        String sdp = SubscriberOfferWriter.offer(lines, localInfo(subscriber.transport()), offerVersion);
        outstandingOffer = new JsonObject().put("type", "subscriberOffer").put("version", offerVersion).put("sdp", sdp)
                .put("tracks", tracks);
        send(outstandingOffer);
    }

    private long newSsrc() {
        while (true) {
            long ssrc = ThreadLocalRandom.current().nextLong(1, 0x1_0000_0000L);
            boolean taken = false;
            for (SubscriberSlot s : slots) {
                taken |= s.ssrc == ssrc || s.rtxSsrc == ssrc;
            }
            if (!taken) {
                return ssrc;
            }
        }
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    private JsonObject welcome(boolean resumed) {
        return ProtocolJson.welcome(room, token.identity(), lifecycle.resumeToken(),
                TimeUnit.NANOSECONDS.toMillis(lifecycle.windowNanos()), resumed, subscriptionsJson());
    }

    private Track findTrack(String trackId) {
        return ProtocolJson.findTrack(room, trackId);
    }

    private JsonArray subscriptionsJson() {
        return ProtocolJson.subscriptions(room, slots);
    }

    /** The socket this session is on closed: leave, or wait for a resume (see {@link SessionLifecycle}). */
    private void onSocketClosed(ServerWebSocket socket) {
        if (socket != ws) {
            return;
        }
        Short code = socket.closeStatusCode();
        switch (lifecycle.socketClosed(code == null ? null : code.intValue())) {
            case LEAVE -> close(LeaveReason.DISCONNECTED);
            case DETACH -> {
                log.info("room={} participant={} signaling dropped (close code {}): kept {} ms for a resume",
                        logRoom, logId, code, TimeUnit.NANOSECONDS.toMillis(lifecycle.windowNanos()));
                sfu.counters().detached();
                detachTimer = router.engine().eventLoop().schedule(() -> onRoomThread(this::leaveIfExpired),
                        lifecycle.remainingNanos() + 1_000_000L, TimeUnit.NANOSECONDS);
            }
            case IGNORE -> {
            }
        }
    }

    private void leaveIfExpired() {
        if (lifecycle.expired()) {
            log.info("room={} participant={} did not come back within the resume window", logRoom,
                    logId);
            close(LeaveReason.DISCONNECTED);
        } else if (lifecycle.phase() == Phase.DETACHED) {
            detachTimer = router.engine().eventLoop().schedule(() -> onRoomThread(this::leaveIfExpired),
                    lifecycle.remainingNanos() + 1_000_000L, TimeUnit.NANOSECONDS);
        }
    }

    /** Room executor: the resumed socket takes over (see {@link #resume}). */
    private void attach(ServerWebSocket socket, String presented) {
        long detachedMs = TimeUnit.NANOSECONDS.toMillis(lifecycle.windowNanos() - lifecycle.remainingNanos());
        boolean wasDetached = lifecycle.phase() == Phase.DETACHED;
        String next = lifecycle.resume(presented);
        if (next == null) {
            sfu.counters().error("resume_failed");
            sendTo(socket, ProtocolJson.error("resume_failed", "this session cannot be resumed: join again", null,
                    null));
            socket.close((short) 4002, "resume failed");
            return;
        }
        sfu.unregisterResume(presented, this);
        sfu.registerResume(next, this);
        cancelDetachTimer();
        ServerWebSocket old = ws;
        ws = socket;
        if (old != socket && !old.isClosed()) {
            old.close((short) 4003, "resumed on another connection"); // its close is ignored: no longer our socket
        }
        sfu.counters().resumed();
        log.info("room={} participant={} resumed{}", logRoom, logId,
                wasDetached ? " after " + detachedMs + " ms detached" : " (previous socket still open)");
        send(welcome(true));
        if (outstandingOffer != null) {
            send(outstandingOffer); // unanswered: the client may never have seen it, or its answer was lost
        } else {
            offerIfNeeded();
        }
    }

    private void cancelDetachTimer() {
        if (detachTimer != null) {
            detachTimer.cancel(false);
            detachTimer = null;
        }
    }

    private void onTransportClosed(WebRtcTransport t, String reason) {
        Phase phase = lifecycle.phase();
        if (phase != Phase.JOINED && phase != Phase.DETACHED) {
            return;
        }
        if (subscriber != null && t == subscriber.transport() && t.remoteIceParameters() == null) {
            renewUnansweredSubscriber(reason);
            return; // never negotiated: not a media timeout
        }
        log.info("room={} participant={} media connection closed: {}", logRoom, logId, reason);
        String code = reason.startsWith("dtls failed") ? "dtls_failed"
                : reason.contains("consent") ? "media_timeout" : "media_closed";
        send(ProtocolJson.error(code, "media connection closed: " + reason, null, null));
        close(LeaveReason.MEDIA_TIMEOUT);
        ws.close((short) 4000, "media connection closed");
    }

    /**
     * The subscriber connection closed before any answer reached it (the client never answered an offer, e.g. a
     * client that only publishes without saying so): the participant stays, and gets a fresh connection and offer.
     * Only a connection that was negotiated counts for {@code media_timeout}. At most once per consent timeout.
     */
    private void renewUnansweredSubscriber(String reason) {
        log.info("room={} participant={} subscriber connection closed unanswered ({}): offered afresh", logRoom,
                logId, reason);
        List<String> trackIds = new ArrayList<>(slotByTrack.keySet());
        subscriber.closeAll();
        subscriber = null;
        slots.clear();
        slotByTrack.clear();
        offerOutstanding = false;
        outstandingOffer = null;
        offeredLines = List.of();
        repairThrottle.reset();
        for (String id : trackIds) {
            Track track = findTrack(id);
            if (track != null) {
                subscribe(track);
            }
        }
        offerIfNeeded();
    }

    /**
     * Another socket joined {@code joining} with the same identity (a reload, a rejoin after a drop): this one leaves
     * quietly, and leaves {@code joining} open for the newcomer even when this session was alone in it.
     */
    private void replacedBy(Room joining) {
        if (lifecycle.phase() == Phase.CLOSED) {
            return;
        }
        send(ProtocolJson.error("replaced", "the same identity joined from another connection", null, null));
        close(LeaveReason.REPLACED, room != joining);
        ws.close((short) 4001, "replaced");
    }

    /** Leaves the room and frees every media resource. Idempotent. Room executor only. */
    private void close(LeaveReason reason) {
        close(reason, true);
    }

    /** @param releaseRoom whether to drop the room if this was its last participant (not when replaced in it) */
    private void close(LeaveReason reason, boolean releaseRoom) {
        Phase before = lifecycle.phase();
        if (before == Phase.CLOSED) {
            return;
        }
        String resumeToken = lifecycle.resumeToken();
        lifecycle.close();
        cancelDetachTimer();
        if (resumeToken != null) {
            sfu.unregisterResume(resumeToken, this);
        }
        if (before == Phase.JOINING) {
            return;
        }
        if (subscriber != null) {
            subscriber.closeAll();
            subscriber.transport().close("participant left");
        }
        for (PublishedTrack pt : publishedByMid.values()) {
            router.removeProducer(pt.track().id());
        }
        publishedByMid.clear();
        if (publisher != null) {
            publisher.close();
            publisher.transport().close("participant left");
        }
        sfu.removeSession(logRoom, logId, this);
        // Safe even for a reload: the replacing session joins only after this one has left.
        room.leave(token.identity(), reason);
        if (releaseRoom) {
            sfu.releaseIfEmpty(room);
        }
    }

    // ---- operator view and actions (admin) ----------------------------------------------------------------------

    /** The room this session joined (or is joining). Any thread. */
    public String roomId() {
        return token.room();
    }

    /** The participant's identity. Any thread. */
    public String participantId() {
        return token.identity();
    }

    /** The publisher connection's transport, or null before the first {@code publishOffer}. Room executor only. */
    public WebRtcTransport publisherTransport() {
        return publisher == null ? null : publisher.transport();
    }

    /** The subscriber connection's transport, or null before anything was subscribed. Room executor only. */
    public WebRtcTransport subscriberTransport() {
        return subscriber == null ? null : subscriber.transport();
    }

    /** The consumers feeding this participant's subscriber connection, one per subscribed track. Room executor only. */
    public List<Consumer> consumers() {
        List<Consumer> out = new ArrayList<>(slots.size());
        for (SubscriberSlot s : slots) {
            if (s.consumer != null && !s.consumer.isClosed()) {
                out.add(s.consumer);
            }
        }
        return out;
    }

    // ---- ICE restart and media repair ------------------------------------------------------------------------

    /**
     * The client asks for an ICE restart of its subscriber connection (its network changed): fresh local credentials,
     * carried to it by the next subscriber offer. The publisher connection restarts from the client's own offer.
     */
    private void onIceRestart(String requestId) throws SignalingError {
        if (subscriber == null) {
            throw new SignalingError("bad_request", "there is no subscriber connection to restart");
        }
        subscriber.transport().restartIce();
        log.info("room={} participant={} ICE restart on the subscriber connection", logRoom, logId);
        send(new JsonObject().put("type", "iceRestartAck").put("requestId", requestId));
        offerDirty = true;
        offerIfNeeded();
    }

    /**
     * The client expected media on {@code trackId} and got none for a while. Finds out which link is broken and repairs
     * it; answers {@code repairResult} with the action and records the event.
     */
    private void onRepairTrack(JsonObject msg, String requestId) throws SignalingError {
        String trackId = InboundMessage.requiredString(msg, "trackId");
        // Free text kept for the admin view: bounded and display-safe.
        String issue = msg.getValue("issue") instanceof String i && !i.isBlank()
                ? ClientText.forDisplay(i.length() > 64 ? i.substring(0, 64) : i) : "no_media";
        String action = repair(trackId);
        ParticipantMediaStats.RepairEvent event = new ParticipantMediaStats.RepairEvent(sfu.media().clock()
                .wallMillis(), trackId, issue, action);
        if (repairs.size() == MAX_REPAIRS) {
            repairs.removeFirst();
        }
        repairs.addLast(event);
        sfu.counters().repair(action);
        long skipped = repairLog.admit(); // a client asking in a loop writes one line per interval
        if (skipped >= 0) {
            log.info("room={} participant={} repair track={} issue={} action={} ({} more not logged)", logRoom, logId,
                    ClientText.forLog(trackId), ClientText.forLog(issue), action, skipped);
        }
        send(new JsonObject().put("type", "repairResult").put("trackId", trackId).put("issue", issue)
                .put("action", action).put("requestId", requestId));
    }

    private String repair(String trackId) {
        Track track = findTrack(trackId);
        SubscriberSlot slot = slotByTrack.get(trackId);
        if (track == null) {
            // The client believes in a track that is gone: its view is stale.
            send(new JsonObject().put("type", "state").put("room", ProtocolJson.room(room))
                    .put("subscriptions", subscriptionsJson()));
            return "state";
        }
        if (slot == null) {
            if (!token.canSubscribe() || track.participantId().equals(token.identity())) {
                return "none";
            }
            subscribe(track);
            offerIfNeeded();
            return "resubscribed";
        }
        if (track.muted()) {
            return "muted"; // nothing is expected
        }
        if (!slot.answered) {
            // The client has not answered an offer carrying it yet: send the outstanding one again in case it was lost
            // (the client answers a repeated version with its stored answer).
            if (!repairThrottle.admit()) {
                return "coalesced";
            }
            if (outstandingOffer != null) {
                send(outstandingOffer);
            } else {
                offerDirty = true;
                offerIfNeeded();
            }
            return "pending_offer";
        }
        if (subscriber != null && isHandshaking(subscriber.transport().state())) {
            return "connecting"; // ICE checks or DTLS under way: a restart now would only start them over
        }
        if (subscriber == null || !subscriber.transport().isConnected()) {
            if (subscriber == null) {
                offerDirty = true;
                offerIfNeeded();
                return "pending_offer";
            }
            if (!repairThrottle.admit()) {
                return "coalesced"; // one ICE restart covers every track of the connection
            }
            subscriber.transport().restartIce();
            offerDirty = true;
            offerIfNeeded();
            return "ice_restart";
        }
        Consumer c = slot.consumer;
        if (c == null || c.isClosed()) {
            // The consumer was lost: forward again, continuing the subscriber's stream where it stopped.
            if (c != null && c.reopen()) {
                return "resubscribed";
            }
            if (c != null) {
                subscriber.removeConsumer(c);
            }
            Consumer fresh = newConsumer(slot);
            if (fresh == null) {
                return "publisher_stalled";
            }
            if (c != null) {
                fresh.continueFrom(c);
            }
            return "resubscribed";
        }
        long now = sfu.media().clock().nanos();
        Producer p = c.producer();
        if (p.isClosed() || now - p.lastPacketNanos() > FLOWING_NANOS) {
            p.requestKeyframe();
            return "publisher_stalled"; // nothing arrives from the publisher: not this subscriber's problem
        }
        if (now - c.lastForwardNanos() <= FLOWING_NANOS && !c.waitingForKeyframe()) {
            // Prism sends, the client does not see it: set its subscriber connection up again.
            c.restart();
            if (!repairThrottle.admit()) {
                return "coalesced";
            }
            offerDirty = true;
            offerIfNeeded();
            return "reoffer";
        }
        c.restart();
        return "keyframe";
    }

    private static boolean isHandshaking(WebRtcTransport.State state) {
        return state == WebRtcTransport.State.CHECKING || state == WebRtcTransport.State.CONNECTING;
    }

    /**
     * An operator removes this participant ({@link LeaveReason#REMOVED}) or closes its room
     * ({@link LeaveReason#ROOM_CLOSED}): the client is told why ({@code removed} / {@code room_closed} error), its media
     * stops, everyone else sees it leave, and the socket closes (4004 / 4005). Room executor only.
     *
     * @return false when the session had already left
     */
    public boolean removeByOperator(LeaveReason reason) {
        Phase phase = lifecycle.phase();
        if (phase != Phase.JOINED && phase != Phase.DETACHED) {
            return false;
        }
        boolean roomClosed = reason == LeaveReason.ROOM_CLOSED;
        log.info("room={} participant={} {} by an operator", logRoom, logId,
                roomClosed ? "disconnected: room closed" : "removed");
        send(ProtocolJson.error(roomClosed ? "room_closed" : "removed",
                roomClosed ? "an operator closed the room" : "an operator removed you from the room", null, null));
        close(reason);
        ws.close((short) (roomClosed ? 4005 : 4004), roomClosed ? "room closed" : "removed");
        return true;
    }

    /**
     * Fault injection for tests and drills: silently stops forwarding {@code trackId} to this participant, as a lost
     * consumer would, without telling anyone. Room executor only.
     *
     * @return whether there was a consumer to stop
     */
    boolean dropConsumerForTesting(String trackId) {
        SubscriberSlot slot = slotByTrack.get(trackId);
        if (slot == null || slot.consumer == null || slot.consumer.isClosed()) {
            return false;
        }
        slot.consumer.close();
        return true;
    }

    /** A snapshot of this participant's media health. Room executor only. */
    public ParticipantMediaStats mediaStats() {
        List<Producer> producers = new ArrayList<>(publishedByMid.size());
        List<String> trackIds = new ArrayList<>(publishedByMid.size());
        for (PublishedTrack pt : publishedByMid.values()) {
            producers.add(pt.producer());
            trackIds.add(pt.track().id());
        }
        return MediaStatsCollector.collect(token.identity(), lifecycle.phase() == Phase.DETACHED, trackIds, producers,
                slots, publisher, subscriber, new ArrayList<>(repairs), lifecycle.resumes());
    }

    /** The downlink of this participant's subscriber connection, null before it subscribed. Room executor only. */
    public SubscriberEndpoint subscriberEndpoint() {
        return subscriber;
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private LocalTransportInfo localInfo(WebRtcTransport t) {
        return new LocalTransportInfo(t.localIceParameters(), t.localFingerprint(), t.localCandidates());
    }

    private void onRoomThread(Runnable r) {
        Room current = room;
        if (current != null) {
            current.executor().execute(r);
        } else {
            sfu.rooms().getOrCreate(token.room()).executor().execute(r);
        }
    }

    private void reject(String code, String message, String requestType, String requestId) {
        reject(ws, code, message, requestType, requestId);
    }

    private void reject(ServerWebSocket socket, String code, String message, String requestType, String requestId) {
        sfu.counters().error(code);
        rejections.rejected(code, message);
        sendTo(socket, ProtocolJson.error(code, message, requestType, requestId));
    }

    private void fail(String code, String message) {
        send(ProtocolJson.error(code, message, null, null));
        ws.close();
    }

    /** Sends on the current socket; dropped while detached (the resume replays what matters). */
    private void send(JsonObject msg) {
        sendTo(ws, msg);
    }

    private static void sendTo(ServerWebSocket socket, JsonObject msg) {
        if (socket != null && !socket.isClosed()) {
            socket.writeTextMessage(msg.encode());
        }
    }
}
