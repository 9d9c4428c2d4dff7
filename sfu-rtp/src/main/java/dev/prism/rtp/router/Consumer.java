package dev.prism.rtp.router;

import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaKind;
import dev.prism.rtp.codec.Vp8Payload;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.packet.SeqNum;
import dev.prism.rtp.rtcp.ReportBlock;
import dev.prism.rtp.rtcp.SenderReport;
import dev.prism.rtp.srtp.SrtpSession;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import dev.prism.rtp.transport.WebRtcTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One subscriber's copy of one {@link Producer}: rewrites each packet to what that subscriber negotiated (its SSRC,
 * payload type, header-extension ids; sequence numbers and timestamps kept continuous from a random start) and sends
 * it through the subscriber's transport.
 *
 * <p>Loss recovery: every video packet sent is logged ({@link SentPacketLog}: output sequence number -> the producer's
 * sequence number and the output timestamp). A NACK from the subscriber is answered by rebuilding the packet from the
 * producer's {@link PacketHistory} with this consumer's rewriting, sent as RTX (RFC 4588: own SSRC, own sequence
 * numbers, original sequence number in front of the payload) once the subscriber accepted RTX. Without RTX nothing is
 * resent: Prism's SRTP refuses to protect one sequence number twice, and the subscriber recovers with a keyframe.
 *
 * <p>Threading: the media event loop only. Buffers: each forwarded or retransmitted packet is one pooled heap copy,
 * allocated here and handed to {@link WebRtcTransport#sendRtp}, which owns it from then on.
 */
public final class Consumer {
    /** Room for header-extension growth when one-byte elements become two-byte ones. */
    private static final int EXTENSION_SLACK = 32;

    private final Producer producer;
    private final WebRtcTransport transport;
    private final long ssrc;
    private final int payloadType;
    private final ByteBufAllocator allocator;
    private final MediaCounters counters;
    private final byte[] extensionIdMap = new byte[256];
    private final Retransmitter retransmitter;
    private boolean waitingForKeyframe;
    private boolean started;
    private int seqDelta;
    private long timestampDelta;
    private boolean closed;
    private long packets;
    private long bytes;
    private long payloadBytes;
    private long lastForwardNanos = Long.MIN_VALUE;
    // The newest output, so that a restarted or replacing consumer continues the subscriber's stream seamlessly.
    private int lastOutSeq;
    private long lastOutTs;
    private boolean resync;
    // Loss recovery and the subscriber's view, for stats.
    private long nackedPackets;
    private long retransmitted;
    private long retransmitMissed;
    private ReportBlock lastReport;
    private long rttNanos = -1;

    /**
     * @param ssrc        the SSRC this subscriber was offered for the track
     * @param payloadType the payload type of the codec in this subscriber's m-line
     * @param extensions  the header extensions this subscriber's m-line negotiated
     */
    public Consumer(Producer producer, WebRtcTransport transport, long ssrc, int payloadType,
                    List<HeaderExtension> extensions, ByteBufAllocator allocator, MediaCounters counters) {
        this.producer = producer;
        this.transport = transport;
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.allocator = allocator;
        this.counters = counters;
        this.waitingForKeyframe = producer.kind() == MediaKind.VIDEO;
        this.retransmitter = producer.kind() == MediaKind.VIDEO
                ? new Retransmitter(allocator, ThreadLocalRandom.current().nextInt(0x10000)) : null;
        setExtensions(extensions);
    }

    /**
     * Extensions whose values stay true after forwarding, so they pass through with only the id rewritten. Others
     * (mid, rid, transport-wide sequence numbers) describe the publisher's connection and are dropped.
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

    /** Whether video is held back until the next keyframe. */
    public boolean waitingForKeyframe() {
        return waitingForKeyframe;
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

    /** Video waits for a keyframe so the decoder starts clean; asks the publisher for one now. */
    public void requestKeyframe() {
        producer.requestKeyframe();
    }

    /**
     * Starts over as if new: waits for the next keyframe (video) and asks for it. The sequence and timestamp mapping
     * stays, so the subscriber sees one continuous stream. Used by media repair.
     */
    public void restart() {
        if (producer.kind() == MediaKind.VIDEO) {
            waitingForKeyframe = true;
        }
        requestKeyframe();
    }

    void forward(RtpPacket packet) {
        if (closed) {
            return;
        }
        if (!transport.isConnected()) {
            counters.drop(DropReason.SEND_NOT_CONNECTED);
            return;
        }
        if (waitingForKeyframe) {
            if (!Vp8Payload.isKeyframeStart(packet.buffer(), packet.payloadOffset(), packet.payloadLength())) {
                counters.drop(DropReason.VIDEO_WAITING_FOR_KEYFRAME);
                producer.requestKeyframe();
                return;
            }
            waitingForKeyframe = false;
        }
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
        ByteBuf out = allocator.heapBuffer(packet.length() + EXTENSION_SLACK + SrtpSession.MAX_TRAILER);
        int written = packet.copyRewritten(out, ssrc, seq, ts, payloadType, extensionIdMap);
        if (written < 0) {
            out.release();
            counters.drop(DropReason.SEND_NO_ROOM);
            return;
        }
        if (retransmitter != null) {
            retransmitter.record(seq, packet.sequenceNumber(), ts);
        }
        packets++;
        bytes += written;
        payloadBytes += packet.payloadLength();
        lastForwardNanos = producer.lastPacketNanos();
        if (packets == 1 || SeqNum.isNewer(seq, lastOutSeq)) {
            lastOutSeq = seq; // newest output (reordered older packets do not move it back)
            lastOutTs = ts;
        }
        counters.forwarded();
        transport.sendRtp(out);
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
        ByteBuf rtx = retransmitter == null ? null
                : retransmitter.answer(outSeq, producer.history(), extensionIdMap, nowNanos, minIntervalNanos);
        if (rtx != null) {
            retransmitted++;
            counters.retransmitted();
            transport.sendRtp(rtx);
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
     * The sender report for this stream at {@code nowNanos}: Prism's NTP time, and the RTP timestamp that the publisher's
     * clock shows at that instant (from its own last sender report) moved onto this consumer's output timeline. Audio
     * and video of one publisher thus keep the publisher's relative timing: lip sync survives the rewriting. Null before
     * the first packet or the publisher's first sender report.
     */
    SenderReport senderReport(long nowNanos, NtpClock ntp) {
        if (closed || !started || !producer.hasSenderReport()) {
            return null;
        }
        long rtp = (producer.rtpTimestampAt(nowNanos) + timestampDelta) & 0xFFFF_FFFFL;
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
        if (producer.kind() == MediaKind.VIDEO) {
            waitingForKeyframe = true;
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
        if (previous.started && !started) {
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
}
