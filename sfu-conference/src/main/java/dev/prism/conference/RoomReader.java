package dev.prism.conference;

import dev.prism.core.inspect.ConnectionPath;
import dev.prism.core.inspect.ParticipantSnapshot.LinkStats;
import dev.prism.core.inspect.ParticipantSnapshot.TransportSnapshot;
import dev.prism.core.inspect.ParticipantSnapshot;
import dev.prism.core.inspect.RoomSnapshot;
import dev.prism.core.inspect.TrackSnapshot;
import dev.prism.core.room.Participant;
import dev.prism.core.room.Room;
import dev.prism.core.room.Track;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.rtp.alloc.LayerStats;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.router.downlink.Consumer;
import dev.prism.rtp.router.downlink.DownlinkController;
import dev.prism.rtp.router.downlink.SubscriberEndpoint;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.router.uplink.ProducerLayer;
import dev.prism.rtp.transport.WebRtcTransport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one room's live objects into counters and snapshots for operators (the admin view, metrics). Room loop only:
 * it walks the room, its router and its participants' media, which only that thread may touch.
 */
public final class RoomReader {
    /** The rates the caller measured, per media object (a key from {@link #byteCounters}). */
    @FunctionalInterface
    public interface Rates {
        /** Bits per second of the object at the last sample, or null when not measured (yet). */
        Double bitsPerSecond(Object meterKey);
    }

    private final Conference conference;

    RoomReader(Conference conference) {
        this.conference = conference;
    }

    /** Receives the byte counters of {@link #byteCounters(Room, ByteCounterSink)}. */
    @FunctionalInterface
    public interface ByteCounterSink {
        /** The byte counter of one media object (a producer or a consumer: the key is the object itself). */
        void counter(Object key, long bytes);
    }

    /** The byte counter of every producer and live consumer of the room, keyed by the object itself. Room loop only. */
    public Map<Object, Long> byteCounters(Room room) {
        Map<Object, Long> out = new IdentityHashMap<>();
        byteCounters(room, out::put);
        return out;
    }

    /**
     * The same counters as {@link #byteCounters(Room)}, handed to {@code sink} one by one without a map or boxing (the
     * stats sampler reads them every second). Room loop only.
     */
    public void byteCounters(Room room, ByteCounterSink sink) {
        RoomRouter router = conference.existingRouter(room);
        if (router != null) {
            for (Producer p : router.producers()) {
                sink.counter(p, p.totals().bytes());
            }
        }
        for (Participant p : room.participants()) {
            ConferenceParticipant s = conference.participant(room.id(), p.id());
            if (s != null) {
                for (SubscriberSlot slot : s.subscriberSlots()) { // the live consumers, without consumers()' copy
                    Consumer c = slot.consumer;
                    if (c != null && !c.isClosed()) {
                        sink.counter(c, c.bytes());
                    }
                }
            }
        }
    }

    /** Receives the figures of {@link #sampleLinks}; NaN stands for the snapshot's null (not measured). */
    public interface LinkSink {
        /**
         * One participant, with the figures its {@link ParticipantSnapshot} shows: its track count, uplink and
         * downlink rate, downlink estimate and uplink loss ({@link LinkStats}), and whether it has a subscriber
         * connection ({@link ParticipantSnapshot#subscriber()} not null).
         */
        void participant(String participantId, int tracks, double uplinkBps, double downlinkBps, double estimateBps,
                         double lossFraction, boolean subscribes);

        /** One connected peer connection, with its transport snapshot's protocol, family and candidate labels. */
        void connected(String protocol, String family, String candidate);
    }

    /**
     * The per-sample figures of every participant, as {@link #snapshot} would show them, handed to {@code sink}
     * without building the snapshot (the stats sampler reads them every second). Room loop only.
     */
    public void sampleLinks(Room room, Rates stats, LinkSink sink) {
        RoomLinkSampler.sample(conference, room, stats, sink);
    }

    /** The room as it is now, with the rates {@code stats} measured at its last sample. Room loop only. */
    public RoomSnapshot snapshot(Room room, Rates stats, long wallMillis) {
        RoomRouter router = conference.existingRouter(room);
        Map<String, ConferenceParticipant> sessions = new HashMap<>();
        Map<String, List<TrackSnapshot.Subscription>> subscriptionsByTrack = new HashMap<>();
        Map<String, Double> downlinkByParticipant = new HashMap<>();
        for (Participant p : room.participants()) {
            ConferenceParticipant s = conference.participant(room.id(), p.id());
            if (s == null) {
                continue;
            }
            sessions.put(p.id(), s);
            Sum downlink = new Sum();
            String subscriberState = stateOf(s.subscriberTransport());
            for (Consumer c : s.consumers()) {
                Double bps = stats.bitsPerSecond(c);
                downlink.add(bps);
                subscriptionsByTrack.computeIfAbsent(c.producer().trackId(), k -> new ArrayList<>())
                        .add(new TrackSnapshot.Subscription(p.id(), c.ssrc(), c.packets(), c.bytes(), bps,
                                c.targetLayerName(), c.currentLayerName(), c.layerReason(), subscriberState));
            }
            downlinkByParticipant.put(p.id(), downlink.value());
        }
        List<ParticipantSnapshot> participants = new ArrayList<>();
        for (Participant p : room.participants()) {
            ConferenceParticipant s = sessions.get(p.id());
            List<TrackSnapshot> tracks = new ArrayList<>();
            Sum uplink = new Sum();
            for (Track t : p.tracks()) {
                Producer producer = router == null ? null : router.producer(t.id());
                Double bps = producer == null ? null : stats.bitsPerSecond(producer);
                if (producer != null) {
                    uplink.add(bps);
                }
                tracks.add(new TrackSnapshot(t.id(), t.kind().sdpName(), t.source().wireName(), t.muted(),
                        producer == null ? null : codecName(producer.codec()),
                        producer == null ? null : producer.ssrc(),
                        producer == null ? 0 : producer.totals().packets(),
                        producer == null ? 0 : producer.totals().bytes(), bps,
                        frameRate(producer), layers(producer), subscriptionsByTrack.getOrDefault(t.id(), List.of())));
            }
            TransportSnapshot pub = s == null ? null : transport(s.publisherTransport(),
                    s.connectionPath(ConnectionRole.PUBLISHER));
            TransportSnapshot sub = s == null ? null : transport(s.subscriberTransport(),
                    s.connectionPath(ConnectionRole.SUBSCRIBER));
            ParticipantMediaStats media = s == null ? null : s.mediaStats();
            participants.add(new ParticipantSnapshot(p.id(), p.name(), p.canPublish(), p.canSubscribe(),
                    connectionState(pub, sub), pub, sub,
                    link(uplink.value(), downlinkByParticipant.getOrDefault(p.id(), 0.0), media,
                            s == null ? null : estimate(s.subscriberEndpoint()),
                            s == null ? null : estimateSource(s.subscriberEndpoint())),
                    tracks, recovery(media)));
        }
        return new RoomSnapshot(room.id(), wallMillis, participants, speakerView(conference.existingSpeakers(room)));
    }

    private static dev.prism.core.inspect.SpeakerView speakerView(RoomSpeakers s) {
        if (s == null) {
            return dev.prism.core.inspect.SpeakerView.NONE;
        }
        ActiveSpeakers a = s.current();
        return new dev.prism.core.inspect.SpeakerView(
                a.speakers().stream().map(SpeakerDetector.Speaker::participantId).toList(),
                a.speakers().stream().map(SpeakerDetector.Speaker::level).toList(), a.dominant(), s.topN(),
                s.updatesSent());
    }

    /** The subscriber's downlink estimate, null without a subscriber connection or an estimator. */
    private static Double estimate(SubscriberEndpoint subscriber) {
        if (subscriber == null || subscriber.downlink().mode() == DownlinkController.Mode.NONE) {
            return null;
        }
        return (double) subscriber.downlink().estimateBps();
    }

    /** Where the subscriber's downlink estimate comes from, null when there is none. */
    static String estimateSource(SubscriberEndpoint subscriber) {
        if (subscriber == null || subscriber.downlink().mode() == DownlinkController.Mode.NONE) {
            return null;
        }
        return subscriber.downlink().estimateSource().description();
    }

    /** Video: the highest frame rate of its layers over the last second; null for audio or before media. */
    private static Double frameRate(Producer producer) {
        if (producer == null || producer.kind() != MediaKind.VIDEO) {
            return null;
        }
        double best = 0;
        for (int s = 0; s < producer.layerCount(); s++) {
            best = Math.max(best, producer.layerStats().frameRate(s, LayerStats.MAX_TEMPORAL - 1));
        }
        return producer.totals().packets() == 0 ? null : best;
    }

    /** Video: one entry per RTP stream (simulcast layer), with its own rate; null for audio. */
    private static List<TrackSnapshot.Layer> layers(Producer producer) {
        if (producer == null || producer.kind() != MediaKind.VIDEO) {
            return null;
        }
        List<TrackSnapshot.Layer> out = new ArrayList<>();
        LayerStats stats = producer.layerStats();
        int top = LayerStats.MAX_TEMPORAL - 1;
        for (ProducerLayer l : producer.layers()) {
            boolean active = stats.isActive(l.index());
            out.add(new TrackSnapshot.Layer(l.rid(), l.index(), active,
                    active ? (double) stats.bitrateBps(l.index(), top) : null,
                    active ? stats.frameRate(l.index(), top) : null));
        }
        return out;
    }

    /**
     * Link quality from the RTCP work: RTT from the subscriber connection's receiver reports (else the publisher
     * connection's NACK round trips), uplink loss over every stream it publishes (after repair), and the worst uplink
     * jitter; the downlink estimate from the bandwidth estimation. Null where nothing was measured yet.
     */
    private static LinkStats link(Double uplinkBps, Double downlinkBps, ParticipantMediaStats m, Double estimateBps,
                                  String estimateSource) {
        if (m == null) {
            return new LinkStats(uplinkBps, downlinkBps, null, null, null, estimateBps, estimateSource);
        }
        long rtt = m.subscriberRttMs() >= 0 ? m.subscriberRttMs() : m.publisherRttMs();
        long lost = 0;
        long expected = 0;
        Double jitter = null;
        for (ParticipantMediaStats.Published pub : m.published()) {
            lost += pub.lost();
            expected += pub.packets() + pub.lost();
            jitter = jitter == null ? pub.jitterMs() : Math.max(jitter, pub.jitterMs());
        }
        return new LinkStats(uplinkBps, downlinkBps, rtt >= 0 ? (double) rtt : null,
                expected > 0 ? (double) lost / expected : null, jitter, estimateBps, estimateSource);
    }

    private static ParticipantSnapshot.Recovery recovery(ParticipantMediaStats m) {
        if (m == null) {
            return null;
        }
        long nacksSent = 0;
        long rtxRecovered = 0;
        for (ParticipantMediaStats.Published p : m.published()) {
            nacksSent += p.nacksSent();
            rtxRecovered += p.rtxRecovered();
        }
        long nacksReceived = 0;
        long retransmissions = 0;
        for (ParticipantMediaStats.Subscribed x : m.subscribed()) {
            nacksReceived += x.nacked();
            retransmissions += x.retransmitted();
        }
        List<ParticipantSnapshot.Repair> repairs = new ArrayList<>(m.repairs().size());
        for (ParticipantMediaStats.RepairEvent r : m.repairs()) {
            repairs.add(new ParticipantSnapshot.Repair(r.atEpochMillis(), r.trackId(), r.issue(), r.action()));
        }
        return new ParticipantSnapshot.Recovery(nacksSent, rtxRecovered, nacksReceived, retransmissions, m.resumes(),
                m.iceRestarts(), repairs);
    }

    /**
     * One word for both connections: {@code new} when there are none yet, {@code closed} when one closed,
     * {@code connected} when every one there is connected, else the least advanced state.
     */
    static String connectionState(TransportSnapshot publisher, TransportSnapshot subscriber) {
        List<String> states = new ArrayList<>(2);
        if (publisher != null) {
            states.add(publisher.state());
        }
        if (subscriber != null) {
            states.add(subscriber.state());
        }
        if (states.isEmpty()) {
            return "new";
        }
        if (states.contains("closed")) {
            return "closed";
        }
        for (String s : List.of("new", "checking", "connecting")) {
            if (states.contains(s)) {
                return s;
            }
        }
        return "connected";
    }

    static String codecName(RtpCodec c) {
        if (c == null) {
            return null;
        }
        return c.name() + "/" + c.clockRate() + (c.channels() > 1 ? "/" + c.channels() : "");
    }

    /**
     * Prism's view of a transport (state, address, protocol, family) with what the client reported about it: the
     * protocol and family are Prism's where it knows them, the client's report rides along (a relay, the candidate).
     */
    static TransportSnapshot transport(WebRtcTransport t, ConnectionPath reported) {
        if (t == null) {
            return null;
        }
        InetSocketAddress remote = t.remoteAddress();
        String family = remote != null && remote.getAddress() != null ? ConnectionPath.familyOf(remote.getAddress())
                : reported == null ? null : reported.family();
        return new TransportSnapshot(stateOf(t),
                remote == null ? null : remote.getAddress().getHostAddress() + ":" + remote.getPort(),
                t.closeReason(), t.protocol(), family, reported);
    }

    private static String stateOf(WebRtcTransport t) {
        return t == null ? null : t.state().name().toLowerCase(Locale.ROOT);
    }

    /** Adds rates; null when there were parts but none was measured yet, 0 when there were no parts. */
    private static final class Sum {
        private double total;
        private int parts;
        private int measured;

        void add(Double v) {
            parts++;
            if (v != null) {
                total += v;
                measured++;
            }
        }

        Double value() {
            return parts > 0 && measured == 0 ? null : total;
        }
    }
}
