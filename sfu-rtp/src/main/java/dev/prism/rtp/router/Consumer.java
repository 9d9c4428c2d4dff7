package dev.prism.rtp.router;

import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaKind;
import dev.prism.rtp.alloc.Preferences;
import dev.prism.rtp.alloc.Priority;
import dev.prism.rtp.bwe.TransportWideSeq;
import dev.prism.rtp.codec.Vp8Payload;
import dev.prism.rtp.layer.LayerAction;
import dev.prism.rtp.layer.LayerDecision;
import dev.prism.rtp.layer.LayerDropReason;
import dev.prism.rtp.layer.LayerForwarder;
import dev.prism.rtp.layer.LayerSelector;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.packet.SeqNum;
import dev.prism.rtp.rtcp.ReportBlock;
import dev.prism.rtp.rtcp.SenderReport;
import dev.prism.srtp.SrtpSession;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import dev.prism.rtp.transport.WebRtcTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber's copy of one {@link Producer}: rewrites each packet to what that subscriber negotiated (its SSRC,
 * payload type, header-extension ids; sequence numbers and timestamps kept continuous from a random start) and sends
 * it through the subscriber's {@link SubscriberEndpoint}, which numbers it for transport-wide feedback.
 *
 * <p>Video goes through a {@link LayerForwarder}: the subscriber sees one continuous VP8 stream whatever simulcast
 * layer is forwarded (sequence numbers, timestamps, picture id / TL0PICIDX / KEYIDX rewritten across switches), the
 * layer is the one its bitrate allocation set as target ({@link #setTargetLayer}), a spatial switch waits for a key
 * frame of the new layer (asked for once per switch), and forwarding starts on a key frame. Each packet not forwarded
 * is counted by {@link LayerDropReason}. Audio is forwarded as it comes.
 *
 * <p>Loss recovery: every video packet sent is logged ({@link SentPacketLog}: output sequence number -> the producer's
 * layer and sequence number, the output timestamp, the rewritten VP8 counters). A NACK from the subscriber is answered
 * by rebuilding the packet from the producer's {@link PacketHistory} with this consumer's rewriting, sent as RTX (RFC
 * 4588: own SSRC, own sequence numbers, original sequence number in front of the payload) once the subscriber accepted
 * RTX. Without RTX nothing is resent: Prism's SRTP refuses to protect one sequence number twice, and the subscriber
 * recovers with a keyframe. Packets sent before the latest layer switch are not resent either: the decoder starts over
 * from the switch's key frame, and on a path that just became too narrow they would only crowd it out.
 *
 * <p>Threading: the media event loop only. Buffers: each forwarded or retransmitted packet is one pooled heap copy,
 * allocated here and handed to {@link SubscriberEndpoint#sendRtp}, which owns it from then on.
 */
public final class Consumer {
    private static final Logger log = LoggerFactory.getLogger(Consumer.class);
    /** Room for header-extension growth when one-byte elements become two-byte ones, and the transport-wide element. */
    private static final int EXTENSION_SLACK = 32;
    private static final LayerDropReason[] DROP_REASONS = LayerDropReason.values();

    private final Producer producer;
    private final SubscriberEndpoint subscriber;
    private final WebRtcTransport transport;
    private final long ssrc;
    private final int payloadType;
    private final ByteBufAllocator allocator;
    private final MediaCounters counters;
    private final byte[] extensionIdMap = new byte[256];
    private final Retransmitter retransmitter;
    private final String id;
    /** Video only: layer selection and output continuity. Taken over by a consumer that continues this one. */
    private LayerForwarder forwarder;
    // Audio only: out = in + delta.
    private boolean started;
    private int seqDelta;
    private long timestampDelta;
    private boolean resync;
    private boolean closed;
    private long packets;
    private long bytes;
    private long payloadBytes;
    private long lastForwardNanos = Long.MIN_VALUE;
    // The newest output, so that a restarted or replacing consumer continues the subscriber's stream seamlessly.
    private int lastOutSeq;
    private long lastOutTs;
    // Sender reports: the layer and the output - input timestamp offset of the latest forwarded packet.
    private int srLayer;
    private long srTimestampOffset;
    // Loss recovery and the subscriber's view, for stats.
    private long nackedPackets;
    private long retransmitted;
    private long retransmitMissed;
    private ReportBlock lastReport;
    private long rttNanos = -1;
    // Layers: what the allocation wants and why, what happened.
    private final long[] layerDrops = new long[DROP_REASONS.length];
    private long layerSwitches;
    private long layerKeyframeRequests;
    private int lastForwardedSpatial = -1;
    /** Output sequence number of the latest switch's first packet, -1 before any: older ones are not resent. */
    private int switchSeq = -1;
    private Priority priority = Priority.NORMAL;
    private Preferences preferences = Preferences.DEFAULT;
    private String layerReason;

    /**
     * @param id          a stable key for this subscription (allocation state is kept per id), e.g. the track id
     * @param ssrc        the SSRC this subscriber was offered for the track
     * @param payloadType the payload type of the codec in this subscriber's m-line
     * @param extensions  the header extensions this subscriber's m-line negotiated
     */
    public Consumer(String id, Producer producer, SubscriberEndpoint subscriber, long ssrc, int payloadType,
                    List<HeaderExtension> extensions, ByteBufAllocator allocator, MediaCounters counters) {
        this.id = id;
        this.producer = producer;
        this.subscriber = subscriber;
        this.transport = subscriber.transport();
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.allocator = allocator;
        this.counters = counters;
        boolean video = producer.kind() == MediaKind.VIDEO;
        this.retransmitter = video ? new Retransmitter(allocator, ThreadLocalRandom.current().nextInt(0x10000)) : null;
        this.forwarder = video ? new LayerForwarder(subscriber.clock(), LayerSelector.Config.of(producer.layerCount()),
                ThreadLocalRandom.current().nextInt(0x10000), producer.receiveStats().clockRate()) : null;
        setExtensions(extensions);
    }

    /**
     * Extensions whose values stay true after forwarding, so they pass through with only the id rewritten. Others
     * (mid, rid, the publisher's transport-wide sequence numbers) describe the publisher's connection and are dropped;
     * the subscriber's transport-wide number is Prism's own, added to every packet.
     */
    private static final java.util.Set<String> PASS_THROUGH = java.util.Set.of(HeaderExtension.AUDIO_LEVEL,
            HeaderExtension.ABS_SEND_TIME);

    /** Re-maps header extensions by URI: publisher id -> this subscriber's id; unknown ones are dropped. */
    public void setExtensions(List<HeaderExtension> extensions) {
        java.util.Arrays.fill(extensionIdMap, (byte) 0);
        for (int inId = 1; inId < 256; inId++) {
            String uri = producer.extensionUri(inId);
            if (uri == null || !PASS_THROUGH.contains(uri)) {
                continue;
            }
            for (HeaderExtension e : extensions) {
                if (e.uri().equals(uri)) {
                    extensionIdMap[inId] = (byte) e.id();
                }
            }
        }
    }

    /**
     * Retransmits over RTX from now on: {@code rtxSsrc} is the SSRC offered for this track's RTX stream and
     * {@code rtxPayloadType} the RTX payload type the subscriber accepted; 0 / -1 turn retransmission off.
     */
    public void setRtx(long rtxSsrc, int rtxPayloadType) {
        if (retransmitter != null) {
            retransmitter.setRtx(rtxSsrc, rtxPayloadType);
        }
    }

    /** The key of this subscription in its subscriber's bitrate allocation. */
    public String id() {
        return id;
    }

    public Producer producer() {
        return producer;
    }

    public long ssrc() {
        return ssrc;
    }

    /** The RTX SSRC retransmissions go out on, 0 while RTX is off. */
    public long rtxSsrc() {
        return retransmitter == null ? 0 : retransmitter.rtxSsrc();
    }

    public WebRtcTransport transport() {
        return transport;
    }

    public MediaKind kind() {
        return producer.kind();
    }

    public long packets() {
        return packets;
    }

    public long bytes() {
        return bytes;
    }

    /** Clock reading when the last packet went out to the subscriber, {@link Long#MIN_VALUE} before the first. */
    public long lastForwardNanos() {
        return lastForwardNanos;
    }

    /** Whether video is held back until the next keyframe (nothing is forwarded). */
    public boolean waitingForKeyframe() {
        return forwarder != null && forwarder.selector().currentSpatial() < 0
                && forwarder.selector().targetSpatial() >= 0;
    }

    /** Sequence numbers the subscriber NACKed. */
    public long nackedPackets() {
        return nackedPackets;
    }

    /** Retransmissions sent. */
    public long retransmitted() {
        return retransmitted;
    }

    /** NACKed packets that could not be resent: unknown, no longer in the history, or no RTX. */
    public long retransmitMissed() {
        return retransmitMissed;
    }

    /** The subscriber's last receiver report about this stream, or null. */
    public ReportBlock lastReceiverReport() {
        return lastReport;
    }

    /** Round-trip time to the subscriber from its last report about this stream, -1 when unknown. */
    public long rttNanos() {
        return rttNanos;
    }

    // ---- layers ---------------------------------------------------------------------------------------------------

    /** The video layer selector (target / current layers), null for audio. */
    public LayerSelector selector() {
        return forwarder == null ? null : forwarder.selector();
    }

    /**
     * The layer to forward, from the subscriber's committed bitrate allocation: spatial -1 pauses; temporal is the
     * highest temporal layer. {@code reason} says why (for the admin view), e.g. {@code optimal} or {@code limited}.
     * Audio ignores the layers.
     */
    public void setTargetLayer(int spatial, int temporal, String reason) {
        layerReason = reason;
        if (forwarder != null) {
            forwarder.selector().setTarget(spatial, temporal);
        }
    }

    /**
     * The target layer as a number that changes whenever {@link #targetLayerName()} does, without building a string:
     * {@code spatial * 256 + temporal}, -1 when paused, {@link Integer#MIN_VALUE} for audio.
     */
    public int targetLayerCode() {
        if (forwarder == null) {
            return Integer.MIN_VALUE;
        }
        LayerSelector s = forwarder.selector();
        return s.targetSpatial() < 0 ? -1 : s.targetSpatial() * 256 + s.targetTemporal();
    }

    /**
     * The layer the allocation wants forwarded, e.g. {@code s2t3} (spatial 2, temporal layers up to 3), or
     * {@code paused}; null for audio.
     */
    public String targetLayerName() {
        return layerName(targetLayerCode());
    }

    /** The name of a {@link #targetLayerCode()}: {@code s2t3}, {@code paused}, or null for audio. */
    static String layerName(int code) {
        if (code == Integer.MIN_VALUE) {
            return null;
        }
        return code < 0 ? "paused" : "s" + (code >> 8) + "t" + (code & 0xFF);
    }

    /** The layer forwarded now, e.g. {@code s0t1}, or {@code none}; null for audio. */
    public String currentLayerName() {
        if (forwarder == null) {
            return null;
        }
        LayerSelector s = forwarder.selector();
        return s.currentSpatial() < 0 ? "none" : "s" + s.currentSpatial() + "t" + s.currentTemporal();
    }

    /** Why the target layer is what it is, from the latest allocation; null before the first. */
    public String layerReason() {
        return layerReason;
    }

    /** Spatial layer switches of the forwarded stream (not counting the first start). */
    public long layerSwitches() {
        return layerSwitches;
    }

    /** Keyframe requests this consumer's layer switches asked for (before the producer's throttle). */
    public long layerKeyframeRequests() {
        return layerKeyframeRequests;
    }

    /** Packets not forwarded for {@code reason}. */
    public long layerDrops(LayerDropReason reason) {
        return layerDrops[reason.ordinal()];
    }

    /** Who gets bandwidth first among this subscriber's tracks. */
    public Priority priority() {
        return priority;
    }

    public void setPriority(Priority priority) {
        this.priority = priority;
    }

    /** What the subscriber asked for this track (size, pause). */
    public Preferences preferences() {
        return preferences;
    }

    public void setPreferences(Preferences preferences) {
        this.preferences = preferences;
    }

    // ---- keyframes ------------------------------------------------------------------------------------------------

    /**
     * Asks the publisher for a keyframe of the layer this consumer needs one of: the one it is switching to, else the
     * one it forwards (a subscriber's PLI or FIR). Nothing while the subscriber's transport is not connected: the
     * keyframe could not reach it, and connecting asks for one anyway ({@link SubscriberEndpoint#onConnected}).
     */
    public void requestKeyframe() {
        if (forwarder == null || transport != null && !transport.isConnected()) {
            return;
        }
        LayerSelector s = forwarder.selector();
        int layer = s.currentSpatial() >= 0 && s.currentSpatial() == s.wantedSpatial() ? s.currentSpatial()
                : s.wantedSpatial();
        producer.requestKeyframe(Math.max(0, layer));
    }

    /**
     * Starts over as if new: waits for the next keyframe (video) and asks for it. The sequence and timestamp mapping
     * stays, so the subscriber sees one continuous stream. Used by media repair.
     */
    public void restart() {
        if (forwarder != null) {
            forwarder.selector().reset();
        }
        requestKeyframe();
    }

    // ---- forwarding -----------------------------------------------------------------------------------------------

    /**
     * One packet of the producer's spatial layer {@code spatial}, with its {@code meta} ({@code PacketMeta}, read once
     * by the producer). Hot path: one pooled copy when forwarded, nothing else allocated.
     */
    void forward(RtpPacket packet, int spatial, int meta) {
        if (closed) {
            return;
        }
        if (!transport.isConnected()) {
            counters.drop(DropReason.SEND_NOT_CONNECTED);
            return;
        }
        if (forwarder == null) {
            forwardAudio(packet);
            return;
        }
        LayerDecision d = forwarder.onPacket(packet, spatial, meta);
        if (d.requestKeyframe()) {
            layerKeyframeRequests++;
            producer.requestKeyframe(forwarder.selector().keyframeLayer());
        }
        if (!d.forwarded()) {
            layerDrops[d.reason().ordinal()]++;
            if (d.reason() == LayerDropReason.WAITING_FOR_KEYFRAME && forwarder.selector().currentSpatial() < 0) {
                counters.drop(DropReason.VIDEO_WAITING_FOR_KEYFRAME); // the subscriber gets nothing meanwhile
            }
            return;
        }
        if (d.action() == LayerAction.SWITCH) {
            if (lastForwardedSpatial >= 0 && spatial != lastForwardedSpatial) {
                layerSwitches++;
                counters.layerSwitched();
                subscriber.onLayerSwitch();
                if (log.isDebugEnabled()) {
                    log.debug("transport={} track={} switched layer {} -> {} ({})", transport.id(), id,
                            lastForwardedSpatial, spatial, forwarder.selector());
                }
            }
            lastForwardedSpatial = spatial;
        }
        int seq = forwarder.outSequence();
        long ts = forwarder.outTimestamp();
        if (d.action() == LayerAction.SWITCH) {
            switchSeq = seq;
        }
        ByteBuf out = rewrittenCopy(packet, seq, ts);
        if (out == null) {
            return;
        }
        int payloadAt = out.writerIndex() - packet.payloadLength() - packet.paddingLength();
        int payloadLength = packet.payloadLength();
        if (!forwarder.rewritePayload(out, payloadAt, payloadLength)) {
            out.release();
            layerDrops[LayerDropReason.MALFORMED_PAYLOAD.ordinal()]++;
            counters.drop(DropReason.RTP_MALFORMED);
            return;
        }
        retransmitter.record(seq, spatial, packet.sequenceNumber(), ts,
                Vp8Payload.pictureId(out, payloadAt, payloadLength), Vp8Payload.tl0PicIdx(out, payloadAt, payloadLength),
                Vp8Payload.keyIdx(out, payloadAt, payloadLength));
        srLayer = spatial;
        srTimestampOffset = (ts - packet.timestamp()) & 0xFFFF_FFFFL;
        sent(out, packet.payloadLength(), seq, ts);
    }

    private void forwardAudio(RtpPacket packet) {
        if (!started) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            seqDelta = r.nextInt(0x10000) - packet.sequenceNumber();
            timestampDelta = r.nextLong(0x1_0000_0000L) - packet.timestamp();
            started = true;
        } else if (resync) {
            // Continue right after the last packet sent: no gap for the receiver to NACK, time moved on by the pause.
            long ticks = Math.max(1, (producer.lastPacketNanos() - lastForwardNanos)
                    * producer.receiveStats().clockRate() / 1_000_000_000L);
            seqDelta = lastOutSeq + 1 - packet.sequenceNumber();
            timestampDelta = lastOutTs + ticks - packet.timestamp();
        }
        resync = false;
        int seq = (packet.sequenceNumber() + seqDelta) & 0xFFFF;
        long ts = (packet.timestamp() + timestampDelta) & 0xFFFF_FFFFL;
        ByteBuf out = rewrittenCopy(packet, seq, ts);
        if (out == null) {
            return;
        }
        srLayer = 0;
        srTimestampOffset = timestampDelta & 0xFFFF_FFFFL;
        sent(out, packet.payloadLength(), seq, ts);
    }

    /**
     * A pooled copy of {@code packet} rewritten for this subscriber (SSRC, sequence number, timestamp, payload type,
     * extension ids, room for the transport-wide sequence number); null, and the drop counted, when it does not fit.
     */
    private ByteBuf rewrittenCopy(RtpPacket packet, int seq, long ts) {
        ByteBuf out = allocator.heapBuffer(packet.length() + EXTENSION_SLACK + SrtpSession.MAX_TRAILER);
        int tcc = subscriber.transportCcExtensionId();
        if (packet.copyRewritten(out, ssrc, seq, ts, payloadType, extensionIdMap, tcc,
                tcc == 0 ? 0 : TransportWideSeq.LENGTH) < 0) {
            out.release();
            counters.drop(DropReason.SEND_NO_ROOM);
            return null;
        }
        return out;
    }

    /** Counts and sends {@code out}, the rewritten copy (all of it readable). Takes ownership. */
    private void sent(ByteBuf out, int payloadLength, int seq, long ts) {
        packets++;
        bytes += out.readableBytes();
        payloadBytes += payloadLength;
        lastForwardNanos = producer.lastPacketNanos();
        if (packets == 1 || SeqNum.isNewer(seq, lastOutSeq)) {
            lastOutSeq = seq; // newest output (reordered older packets do not move it back)
            lastOutTs = ts;
        }
        counters.forwarded();
        subscriber.sendRtp(out);
    }

    /**
     * Answers a NACK for output sequence number {@code outSeq}: rebuilds the packet from the producer's history with
     * this consumer's rewriting and sends it over RTX. Packets not sent lately, gone from the history (too old to help)
     * or resent less than {@code minIntervalNanos} ago are skipped. Event loop, from a read (flushed at read-complete).
     */
    void retransmit(int outSeq, long nowNanos, long minIntervalNanos) {
        if (closed) {
            return;
        }
        nackedPackets++;
        if (switchSeq >= 0 && SeqNum.isOlder(outSeq & 0xFFFF, switchSeq)) {
            retransmitMissed++;
            counters.drop(DropReason.RETRANSMIT_BEFORE_SWITCH);
            return;
        }
        ByteBuf rtx = retransmitter == null ? null : retransmitter.answer(outSeq, producer, extensionIdMap,
                subscriber.transportCcExtensionId(), nowNanos, minIntervalNanos);
        if (rtx != null) {
            retransmitted++;
            counters.retransmitted();
            subscriber.sendRtp(rtx);
            return;
        }
        int why = retransmitter == null ? Retransmitter.NO_RTX : retransmitter.outcome();
        if (why != Retransmitter.THROTTLED) {
            retransmitMissed++;
        }
        counters.drop(switch (why) {
            case Retransmitter.NO_RTX -> DropReason.RETRANSMIT_NO_RTX;
            case Retransmitter.UNKNOWN -> DropReason.RETRANSMIT_UNKNOWN;
            case Retransmitter.TOO_OLD -> DropReason.RETRANSMIT_TOO_OLD;
            case Retransmitter.THROTTLED -> DropReason.RETRANSMIT_THROTTLED;
            case Retransmitter.MALFORMED -> DropReason.RTP_MALFORMED;
            default -> DropReason.SEND_NO_ROOM;
        });
    }

    /**
     * For bandwidth probing: an RTX copy of the packet forwarded {@code back} packets before the newest one (0 = the
     * newest), when it is still in the producer's history and after the latest layer switch; else null. The caller
     * owns and sends it.
     */
    ByteBuf probeCopy(int back, int transportCcId, long nowNanos) {
        if (retransmitter == null || closed || packets == 0) {
            return null;
        }
        int outSeq = (lastOutSeq - back) & 0xFFFF;
        if (switchSeq >= 0 && SeqNum.isOlder(outSeq, switchSeq)) {
            return null;
        }
        return retransmitter.duplicate(outSeq, producer, extensionIdMap, transportCcId, nowNanos);
    }

    /**
     * A padding-only packet on this consumer's RTX stream, for bandwidth probing; null when it has no RTX or has not
     * forwarded anything yet. The caller owns and sends it.
     */
    ByteBuf padding(int bytes, int transportCcId) {
        if (retransmitter == null || closed || packets == 0) {
            return null;
        }
        return retransmitter.padding(bytes, lastOutTs, transportCcId);
    }

    /**
     * The sender report for this stream at {@code nowNanos}: Prism's NTP time, and the RTP timestamp that the publisher's
     * clock shows at that instant (from its own last sender report for the forwarded layer) moved onto this consumer's
     * output timeline. Audio and video of one publisher thus keep the publisher's relative timing: lip sync survives
     * the rewriting. Null before the first packet or the publisher's first sender report.
     */
    SenderReport senderReport(long nowNanos, NtpClock ntp) {
        if (closed || packets == 0) {
            return null;
        }
        ProducerLayer layer = producer.layer(Math.min(srLayer, producer.layerCount() - 1));
        if (!layer.hasSenderReport()) {
            return null;
        }
        long rtp = (layer.rtpTimestampAt(nowNanos) + srTimestampOffset) & 0xFFFF_FFFFL;
        return new SenderReport(ssrc, ntp.ntp(nowNanos), rtp, packets & 0xFFFF_FFFFL, payloadBytes & 0xFFFF_FFFFL,
                List.of());
    }

    /** The subscriber's report block about this stream, with the round trip it measures (-1 when unknown). */
    void onReceiverReport(ReportBlock block, long rttNanos) {
        lastReport = block;
        if (rttNanos >= 0) {
            this.rttNanos = rttNanos;
        }
    }

    /**
     * Forwards again after {@link #close()} (media repair), continuing the subscriber's sequence and timeline from the
     * last packet it got, from the next keyframe. False when the producer is gone (the track went away).
     */
    public boolean reopen() {
        if (!closed || producer.isClosed()) {
            return false;
        }
        closed = false;
        resync = started;
        if (forwarder != null) {
            forwarder.selector().reset();
        }
        producer.addConsumer(this);
        requestKeyframe();
        return true;
    }

    /**
     * Makes this new consumer continue what {@code previous} sent to the same subscriber on the same SSRC (a track
     * re-subscribed after its consumer was lost): sequence numbers and timestamps go on from where it stopped.
     */
    public void continueFrom(Consumer previous) {
        if (forwarder != null && previous.forwarder != null && previous.packets > 0 && packets == 0
                && previous.producer.layerCount() == producer.layerCount()) {
            // The previous forwarder holds the output continuity (sequence, timestamps, VP8 counters): take it over.
            forwarder = previous.forwarder;
            forwarder.selector().reset();
            lastForwardNanos = previous.lastForwardNanos;
        } else if (forwarder == null && previous.started && !started) {
            started = true;
            resync = true;
            lastOutSeq = previous.lastOutSeq;
            lastOutTs = previous.lastOutTs;
            lastForwardNanos = previous.lastForwardNanos;
        }
    }

    /** Stops forwarding and detaches from the producer. Idempotent. */
    public void close() {
        if (!closed) {
            closed = true;
            producer.removeConsumer(this);
        }
    }

    void closeFromProducer() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "Consumer[" + id + " ssrc=" + ssrc + (forwarder == null ? "" : " " + forwarder.selector()) + "]";
    }
}
