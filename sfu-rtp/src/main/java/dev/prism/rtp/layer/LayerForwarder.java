package dev.prism.rtp.layer;

import dev.prism.core.clock.MonoClock;
import dev.prism.rtp.codec.Vp8Rewriter;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.packet.SeqRewriter;
import dev.prism.rtp.packet.TimestampRewriter;
import io.netty.buffer.ByteBuf;

/**
 * One VP8 or H.264 simulcast consumer's forwarding state: the {@link LayerSelector} plus the rewriters that keep its single
 * output stream continuous (sequence numbers, timestamps, VP8 picture id / TL0PICIDX / KEYIDX). It applies each
 * decision to the rewriters, so the consumer only does the I/O:
 *
 * <pre>{@code
 * LayerDecision d = forwarder.onPacket(packet, spatialIndexOf(packet.ssrc()));
 * if (d.requestKeyframe()) producer.requestKeyframe(forwarder.selector().keyframeLayer());
 * if (!d.forwarded()) { count(d.reason()); return; }
 * ByteBuf out = pooled copy;  int n = packet.copyRewritten(out, ssrc, forwarder.outSequence(),
 *                                                            forwarder.outTimestamp(), pt, extMap);
 * int payloadAt = out.writerIndex() - packet.payloadLength() - packet.paddingLength();
 * forwarder.rewritePayload(out, payloadAt, packet.payloadLength());   // in the consumer's own copy
 * }</pre>
 *
 * <p>Zero allocation per packet. Not thread-safe: one instance per video consumer, on the room's event loop. It
 * borrows the packet for the duration of {@link #onPacket}; {@link #rewritePayload} writes only into the caller's copy.
 */
public final class LayerForwarder {
    private final MonoClock clock;
    private final LayerSelector selector;
    private final SeqRewriter seq;
    private final TimestampRewriter timestamps;
    private final Vp8Rewriter vp8 = new Vp8Rewriter();
    /** False for a codec without a VP8 payload descriptor (H.264): no picture id to keep continuous. */
    private final boolean rewriteVp8;
    private int outSeq;
    private long outTs;

    /** {@link #rewritePayload} result when nothing was rewritten: every {@link Vp8Rewriter} field reads as absent. */
    public static final long NOTHING_WRITTEN = 0L;

    /**
     * A VP8 forwarder.
     *
     * @param firstSequence the subscriber's first output sequence number (0..65535), or -1 to keep the publisher's
     * @param clockRate     RTP clock rate of the codec (90000 for VP8)
     */
    public LayerForwarder(MonoClock clock, LayerSelector.Config config, int firstSequence, int clockRate) {
        this(clock, config, firstSequence, clockRate, true);
    }

    /**
     * @param rewriteVp8 true for VP8 (the payload descriptor's picture id / TL0PICIDX / KEYIDX are rewritten); false
     *                   for H.264, whose payload carries no such counter: only sequence numbers and timestamps are
     *                   rewritten, and packets are read with {@link PacketMeta#h264}
     */
    public LayerForwarder(MonoClock clock, LayerSelector.Config config, int firstSequence, int clockRate,
                          boolean rewriteVp8) {
        this.rewriteVp8 = rewriteVp8;
        this.clock = clock;
        this.selector = new LayerSelector(clock, config);
        this.seq = new SeqRewriter(firstSequence, SeqRewriter.DEFAULT_HISTORY);
        this.timestamps = new TimestampRewriter(clockRate);
    }

    public LayerSelector selector() {
        return selector;
    }

    /**
     * Decides what to do with one packet and updates the rewriters. When the result is {@link LayerDecision#forwarded()}
     * {@link #outSequence()} and {@link #outTimestamp()} hold the packet's output header values. A forwarded decision
     * can still turn into {@link LayerDropReason#STALE} here, with the key frame request flag kept.
     *
     * @param spatial the packet's spatial layer index (from the producer's SSRC -> layer map), -1 when unmapped
     */
    public LayerDecision onPacket(RtpPacket packet, int spatial) {
        return onPacket(packet, spatial, rewriteVp8
                ? PacketMeta.vp8(packet.buffer(), packet.payloadOffset(), packet.payloadLength())
                : PacketMeta.h264(packet.buffer(), packet.payloadOffset(), packet.payloadLength()));
    }

    /**
     * As {@link #onPacket(RtpPacket, int)} with the packet's {@link PacketMeta} already read: the producer reads it
     * once per packet (it needs it for {@code LayerStats} too) and hands it to every consumer.
     */
    public LayerDecision onPacket(RtpPacket packet, int spatial, int meta) {
        ByteBuf buf = packet.buffer();
        int payloadOffset = packet.payloadOffset();
        int payloadLength = packet.payloadLength();
        LayerDecision d = selector.decide(spatial, meta);
        switch (d.action()) {
            case SKIP -> {
                seq.drop(packet.sequenceNumber());
                if (rewriteVp8) {
                    vp8.drop(buf, payloadOffset, payloadLength);
                }
                return d;
            }
            case DROP -> {
                return d;
            }
            case SWITCH -> {
                seq.switchSource();
                timestamps.switchSource();
                if (rewriteVp8) {
                    vp8.switchSource();
                }
            }
            case FORWARD -> {
            }
        }
        int s = seq.rewrite(packet.sequenceNumber());
        if (s == SeqRewriter.DROP) {
            return LayerDecision.drop(LayerDropReason.STALE, d.requestKeyframe());
        }
        outSeq = s;
        outTs = timestamps.rewrite(packet.timestamp(), clock.nanos() / 1000);
        return d;
    }

    /** Output sequence number of the latest forwarded packet. */
    public int outSequence() {
        return outSeq;
    }

    /** Output RTP timestamp of the latest forwarded packet. */
    public long outTimestamp() {
        return outTs;
    }

    /**
     * Rewrites the VP8 descriptor in the consumer's copy of the latest forwarded packet.
     *
     * @return what was written ({@link Vp8Rewriter#pictureId(long)} and its siblings read it), or
     *     {@link Vp8Rewriter#MALFORMED} when the descriptor is malformed (the caller drops the copy and counts it);
     *     {@link #NOTHING_WRITTEN} for H.264, which has nothing to rewrite
     */
    public long rewritePayload(ByteBuf copy, int payloadOffset, int payloadLength) {
        return rewriteVp8 ? vp8.rewrite(copy, payloadOffset, payloadLength) : NOTHING_WRITTEN;
    }

    /** Output continuity state, for a consumer that rebuilds retransmissions or reports stats. */
    public int lastOutputSequence() {
        return seq.lastOutput();
    }
}
