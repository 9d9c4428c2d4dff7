package dev.prism.rtp.router;

import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.rtp.router.downlink.Consumer;
import dev.prism.rtp.router.downlink.SubscriberEndpoint;
import dev.prism.rtp.router.rtcp.RtcpSender;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.router.uplink.PublisherEndpoint;
import dev.prism.rtp.transport.MediaEngine;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The media side of one room: its producers (one per published track, {@code uplink}) and the consumers hanging off
 * them ({@code downlink}). Signaling decides who publishes and who subscribes; the router only wires the packet flow.
 * It is the one place that knows both sides: the uplink fans out through {@link dev.prism.rtp.router.uplink.PacketSink}
 * and never names a downlink type.
 *
 * <p>Threading: the media event loop only (the room's executor).
 */
public final class RoomRouter {
    /**
     * At most one PLI per publisher stream in this interval, however many subscribers ask; requests inside it are
     * coalesced into one sent when it ends.
     */
    public static final long KEYFRAME_REQUEST_INTERVAL_MILLIS = 500;

    private final String roomId;
    private final MediaEngine engine;
    private final RtcpSender rtcp;
    private final Map<String, Producer> producers = new LinkedHashMap<>();

    public RoomRouter(String roomId, MediaEngine engine) {
        this.roomId = roomId;
        this.engine = engine;
        this.rtcp = new RtcpSender(engine.allocator(), engine.clock());
    }

    public String roomId() {
        return roomId;
    }

    /** The engine the room lives on: its transports are created there, its state is touched on its loop. */
    public MediaEngine engine() {
        return engine;
    }

    public RtcpSender rtcp() {
        return rtcp;
    }

    /**
     * Starts receiving a published track on {@code publisher}'s transport. A description with several encodings is a
     * simulcast track (one layer per encoding; SSRCs not in the SDP are learned from the packets), else {@code ssrc}
     * and {@code rtxSsrc} name its stream (0: learned from the packets' mid).
     */
    public Producer addProducer(String trackId, String participantId, MediaDescription description, long ssrc,
                                long rtxSsrc, PublisherEndpoint publisher) {
        removeProducer(trackId);
        Producer p = new Producer(trackId, participantId, description, ssrc, rtxSsrc, publisher.transport(), rtcp,
                KEYFRAME_REQUEST_INTERVAL_MILLIS, engine.counters(), publisher::rttNanos);
        producers.put(trackId, p);
        publisher.addProducer(p);
        return p;
    }

    /** Stops a track: its consumers stop forwarding. */
    public void removeProducer(String trackId) {
        Producer p = producers.remove(trackId);
        if (p != null) {
            p.closeAll();
        }
    }

    public Producer producer(String trackId) {
        return producers.get(trackId);
    }

    public Collection<Producer> producers() {
        return Collections.unmodifiableCollection(producers.values());
    }

    /** Calls {@code action} with each producer, in publication order, allocating nothing (a periodic task's loop). */
    public void forEachProducer(java.util.function.Consumer<? super Producer> action) {
        producers.values().forEach(action);
    }

    /**
     * Starts forwarding a track to a subscriber.
     *
     * @return the consumer, or null when the track is not (or no longer) produced
     */
    public Consumer subscribe(String trackId, SubscriberEndpoint subscriber, long ssrc, int payloadType,
                              List<HeaderExtension> extensions) {
        Producer p = producers.get(trackId);
        if (p == null) {
            return null;
        }
        Consumer c = Consumer.create(trackId, p, subscriber, ssrc, payloadType, extensions, engine.allocator(),
                engine.counters());
        p.addConsumer(c);
        subscriber.addConsumer(c);
        if (subscriber.transport().isConnected()) {
            c.requestKeyframe();
        }
        return c;
    }
}
