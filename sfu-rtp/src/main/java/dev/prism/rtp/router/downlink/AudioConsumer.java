package dev.prism.rtp.router.downlink;

import dev.prism.core.rtp.HeaderExtension;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A consumer of an audio track: every packet is forwarded as it comes, its sequence number and timestamp moved by a
 * fixed offset from a random start ({@code out = in + delta}). After a pause (the consumer was closed and reopened, or
 * continues another one) the offsets are set again so that the output goes on right after the last packet sent: no gap
 * for the receiver to NACK, time moved on by the pause. Audio has no layers, keyframes or retransmissions. Opus RED
 * (RFC 2198) goes to the subscriber as it is when its answer kept RED, else as plain Opus ({@link RedForwarder}).
 *
 * <p>Threading and buffers as {@link Consumer}.
 */
public final class AudioConsumer extends Consumer {
    private boolean started;
    private boolean resync;
    private int seqDelta;
    private long timestampDelta;
    private final RedForwarder red;
    private final TopNAudioGate topN = new TopNAudioGate();

    AudioConsumer(String id, Producer producer, SubscriberEndpoint subscriber, long ssrc, int payloadType,
                  List<HeaderExtension> extensions, MediaCounters counters) {
        super(id, producer, subscriber, ssrc, payloadType, extensions, counters);
        this.red = new RedForwarder(producer.description(), payloadType, counters);
    }

    /**
     * The subscriber's answer kept Opus RED on {@code redPayloadType}: RED packets go to it as they are; -1 (the
     * default): they are stripped to plain Opus. See {@link RedForwarder}.
     */
    public void setRedPayloadType(int redPayloadType) {
        red.setSubscriberRedPayloadType(redPayloadType);
    }

    /** The RED payload type RED packets go to this subscriber on, -1 when they are stripped to Opus. */
    public int redPayloadType() {
        return red.subscriberRedPayloadType();
    }

    /** RED packets stripped to Opus for this subscriber, and RED packets forwarded to it as RED. */
    public long redStripped() {
        return red.stripped();
    }

    public long redForwarded() {
        return red.forwardedRed();
    }

    @Override
    void forward(RtpPacket packet, int spatial, int meta) {
        int gate = topN.admit(producer.audioLevel() == null ? -1 : producer.audioLevel().lastLevel(),
                producer.lastPacketNanos());
        if (gate == TopNAudioGate.WITHHOLD) {
            counters.drop(DropReason.AUDIO_TOP_N);
            return;
        }
        resync |= gate == TopNAudioGate.RESUME && started; // a withheld run is a pause, not a gap
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
        int pt = red.payloadType(packet);
        if (pt < 0) {
            return; // RED that cannot become Opus: counted
        }
        ByteBuf out = send.copy(packet, ssrc, seq, ts, pt, extensionIdMap);
        if (out == null) {
            return;
        }
        int payloadLength = red.finish(out, packet); // RED as is, or stripped to Opus, before SRTP and numbering
        srLayer = 0;
        srTimestampOffset = timestampDelta & 0xFFFF_FFFFL;
        sent(out, payloadLength, seq, ts);
        counters.audioForwarded();
    }

    /** Top-N audio's decision for this subscriber (always forwarding while top-N is off). */
    public TopNAudioGate topNGate() {
        return topN;
    }

    /** Audio is not retransmitted: the NACK is counted as missed (no RTX). */
    @Override
    void retransmit(int outSeq, long nowNanos, long minIntervalNanos) {
        if (closed) {
            return;
        }
        nackedPackets++;
        retransmitMissed++;
        counters.drop(DropReason.RETRANSMIT_NO_RTX);
    }

    /** Audio needs no keyframe. */
    @Override
    public void requestKeyframe() {
    }

    /** Nothing to wait for: audio goes on with the next packet. */
    @Override
    public void restart() {
    }

    @Override
    void onReopen() {
        resync = started;
    }

    @Override
    public void continueFrom(Consumer previous) {
        if (previous instanceof AudioConsumer a && a.started && !started) {
            started = true;
            resync = true;
            lastOutSeq = previous.lastOutSeq;
            lastOutTs = previous.lastOutTs;
            lastForwardNanos = previous.lastForwardNanos;
        }
    }
}
