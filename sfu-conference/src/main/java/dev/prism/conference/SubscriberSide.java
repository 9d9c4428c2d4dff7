package dev.prism.conference;

import dev.prism.core.room.Room;
import dev.prism.core.room.Track;
import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.IceParameters;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtcpFeedback;
import dev.prism.rtp.alloc.Preferences;
import dev.prism.rtp.alloc.Priority;
import dev.prism.rtp.alloc.QualityCap;
import dev.prism.rtp.router.downlink.AudioConsumer;
import dev.prism.rtp.router.downlink.Consumer;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.router.downlink.SubscriberEndpoint;
import dev.prism.rtp.transport.WebRtcTransport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One participant's subscriber connection: its endpoint, its m-line slots (one consumer each) and which lines the
 * offer still unanswered shows as active (those are not recycled before the answer).
 *
 * <p>Room loop only.
 */
final class SubscriberSide {
    private final Room room;
    private final RoomRouter router;
    private final String transportName;
    private final SubscriberCodecPlan plan;
    private final BiConsumer<WebRtcTransport, String> onClosed;
    /** Publisher id -> the quality cap on what this subscriber gets of it (its own grant and the publisher's). */
    private final Function<String, QualityCap> capFor;
    private final List<SubscriberSlot> slots = new ArrayList<>();
    private final Map<String, SubscriberSlot> slotByTrack = new HashMap<>();
    final RepairThrottle repairThrottle;
    private SubscriberEndpoint endpoint;
    /** The lines of the offer not answered yet; null when none is outstanding. */
    private List<SubscriberLine> pendingOffer;

    SubscriberSide(Room room, RoomRouter router, String transportName, SubscriberCodecPlan plan,
                   BiConsumer<WebRtcTransport, String> onClosed, Function<String, QualityCap> capFor) {
        this.capFor = capFor;
        this.room = room;
        this.router = router;
        this.transportName = transportName;
        this.plan = plan;
        this.onClosed = onClosed;
        this.repairThrottle = new RepairThrottle(router.engine().clock());
    }

    SubscriberEndpoint endpoint() {
        return endpoint;
    }

    SubscriberSlot slot(String trackId) {
        return slotByTrack.get(trackId);
    }

    List<SubscriberSlot> slots() {
        return slots;
    }

    /** Puts {@code track} on a line (a recycled inactive one of its kind, else a new one) with a fresh consumer. */
    void subscribe(Track track) {
        if (slotByTrack.containsKey(track.id())) {
            return;
        }
        if (endpoint == null) {
            endpoint = new SubscriberEndpoint(onClosed, router.engine().counters(), router.rtcp());
            endpoint.bind(router.engine().createTransport(transportName, endpoint));
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
    }

    /** A consumer for the slot's track with the SSRC offered for it; null when the track is no longer produced. */
    Consumer newConsumer(SubscriberSlot slot) {
        boolean audio = slot.kind == MediaKind.AUDIO;
        List<HeaderExtension> offered = audio
                ? List.of(new HeaderExtension(plan.audioLevelExtensionId(), HeaderExtension.AUDIO_LEVEL))
                : List.of(new HeaderExtension(plan.absSendTimeExtensionId(), HeaderExtension.ABS_SEND_TIME));
        Consumer c = router.subscribe(slot.trackId, endpoint, slot.ssrc,
                audio ? plan.opusPayloadType() : plan.vp8PayloadType(), offered);
        slot.consumer = c;
        configure(slot);
        if (c != null) {
            Track track = Conference.findTrack(room, slot.trackId);
            c.setPriority(track != null ? TrackPriority.of(track.source()) : Priority.NORMAL);
            QualityCap cap = capFor.apply(slot.publisherId);
            if (slot.preferences != null || cap.isLimited()) {
                c.setPreferences(cap.apply(slot.preferences));
            }
        }
        return c;
    }

    /** The slot's preferences (null: the defaults) under the quality cap of its subscriber and publisher. */
    Preferences capped(SubscriberSlot slot) {
        return capFor.apply(slot.publisherId).apply(slot.preferences);
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
        c.setRtx(slot.rtxAccepted ? slot.rtxSsrc : 0, plan.vp8RtxPayloadType());
        if (c instanceof AudioConsumer a) {
            a.setRedPayloadType(slot.redPayloadType);
        }
    }

    /** A slot that the outstanding offer still shows as active must not be reused before that offer is answered. */
    private boolean offeredAsActive(String mid) {
        if (pendingOffer == null) {
            return false;
        }
        for (SubscriberLine l : pendingOffer) {
            if (l.mid().equals(mid)) {
                return l.active();
            }
        }
        return false;
    }

    /** The subscribe grant was revoked. @return whether anything was subscribed */
    boolean unsubscribeAll() {
        boolean any = false;
        for (String trackId : new ArrayList<>(slotByTrack.keySet())) {
            any |= unsubscribe(trackId);
        }
        return any;
    }

    /** @return whether the track was subscribed (its line is now inactive) */
    boolean unsubscribe(String trackId) {
        SubscriberSlot slot = slotByTrack.remove(trackId);
        if (slot == null) {
            return false;
        }
        if (slot.consumer != null) {
            endpoint.removeConsumer(slot.consumer);
        }
        slot.clear();
        return true;
    }

    /** Every line in m-line order, as they are now. */
    List<SubscriberLine> lines() {
        List<SubscriberLine> out = new ArrayList<>(slots.size());
        for (SubscriberSlot s : slots) {
            Track t = s.active() ? Conference.findTrack(room, s.trackId) : null;
            out.add(new SubscriberLine(s.mid, s.kind, s.active(), s.ssrc, s.active() ? s.rtxSsrc : 0,
                    s.active() ? s.publisherId : null, s.active() ? s.trackId : null, t != null && t.muted()));
        }
        return out;
    }

    /** The lines to offer now (null without a subscriber connection); non-empty lines stay pending until answered. */
    SubscriberOffer takeOffer() {
        if (endpoint == null) {
            return null;
        }
        List<SubscriberLine> lines = lines();
        if (!lines.isEmpty()) {
            pendingOffer = lines;
        }
        return new SubscriberOffer(Conference.local(endpoint.transport()), lines);
    }

    /** The subscriber's answer to the pending offer: remote parameters, per-line settings, congestion feedback. */
    void applyAnswer(RemoteTransport remote, Map<String, MediaDescription> acceptedByMid) {
        if (endpoint == null) {
            throw new ConferenceException("out_of_order", "no subscriber offer is outstanding");
        }
        pendingOffer = null;
        WebRtcTransport t = endpoint.transport();
        IceParameters currentRemote = t.remoteIceParameters();
        if (currentRemote == null || !currentRemote.ufrag().equals(remote.ice().ufrag())) {
            // First answer, or the answer to an ICE restart offer: the browser's credentials changed.
            t.setRemoteParameters(remote.ice(), remote.fingerprint(), remote.setup());
        }
        for (SubscriberSlot s : slots) {
            MediaDescription d = acceptedByMid.get(s.mid);
            if (d != null && s.active()) {
                long rtx = d.encodings().isEmpty() ? 0 : d.encodings().get(0).rtxSsrc();
                s.rtxAccepted = rtx != 0;
                s.redPayloadType = s.kind == MediaKind.AUDIO ? SubscriberSlot.redPayloadType(d) : -1;
                s.answered = true;
                s.extensions = d.extensions();
                configure(s);
            }
        }
        configureDownlinkFeedback(acceptedByMid);
    }

    /**
     * The congestion feedback the subscriber's answer kept: transport-cc (the transport-wide sequence number extension
     * and the rtcp-fb) makes Prism number every packet and estimate the downlink itself; REMB alone makes the
     * subscriber's REMB the estimate.
     */
    private void configureDownlinkFeedback(Map<String, MediaDescription> acceptedByMid) {
        int tccId = 0;
        boolean tccFeedback = false;
        boolean remb = false;
        for (MediaDescription d : acceptedByMid.values()) {
            int id = d.extensionId(HeaderExtension.TRANSPORT_CC);
            if (id > 0) {
                tccId = id;
            }
            if (d.primaryCodec() != null) {
                tccFeedback |= d.primaryCodec().feedback().contains(new RtcpFeedback("transport-cc", ""));
                remb |= d.primaryCodec().feedback().contains(new RtcpFeedback("goog-remb", ""));
            }
        }
        endpoint.configureFeedback(tccId, tccFeedback, remb);
    }

    /**
     * The connection closed before any answer reached it: a fresh connection (created on the next subscription) with
     * the same tracks, nothing pending.
     */
    void renew() {
        List<String> trackIds = new ArrayList<>(slotByTrack.keySet());
        endpoint.closeAll();
        endpoint = null;
        slots.clear();
        slotByTrack.clear();
        pendingOffer = null;
        repairThrottle.reset();
        for (String id : trackIds) {
            Track track = Conference.findTrack(room, id);
            if (track != null) {
                subscribe(track);
            }
        }
    }

    /** The live consumers, one per subscribed track. */
    List<Consumer> consumers() {
        List<Consumer> out = new ArrayList<>(slots.size());
        for (SubscriberSlot s : slots) {
            if (s.consumer != null && !s.consumer.isClosed()) {
                out.add(s.consumer);
            }
        }
        return out;
    }

    /** Stops every consumer and closes the connection. */
    void close() {
        if (endpoint != null) {
            endpoint.closeAll();
            endpoint.transport().close("participant left");
        }
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
}
