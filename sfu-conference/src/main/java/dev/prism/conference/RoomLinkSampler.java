package dev.prism.conference;

import dev.prism.core.inspect.ConnectionPath;
import dev.prism.core.room.Participant;
import dev.prism.core.room.Room;
import dev.prism.core.room.Track;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.router.downlink.Consumer;
import dev.prism.rtp.router.downlink.DownlinkController;
import dev.prism.rtp.router.downlink.SubscriberEndpoint;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.transport.WebRtcTransport;
import java.net.InetSocketAddress;

/**
 * The figures the once-a-second stats sample needs (per participant: uplink and downlink rate, downlink estimate,
 * uplink loss; the connected peer connections), read straight from the room's live objects without building its
 * {@link dev.prism.core.inspect.RoomSnapshot}. Each figure is computed as {@link RoomReader#snapshot} computes it, so a
 * participant's history and the metrics show what its snapshot shows; {@code RoomLinkSamplerTest} holds the two
 * side by side. Nothing is allocated per participant (the sample ran every second for every room, and the read model
 * it built was most of the server's allocation after Netty's receive). Room loop only.
 */
final class RoomLinkSampler {
    private RoomLinkSampler() {
    }

    static void sample(Conference conference, Room room, RoomReader.Rates rates, RoomReader.LinkSink sink) {
        RoomRouter router = conference.existingRouter(room);
        for (Participant p : room.participants()) {
            ConferenceParticipant s = conference.participant(room.id(), p.id());
            double uplink = 0;
            int uplinkParts = 0;
            int uplinkMeasured = 0;
            int tracks = 0;
            for (Track t : p.tracks()) {
                tracks++;
                Producer producer = router == null ? null : router.producer(t.id());
                if (producer != null) {
                    uplinkParts++;
                    Double bps = rates.bitsPerSecond(producer);
                    if (bps != null) {
                        uplink += bps;
                        uplinkMeasured++;
                    }
                }
            }
            double downlink = 0;
            double estimate = Double.NaN;
            double loss = Double.NaN;
            boolean subscribes = false;
            if (s != null) {
                int downlinkParts = 0;
                int downlinkMeasured = 0;
                for (SubscriberSlot slot : s.subscriberSlots()) {
                    Consumer c = slot.consumer;
                    if (c != null && !c.isClosed()) {
                        downlinkParts++;
                        Double bps = rates.bitsPerSecond(c);
                        if (bps != null) {
                            downlink += bps;
                            downlinkMeasured++;
                        }
                    }
                }
                if (downlinkParts > 0 && downlinkMeasured == 0) {
                    downlink = Double.NaN;
                }
                estimate = estimate(s.subscriberEndpoint());
                loss = uplinkLoss(s);
                subscribes = s.subscriberTransport() != null;
                connection(s.publisherTransport(), s.connectionPath(ConnectionRole.PUBLISHER), sink);
                connection(s.subscriberTransport(), s.connectionPath(ConnectionRole.SUBSCRIBER), sink);
            }
            sink.participant(p.id(), tracks, uplinkParts > 0 && uplinkMeasured == 0 ? Double.NaN : uplink, downlink,
                    estimate, loss, subscribes);
        }
    }

    /** As the snapshot's estimate: NaN without a subscriber connection or an estimator. */
    private static double estimate(SubscriberEndpoint subscriber) {
        if (subscriber == null || subscriber.downlink().mode() == DownlinkController.Mode.NONE) {
            return Double.NaN;
        }
        return subscriber.downlink().estimateBps();
    }

    /** As the snapshot's loss fraction: lost over expected of every published stream, NaN when nothing expected. */
    private static double uplinkLoss(ConferenceParticipant s) {
        long lost = 0;
        long expected = 0;
        for (PublisherSide.PublishedTrack pt : s.publishedTracks()) {
            Producer p = pt.producer();
            long l = p.receiveStats().cumulativeLost();
            lost += l;
            expected += p.totals().packets() + l;
        }
        return expected > 0 ? (double) lost / expected : Double.NaN;
    }

    /** A connected transport, with the labels its {@code TransportSnapshot} would carry. */
    private static void connection(WebRtcTransport t, ConnectionPath reported, RoomReader.LinkSink sink) {
        if (t == null || t.state() != WebRtcTransport.State.CONNECTED) {
            return;
        }
        InetSocketAddress remote = t.remoteAddress();
        String family = remote != null && remote.getAddress() != null ? ConnectionPath.familyOf(remote.getAddress())
                : reported == null ? null : reported.family();
        sink.connected(t.protocol(), family, ConnectionPath.candidateLabel(reported));
    }
}
