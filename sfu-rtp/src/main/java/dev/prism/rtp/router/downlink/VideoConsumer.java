package dev.prism.rtp.router.downlink;

import dev.prism.core.rtp.HeaderExtension;
import dev.prism.rtp.codec.Vp8Rewriter;
import dev.prism.rtp.layer.LayerAction;
import dev.prism.rtp.layer.LayerDecision;
import dev.prism.rtp.layer.LayerDropReason;
import dev.prism.rtp.layer.LayerForwarder;
import dev.prism.rtp.layer.LayerSelector;
import dev.prism.rtp.layer.PacketMeta;
import dev.prism.rtp.pacer.PacketClass;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.packet.SeqNum;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer of a video track, simulcast or not, through a {@link LayerForwarder}: the subscriber sees one continuous
 * VP8 stream whatever simulcast layer is forwarded (sequence numbers, timestamps, picture id / TL0PICIDX / KEYIDX
 * rewritten across switches), the layer is the one its bitrate allocation set as target ({@link #setTargetLayer}), a
 * spatial switch waits for a key frame of the new layer (asked for once per switch), and forwarding starts on a key
 * frame. Each packet not forwarded is counted by {@link LayerDropReason}.
 *
 * <p>Loss recovery: every packet sent is logged ({@link SentPacketLog}: output sequence number -> the producer's layer
 * and sequence number, the output timestamp, the VP8 counters the rewriter reports it wrote). A NACK from the
 * subscriber is answered by rebuilding the packet from the producer's history with this consumer's rewriting, sent as
 * RTX (RFC 4588: own SSRC, own sequence numbers, original sequence number in front of the payload) once the subscriber
 * accepted RTX. Without RTX nothing is resent: Prism's SRTP refuses to protect one sequence number twice, and the
 * subscriber recovers with a keyframe. Packets sent before the latest layer switch are not resent either: the decoder
 * starts over from the switch's key frame, and on a path that just became too narrow they would only crowd it out.
 *
 * <p>Threading and buffers as {@link Consumer}.
 */
public final class VideoConsumer extends Consumer {
    private static final Logger log = LoggerFactory.getLogger(VideoConsumer.class);
    private static final LayerDropReason[] DROP_REASONS = LayerDropReason.values();

    private final Retransmitter retransmitter;
    /** Layer selection and output continuity. Taken over by a consumer that continues this one. */
    private LayerForwarder forwarder;
    private final long[] layerDrops = new long[DROP_REASONS.length];
    private long layerSwitches;
    private long layerKeyframeRequests;
    private long keyframeRequestsAnsweredBySwitch;
    private long keyframeReplays;
    private int lastForwardedSpatial = -1;
    /** Retransmissions sent again because the first was reported lost ({@link RepairRetries}). */
    private long retransmitAgain;
    /** This consumer as its subscriber's {@link RepairRetries} sees it (made once, not per retransmission). */
    private final RepairRetries.Target retryTarget = this::retryLostRetransmission;
    /** Second copies sent with a NACK's answer ({@link DownlinkController#repairCopies}). */
    private long retransmitCopies;
    /** Output timestamp of the latest key frame forwarded, -1 before one. */
    private long keyframeOutTs = -1;
    /** Output sequence number of the latest switch's first packet, -1 before any: older ones are not resent. */
    private int switchSeq = -1;

    VideoConsumer(String id, Producer producer, SubscriberEndpoint subscriber, long ssrc, int payloadType,
                  List<HeaderExtension> extensions, ByteBufAllocator allocator, MediaCounters counters) {
        super(id, producer, subscriber, ssrc, payloadType, extensions, counters);
        this.retransmitter = new Retransmitter(allocator, ThreadLocalRandom.current().nextInt(0x10000));
        this.forwarder = new LayerForwarder(subscriber.clock(), LayerSelector.Config.of(producer.layerCount()),
                ThreadLocalRandom.current().nextInt(0x10000), producer.receiveStats().clockRate(), !producer.isH264());
    }

    @Override
    public void setRtx(long rtxSsrc, int rtxPayloadType) {
        retransmitter.setRtx(rtxSsrc, rtxPayloadType);
    }

    @Override
    public long rtxSsrc() {
        return retransmitter.rtxSsrc();
    }

    @Override
    public boolean waitingForKeyframe() {
        return forwarder.selector().currentSpatial() < 0 && forwarder.selector().targetSpatial() >= 0;
    }

    // ---- layers ---------------------------------------------------------------------------------------------------

    @Override
    public LayerSelector selector() {
        return forwarder.selector();
    }

    @Override
    void applyTargetLayer(int spatial, int temporal) {
        forwarder.selector().setTarget(spatial, temporal);
    }

    @Override
    public int targetLayerCode() {
        LayerSelector s = forwarder.selector();
        return s.targetSpatial() < 0 ? -1 : s.targetSpatial() * 256 + s.targetTemporal();
    }

    @Override
    public String currentLayerName() {
        LayerSelector s = forwarder.selector();
        return s.currentSpatial() < 0 ? "none" : LayerNames.of(s.currentSpatial(), s.currentTemporal());
    }

    /** Retransmissions sent again, without a NACK, because transport-cc feedback reported the first one lost. */
    public long retransmittedAgain() {
        return retransmitAgain;
    }

    /** Second copies sent along with a NACK's answer. */
    public long retransmitCopies() {
        return retransmitCopies;
    }

    @Override
    public long layerSwitches() {
        return layerSwitches;
    }

    @Override
    public long layerKeyframeRequests() {
        return layerKeyframeRequests;
    }

    @Override
    public long layerDrops(LayerDropReason reason) {
        return layerDrops[reason.ordinal()];
    }

    // ---- keyframes ------------------------------------------------------------------------------------------------

    /**
     * Asks the publisher for a keyframe of the layer this consumer needs one of: the one it is switching to, else the
     * one it forwards (a subscriber's PLI or FIR). Nothing while the subscriber's transport is not connected: the
     * keyframe could not reach it, and connecting asks for one anyway ({@link SubscriberEndpoint#onConnected}). Nothing
     * either while a switch's own request is pending: its key frame answers this one
     * ({@link LayerSelector#keyframeLayerForSubscriber()}; counted in {@link #keyframeRequestsAnsweredBySwitch()}).
     */
    @Override
    public void requestKeyframe() {
        if (transport != null && !transport.isConnected()) {
            return;
        }
        int layer = forwarder.selector().keyframeLayerForSubscriber();
        if (layer < 0) {
            keyframeRequestsAnsweredBySwitch++;
            return;
        }
        producer.requestKeyframe(layer);
    }

    /** The subscriber's key frame requests not passed on because a pending switch's key frame answers them. */
    public long keyframeRequestsAnsweredBySwitch() {
        return keyframeRequestsAnsweredBySwitch;
    }

    /** The layer a new subscriber starts on: the allocation's target, else the lowest. */
    private int startLayer() {
        return Math.max(0, forwarder.selector().targetSpatial());
    }

    /** Asked once per layer whoever asks: the publisher's throttle coalesces several subscribers joining at once. */
    @Override
    void onSubscriberChecking() {
        if (!closed && forwarder.selector().currentSpatial() < 0) {
            producer.requestKeyframe(startLayer());
        }
    }

    @Override
    void onSubscriberConnected() {
        if (closed) {
            return;
        }
        if (forwarder.selector().currentSpatial() < 0 && producer.replayLatestKeyframe(startLayer(), this) > 0
                && forwarder.selector().currentSpatial() >= 0) {
            keyframeReplays++;
            return; // started from the replayed key frame: nothing to ask for
        }
        requestKeyframe();
    }

    /** Times this consumer started from a key frame replayed from the producer's history (no PLI needed). */
    public long keyframeReplays() {
        return keyframeReplays;
    }

    @Override
    public void restart() {
        forwarder.selector().reset();
        requestKeyframe();
    }

    // ---- forwarding -----------------------------------------------------------------------------------------------

    @Override
    void forward(RtpPacket packet, int spatial, int meta) {
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
                    log.debug("transport={} track={} switched layer {} -> {} ({})", transport.id(), id(),
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
        if (PacketMeta.isKeyframe(meta)) {
            keyframeOutTs = ts; // every packet with this output timestamp is part of the key frame
        }
        // The selector forwards only packets whose VP8 descriptor parsed (PacketMeta.INVALID and padding are dropped
        // above), hence the rewrite below cannot fail on a descriptor it has not already read.
        ByteBuf out = send.copy(packet, ssrc, seq, ts, payloadType, extensionIdMap);
        if (out == null) {
            return;
        }
        int payloadAt = out.writerIndex() - packet.payloadLength() - packet.paddingLength();
        long written = forwarder.rewritePayload(out, payloadAt, packet.payloadLength());
        if (written == Vp8Rewriter.MALFORMED) {
            // Unreachable through a producer (see above); a caller passing a wrong meta loses the copy.
            out.release();
            layerDrops[LayerDropReason.MALFORMED_PAYLOAD.ordinal()]++;
            counters.drop(DropReason.RTP_MALFORMED);
            return;
        }
        retransmitter.record(seq, spatial, packet.sequenceNumber(), ts, Vp8Rewriter.pictureId(written),
                Vp8Rewriter.tl0PicIdx(written), Vp8Rewriter.keyIdx(written));
        srLayer = spatial;
        srTimestampOffset = (ts - packet.timestamp()) & 0xFFFF_FFFFL;
        sent(out, packet.payloadLength(), seq, ts);
    }

    /**
     * Answers a NACK for output sequence number {@code outSeq}: rebuilds the packet from the producer's history with
     * this consumer's rewriting and sends it over RTX. Packets not sent lately, gone from the history (too old to help)
     * or resent less than {@code minIntervalNanos} ago are skipped. Event loop, from a read (flushed at read-complete).
     */
    @Override
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
        ByteBuf rtx = retransmitter.answer(outSeq, producer, extensionIdMap, send.transportCcExtensionId(), nowNanos,
                minIntervalNanos);
        if (rtx != null) {
            sendRepair(rtx, outSeq, 1);
            boolean keyframe = keyframeOutTs >= 0 && retransmitter.outputTimestamp(outSeq) == keyframeOutTs;
            if (subscriber.downlink().repairCopies(keyframe) > 1) {
                // A second copy now: on a lossy path one copy in twenty is lost too, and waiting for the subscriber to
                // notice and ask again (100 ms or more) is what freezes its video.
                ByteBuf copy = retransmitter.duplicate(outSeq, producer, extensionIdMap, send.transportCcExtensionId(),
                        nowNanos);
                if (copy != null) {
                    retransmitCopies++;
                    sendRepair(copy, outSeq, RepairRetries.MAX_TRIES);
                }
            }
            return;
        }
        countMiss(retransmitter.outcome());
    }

    /**
     * A retransmission of output packet {@code outSeq} that the subscriber's transport-cc feedback reported lost: sent
     * again now, as try {@code n} ({@link RepairRetries}), unless the subscriber's own NACK got it resent within
     * {@link Retransmitter#MIN_RESEND_INTERVAL_NANOS} or it can no longer help (before a switch, gone from the history).
     *
     * @return whether it was sent
     */
    boolean retryLostRetransmission(int outSeq, int n, long nowNanos) {
        if (closed || switchSeq >= 0 && SeqNum.isOlder(outSeq & 0xFFFF, switchSeq)) {
            return false;
        }
        ByteBuf rtx = retransmitter.answer(outSeq, producer, extensionIdMap, send.transportCcExtensionId(), nowNanos,
                0);
        if (rtx == null) {
            if (retransmitter.outcome() != Retransmitter.THROTTLED) {
                countMiss(retransmitter.outcome());
            }
            return false;
        }
        retransmitAgain++;
        sendRepair(rtx, outSeq, n);
        return true;
    }

    /** Numbers and sends one retransmission, marked for the estimator and remembered for a retry if it is lost. */
    private void sendRepair(ByteBuf rtx, int outSeq, int n) {
        retransmitted++;
        counters.retransmitted();
        send.sendRepair(rtx, retransmitter.transportCcOffset(), retryTarget, outSeq, n);
    }

    private void countMiss(int why) {
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
     * owns it and sends it with {@link #transportCcOffset()} ({@link SendStage#send}), which numbers it.
     */
    ByteBuf probeCopy(int back, long nowNanos) {
        if (closed || packets == 0) {
            return null;
        }
        int outSeq = (lastOutSeq - back) & 0xFFFF;
        if (switchSeq >= 0 && SeqNum.isOlder(outSeq, switchSeq)) {
            return null;
        }
        return retransmitter.duplicate(outSeq, producer, extensionIdMap, send.transportCcExtensionId(), nowNanos);
    }

    /**
     * A padding-only packet on this consumer's RTX stream, for bandwidth probing; null when it has no RTX or has not
     * forwarded anything yet. The caller owns it and sends it with {@link #transportCcOffset()}.
     */
    ByteBuf padding(int bytes) {
        if (closed || packets == 0) {
            return null;
        }
        return retransmitter.padding(bytes, lastOutTs, send.transportCcExtensionId());
    }

    /** Where the transport-wide element's data is in the latest {@link #probeCopy} or {@link #padding}, -1 none. */
    int transportCcOffset() {
        return retransmitter.transportCcOffset();
    }

    @Override
    void onReopen() {
        forwarder.selector().reset();
    }

    @Override
    public void continueFrom(Consumer previous) {
        if (previous instanceof VideoConsumer v && v.packets > 0 && packets == 0
                && v.producer.layerCount() == producer.layerCount()) {
            // The previous forwarder holds the output continuity (sequence, timestamps, VP8 counters): take it over.
            forwarder = v.forwarder;
            forwarder.selector().reset();
            lastForwardNanos = v.lastForwardNanos;
        }
    }

    @Override
    public String toString() {
        return "Consumer[" + id() + " ssrc=" + ssrc + " " + forwarder.selector() + "]";
    }
}
