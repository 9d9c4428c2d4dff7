package dev.prism.signaling.session;

import dev.prism.core.room.LeaveReason;
import dev.prism.core.room.Participant;
import dev.prism.core.room.Room;
import dev.prism.core.room.RoomEvent;
import dev.prism.core.room.RoomListener;
import dev.prism.core.room.Track;
import dev.prism.core.room.TrackSource;
import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.rtp.router.Consumer;
import dev.prism.rtp.router.Producer;
import dev.prism.rtp.router.PublisherEndpoint;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.router.SubscriberEndpoint;
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
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One participant's signaling session: one WebSocket, one publisher connection the client offers, one subscriber
 * connection the server offers. An explicit state machine: JOINING -> JOINED -> CLOSED.
 *
 * <p>Threading: WebSocket callbacks arrive on a Vert.x event loop and hop at once onto the room's executor (the media
 * loop); all state below is touched only there. WebSocket writes are thread-safe in Vert.x.
 */
public final class ParticipantSession implements RoomListener {
    private static final Logger log = LoggerFactory.getLogger(ParticipantSession.class);

    enum State { JOINING, JOINED, CLOSED }

    private final SfuContext sfu;
    private final ServerWebSocket ws;
    private final AccessToken token;
    private Room room;
    private RoomRouter router;
    private State state = State.JOINING;

    private PublisherEndpoint publisher;
    private final Map<String, PublishedTrack> publishedByMid = new LinkedHashMap<>();

    private SubscriberEndpoint subscriber;
    private final List<SubscriberSlot> slots = new ArrayList<>();
    private final Map<String, SubscriberSlot> slotByTrack = new HashMap<>();
    private int offerVersion;
    private boolean offerOutstanding;
    private boolean offerDirty;
    private List<SubscriberTrackLine> offeredLines = List.of();
    private boolean subscriberRemoteSet;

    private record PublishedTrack(Track track, Producer producer, long ssrc) {
    }

    public ParticipantSession(SfuContext sfu, ServerWebSocket ws, AccessToken token) {
        this.sfu = sfu;
        this.ws = ws;
        this.token = token;
    }

    /** Wires the socket and joins the room. Called once on the Vert.x thread that accepted the socket. */
    public void start() {
        ws.textMessageHandler(text -> onText(text));
        ws.binaryMessageHandler(b -> send(ProtocolJson.error("bad_json", "binary frames are not part of the protocol",
                null, null)));
        ws.closeHandler(v -> onRoomThread(() -> close(LeaveReason.DISCONNECTED)));
        ws.exceptionHandler(e -> log.debug("room={} participant={} socket error: {}", token.room(), token.identity(),
                e.toString()));
        joinRoom(0);
    }

    private void joinRoom(int attempt) {
        Room r = sfu.rooms().getOrCreate(token.room());
        r.executor().execute(() -> {
            if (state == State.CLOSED) {
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
            room = r;
            router = sfu.router(r);
            ParticipantSession previous = sfu.session(r.id(), token.identity());
            if (previous != null && previous != this) {
                previous.replacedBy();
            }
            if (r.participant(token.identity()) != null) {
                r.leave(token.identity(), LeaveReason.REPLACED);
            }
            Participant me = r.join(token.identity(), token.name(), token.canPublish(), token.canSubscribe(), this);
            sfu.putSession(r.id(), me.id(), this);
            state = State.JOINED;
            send(new JsonObject().put("type", "welcome")
                    .put("participant", ProtocolJson.participant(me))
                    .put("room", ProtocolJson.room(r))
                    .put("iceServers", new JsonArray()));
            if (token.canSubscribe()) {
                for (Participant other : r.participants()) {
                    if (other != me) {
                        for (Track t : other.tracks()) {
                            subscribe(t);
                        }
                    }
                }
                offerIfNeeded();
            }
        });
    }

    // ---- inbound messages ---------------------------------------------------------------------------------------

    private void onText(String text) {
        JsonObject msg;
        try {
            Object parsed = io.vertx.core.json.Json.decodeValue(text);
            if (!(parsed instanceof JsonObject o)) {
                reject("bad_json", "a message must be a JSON object", null, null);
                return;
            }
            msg = o;
        } catch (DecodeException e) {
            reject("bad_json", "malformed JSON: " + firstLine(e.getMessage()), null, null);
            return;
        }
        Object type = msg.getValue("type");
        Object rid = msg.getValue("requestId");
        String requestId = rid == null ? null : String.valueOf(rid);
        if (!(type instanceof String t)) {
            reject("bad_request", "field 'type' (string) is required", null, requestId);
            return;
        }
        onRoomThread(() -> dispatch(t, msg, requestId));
    }

    private void dispatch(String type, JsonObject msg, String requestId) {
        if (state != State.JOINED) {
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
                        .put("requestId", requestId));
                case "leave" -> {
                    close(LeaveReason.LEFT);
                    ws.close();
                }
                case "ping" -> send(new JsonObject().put("type", "pong").put("requestId", requestId));
                default -> throw new SignalingError("unknown_type", "unknown message type '" + type + "'");
            }
        } catch (SignalingError e) {
            reject(e.code(), e.getMessage(), type, requestId);
        } catch (RuntimeException e) {
            log.warn("room={} participant={} failed to handle '{}'", room.id(), token.identity(), type, e);
            reject("internal", "internal error handling '" + type + "'", type, requestId);
        }
    }

    private void onPublishOffer(JsonObject msg, String requestId) throws SignalingError {
        if (!token.canPublish()) {
            throw new SignalingError("not_allowed", "this token does not grant publishing");
        }
        String sdp = requiredString(msg, "sdp");
        Map<String, TrackSource> sources = new HashMap<>();
        JsonArray declared = msg.getValue("tracks") instanceof JsonArray a ? a : new JsonArray();
        for (Object o : declared) {
            if (o instanceof JsonObject d && d.getValue("mid") != null) {
                sources.put(String.valueOf(d.getValue("mid")), TrackSource.fromWire(d.getString("source", null)));
            }
        }
        if (publisher == null) {
            publisher = new PublisherEndpoint(sfu.media().counters(), router.rtcp(), this::onTransportClosed);
            publisher.setFallbackRtt(() -> subscriber == null ? -1 : subscriber.rttNanos());
            publisher.bind(sfu.media().createTransport(room.id() + "/" + token.identity() + "/pub", publisher));
        }
        WebRtcTransport t = publisher.transport();
        PublishNegotiation n;
        try {
            n = PublishNegotiator.answer(sdp, localInfo(t));
        } catch (SdpParseException e) {
            throw new SignalingError("bad_sdp", "cannot parse the offer: " + e.getMessage());
        } catch (NegotiationException e) {
            throw new SignalingError(e.code(), e.getMessage());
        }
        t.setRemoteParameters(n.remoteIce(), n.remoteFingerprint(), n.remoteSetup());
        send(new JsonObject().put("type", "publishAnswer").put("sdp", n.answerSdp()).put("requestId", requestId));

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
            if (existing != null && existing.ssrc() == ssrc) {
                continue;
            }
            if (existing != null) {
                unpublish(d.mid());
            }
            if (ssrc == 0) {
                log.info("room={} participant={} mid={} has no SSRC (rid-only simulcast): not forwarded yet",
                        room.id(), token.identity(), d.mid());
                continue;
            }
            TrackSource source = sources.getOrDefault(d.mid(),
                    d.kind() == MediaKind.AUDIO ? TrackSource.MICROPHONE : TrackSource.CAMERA);
            long streamSsrc = ssrc;
            long rtxSsrc = rtx;
            // The producer must exist before the others hear of the track: they subscribe to it at once.
            room.publish(token.identity(), d.kind(), source, d.mid(), track -> {
                Producer p = router.addProducer(track.id(), token.identity(), d, streamSsrc, rtxSsrc, publisher);
                publishedByMid.put(d.mid(), new PublishedTrack(track, p, streamSsrc));
            });
        }
        for (String mid : new ArrayList<>(publishedByMid.keySet())) {
            if (!seen.contains(mid)) {
                unpublish(mid);
            }
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
        String sdp = requiredString(msg, "sdp");
        Integer version = msg.getValue("version") instanceof Number v ? v.intValue() : null;
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
        if (!subscriberRemoteSet) {
            subscriber.transport().setRemoteParameters(answer.remoteIce(), answer.remoteFingerprint(),
                    answer.remoteSetup());
            subscriberRemoteSet = true;
        }
        for (SubscriberSlot s : slots) {
            MediaDescription d = answer.acceptedByMid().get(s.mid);
            if (s.consumer != null && d != null) {
                s.consumer.setExtensions(d.extensions());
                long rtx = d.encodings().isEmpty() ? 0 : d.encodings().get(0).rtxSsrc();
                s.consumer.setRtx(rtx, rtx != 0 ? SubscriberOfferWriter.VP8_RTX_PT : -1);
            }
        }
        if (offerDirty) {
            offerIfNeeded();
        }
    }

    private void onMute(JsonObject msg) throws SignalingError {
        String trackId = requiredString(msg, "trackId");
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
        if (state != State.JOINED) {
            return;
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
            subscriber = new SubscriberEndpoint(this::onTransportClosed, sfu.media().counters(), router.rtcp());
            subscriber.bind(sfu.media().createTransport(room.id() + "/" + token.identity() + "/sub", subscriber));
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
        boolean audio = track.kind() == MediaKind.AUDIO;
        slot.rtxSsrc = audio ? 0 : newSsrc();
        slot.consumer = router.subscribe(track.id(), subscriber, slot.ssrc,
                audio ? SubscriberOfferWriter.OPUS_PT : SubscriberOfferWriter.VP8_PT,
                audio ? List.of(new HeaderExtension(SubscriberOfferWriter.EXT_AUDIO_LEVEL_ID, HeaderExtension.AUDIO_LEVEL))
                        : List.of(new HeaderExtension(SubscriberOfferWriter.EXT_ABS_SEND_TIME_ID,
                        HeaderExtension.ABS_SEND_TIME)));
        slotByTrack.put(track.id(), slot);
        offerDirty = true;
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
        if (!offerDirty || subscriber == null || state != State.JOINED) {
            return;
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
        send(new JsonObject().put("type", "subscriberOffer").put("version", offerVersion).put("sdp", sdp)
                .put("tracks", tracks));
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

    private void onTransportClosed(WebRtcTransport t, String reason) {
        if (state != State.JOINED) {
            return;
        }
        log.info("room={} participant={} media connection closed: {}", room.id(), token.identity(), reason);
        String code = reason.startsWith("dtls failed") ? "dtls_failed"
                : reason.contains("consent") ? "media_timeout" : "media_closed";
        send(ProtocolJson.error(code, "media connection closed: " + reason, null, null));
        close(LeaveReason.MEDIA_TIMEOUT);
        ws.close((short) 4000, "media connection closed");
    }

    /** Another socket joined with the same identity (a reload): this one leaves quietly. */
    private void replacedBy() {
        if (state == State.CLOSED) {
            return;
        }
        send(ProtocolJson.error("replaced", "the same identity joined from another connection", null, null));
        close(LeaveReason.REPLACED);
        ws.close((short) 4001, "replaced");
    }

    /** Leaves the room and frees every media resource. Idempotent. Room executor only. */
    private void close(LeaveReason reason) {
        if (state == State.CLOSED) {
            return;
        }
        boolean joined = state == State.JOINED;
        state = State.CLOSED;
        if (!joined) {
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
        sfu.removeSession(room.id(), token.identity(), this);
        // Safe even for a reload: the replacing session joins only after this one has left.
        room.leave(token.identity(), reason);
        sfu.releaseIfEmpty(room);
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
        sfu.counters().error(code);
        log.info("room={} participant={} request rejected: {} ({})", token.room(), token.identity(), code, message);
        send(ProtocolJson.error(code, message, requestType, requestId));
    }

    private void fail(String code, String message) {
        send(ProtocolJson.error(code, message, null, null));
        ws.close();
    }

    private void send(JsonObject msg) {
        if (!ws.isClosed()) {
            ws.writeTextMessage(msg.encode());
        }
    }

    private static String requiredString(JsonObject msg, String field) throws SignalingError {
        if (msg.getValue(field) instanceof String s && !s.isEmpty()) {
            return s;
        }
        throw new SignalingError("bad_request", "field '" + field + "' (non-empty string) is required");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
