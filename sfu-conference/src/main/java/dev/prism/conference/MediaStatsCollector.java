package dev.prism.conference;

import dev.prism.rtp.alloc.Allocation;
import dev.prism.rtp.alloc.LayerStats;
import dev.prism.rtp.router.downlink.Consumer;
import dev.prism.rtp.router.downlink.DownlinkController;
import dev.prism.rtp.router.downlink.SubscriberEndpoint;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.router.uplink.ProducerLayer;
import dev.prism.rtp.router.uplink.ProducerTotals;
import dev.prism.rtp.router.uplink.PublisherEndpoint;
import dev.prism.rtp.rtcp.ReportBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Reads one participant's media health out of its endpoints (the admin view). Room executor only. */
final class MediaStatsCollector {
    private MediaStatsCollector() {
    }

    /**
     * @param trackIds  the published tracks' ids, parallel to {@code producers}
     * @param publisher null before the first publish; {@code subscriber} null before anything was subscribed
     */
    static ParticipantMediaStats collect(String identity, boolean detached, List<String> trackIds,
                                         List<Producer> producers, List<SubscriberSlot> slots,
                                         PublisherEndpoint publisher, SubscriberEndpoint subscriber,
                                         List<ParticipantMediaStats.RepairEvent> repairs, int resumes) {
        List<ParticipantMediaStats.Published> published = new ArrayList<>();
        for (int i = 0; i < producers.size(); i++) {
            published.add(published(trackIds.get(i), producers.get(i)));
        }
        List<ParticipantMediaStats.Subscribed> subscribed = new ArrayList<>();
        for (SubscriberSlot s : slots) {
            Consumer c = s.consumer;
            if (!s.active() || c == null) {
                continue;
            }
            ReportBlock rr = c.lastReceiverReport();
            int clockRate = c.producer().receiveStats().clockRate();
            subscribed.add(new ParticipantMediaStats.Subscribed(s.trackId, s.kind.sdpName(), c.packets(),
                    c.nackedPackets(), c.retransmitted(), c.retransmitMissed(),
                    rr == null ? -1 : rr.fractionLost() / 256.0, rr == null ? -1 : rr.jitter() * 1000.0 / clockRate,
                    millis(c.rttNanos()), c.targetLayerName(), c.currentLayerName(), c.layerReason(),
                    c.layerSwitches(), c.layerKeyframeRequests()));
        }
        long pubRtt = publisher == null ? -1 : publisher.measuredRttNanos();
        long subRtt = subscriber == null ? -1 : subscriber.rttNanos();
        int restarts = (publisher == null ? 0 : publisher.transport().iceRestarts())
                + (subscriber == null ? 0 : subscriber.transport().iceRestarts());
        return new ParticipantMediaStats(identity, detached ? "detached" : "joined", millis(pubRtt), millis(subRtt),
                published, subscribed, repairs, resumes, restarts, downlink(subscriber));
    }

    private static ParticipantMediaStats.Published published(String trackId, Producer p) {
        var rs = p.receiveStats();
        List<ParticipantMediaStats.Layer> layers = new ArrayList<>();
        for (ProducerLayer l : p.layers()) {
            int top = LayerStats.MAX_TEMPORAL - 1;
            layers.add(new ParticipantMediaStats.Layer(l.index(), l.rid(), l.ssrc(), l.width(), l.height(),
                    p.layerStats().bitrateBps(l.index(), top), p.layerStats().frameRate(l.index(), top),
                    p.layerStats().isActive(l.index())));
        }
        ProducerTotals t = p.totals();
        return new ParticipantMediaStats.Published(trackId, p.kind().sdpName(), t.packets(),
                rs.cumulativeLost(), rs.expected() == 0 ? 0 : (double) rs.cumulativeLost() / rs.expected(),
                rs.jitterMillis(), t.nacksSent(), t.rtxRecovered(), t.keyframeRequestsSent(),
                t.keyframeRequestsCoalesced(), layers);
    }

    private static ParticipantMediaStats.Downlink downlink(SubscriberEndpoint subscriber) {
        if (subscriber == null) {
            return null;
        }
        DownlinkController d = subscriber.downlink();
        Allocation a = d.lastAllocation();
        return new ParticipantMediaStats.Downlink(d.mode().name().toLowerCase(Locale.ROOT),
                d.estimateBps(), a == null ? 0 : a.allocatedBps(), a == null ? 0 : a.desiredBps(),
                subscriber.layerSwitches(), d.probesStarted(), d.paddingBytes(),
                d.sendSideEstimator() == null ? d.mode().name() : d.sendSideEstimator().toString());
    }

    private static long millis(long nanos) {
        return nanos < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
