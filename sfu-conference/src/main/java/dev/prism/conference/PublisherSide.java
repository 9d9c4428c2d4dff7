package dev.prism.conference;

import dev.prism.core.room.Room;
import dev.prism.core.room.Track;
import dev.prism.core.room.TrackSource;
import dev.prism.core.rtp.IceParameters;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.core.text.ClientText;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.router.uplink.PublisherEndpoint;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.transport.WebRtcTransport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One participant's publisher connection: its endpoint and a producer per published m-line.
 *
 * <p>Room loop only.
 */
final class PublisherSide {
    private static final Logger log = LoggerFactory.getLogger(PublisherSide.class);

    private final Room room;
    private final RoomRouter router;
    private final String identity;
    private final String logRoom;
    private final String logId;
    private final Map<String, PublishedTrack> publishedByMid = new LinkedHashMap<>();
    private PublisherEndpoint endpoint;

    record PublishedTrack(Track track, Producer producer, List<RtpEncoding> encodings) {
    }

    PublisherSide(Room room, RoomRouter router, String identity) {
        this.room = room;
        this.router = router;
        this.identity = identity;
        this.logRoom = ClientText.forLog(room.id());
        this.logId = ClientText.forLog(identity);
    }

    PublisherEndpoint endpoint() {
        return endpoint;
    }

    Map<String, PublishedTrack> published() {
        return publishedByMid;
    }

    /**
     * Negotiates the offer (again with fresh credentials when the browser restarted ICE), sets the remote parameters
     * and publishes what the answer accepted: new m-lines become tracks, changed ones are replaced, missing ones are
     * unpublished. Each producer exists before the others hear of its track.
     */
    <A> A publish(Map<String, TrackSource> sources, PublishNegotiation<A> negotiation,
                  BiConsumer<WebRtcTransport, String> onClosed, LongSupplier fallbackRtt) throws Exception {
        if (endpoint == null) {
            endpoint = new PublisherEndpoint(router.engine().counters(), router.rtcp(), onClosed);
            endpoint.setFallbackRtt(fallbackRtt);
            endpoint.bind(router.engine().createTransport(room.id() + "/" + identity + "/pub", endpoint));
        }
        WebRtcTransport t = endpoint.transport();
        PublishNegotiation.Negotiated<A> n = negotiation.negotiate(Conference.local(t));
        IceParameters previousRemote = t.remoteIceParameters();
        if (previousRemote != null && !previousRemote.ufrag().equals(n.remote().ice().ufrag())) {
            // The browser restarted ICE (network change): the answer must carry fresh credentials too.
            t.restartIce();
            n = negotiation.negotiate(Conference.local(t));
            log.info("room={} participant={} ICE restart on the publisher connection", logRoom, logId);
        }
        t.setRemoteParameters(n.remote().ice(), n.remote().fingerprint(), n.remote().setup());

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
                        logId, ClientText.forLog(d.mid()), d.encodings().size() > 1 ? "simulcast " + d.encodings()
                                .stream().map(RtpEncoding::rid).toList() : "announces no SSRC");
            }
            TrackSource source = sources.getOrDefault(d.mid(),
                    d.kind() == MediaKind.AUDIO ? TrackSource.MICROPHONE : TrackSource.CAMERA);
            long streamSsrc = ssrc;
            long rtxSsrc = rtx;
            // The producer must exist before the others hear of the track: they subscribe to it at once.
            room.publish(identity, d.kind(), source, d.mid(), track -> {
                Producer p = router.addProducer(track.id(), identity, d, streamSsrc, rtxSsrc, endpoint);
                publishedByMid.put(d.mid(), new PublishedTrack(track, p, d.encodings()));
            });
        }
        for (String mid : new ArrayList<>(publishedByMid.keySet())) {
            if (!seen.contains(mid)) {
                unpublish(mid);
            }
        }
        return n.answer();
    }

    private void unpublish(String mid) {
        PublishedTrack pt = publishedByMid.remove(mid);
        if (pt != null) {
            endpoint.removeProducer(pt.producer());
            room.unpublish(identity, pt.track().id());
            router.removeProducer(pt.track().id());
        }
    }

    /**
     * The publish grant was revoked: every track is unpublished (the others unsubscribe); the connection stays, idle,
     * so a grant given back only needs a new offer.
     *
     * @return how many tracks were unpublished
     */
    int unpublishAll() {
        List<String> mids = new ArrayList<>(publishedByMid.keySet());
        mids.forEach(this::unpublish);
        return mids.size();
    }

    /** Removes every producer and closes the connection (the room forgets the tracks when the participant leaves). */
    void close() {
        for (PublishedTrack pt : publishedByMid.values()) {
            router.removeProducer(pt.track().id());
        }
        publishedByMid.clear();
        if (endpoint != null) {
            endpoint.close();
            endpoint.transport().close("participant left");
        }
    }
}
