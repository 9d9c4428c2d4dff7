package dev.prism.rtp.router.downlink;

import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaKind;
import dev.prism.rtp.alloc.Preferences;
import dev.prism.rtp.alloc.Priority;
import dev.prism.rtp.layer.LayerDropReason;
import dev.prism.rtp.layer.LayerSelector;
import dev.prism.rtp.pacer.PacketClass;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.packet.SeqNum;
import dev.prism.rtp.router.rtcp.NtpClock;
import dev.prism.rtp.router.uplink.PacketSink;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.router.uplink.ProducerLayer;
import dev.prism.rtp.rtcp.ReportBlock;
import dev.prism.rtp.rtcp.SenderReport;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import dev.prism.rtp.transport.WebRtcTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * One subscriber's copy of one {@link Producer}: rewrites each packet to what that subscriber negotiated (its SSRC,
 * payload type, header-extension ids; sequence numbers and timestamps kept continuous from a random start) and sends
 * it through the subscriber's {@link SendStage}, which copies and numbers it for transport-wide feedback.
 *
 * <p>Two kinds, chosen by the producer's media kind ({@link #create}): {@link AudioConsumer} forwards every packet with
 * a fixed offset; {@link VideoConsumer} selects a simulcast layer, keeps VP8 continuous across switches and answers
 * NACKs over RTX. This class holds what both share: the extension map, the counters, the subscriber's view (receiver
 * reports), the output continuity for a consumer that continues another one, sender reports, and the allocation's
 * inputs (priority, preferences). The layer accessors answer for audio here (no layers) and are overridden by video.
 *
 * <p>Threading: the media event loop only. Buffers: each forwarded or retransmitted packet is one pooled heap copy,
 * made by the subscriber's send stage and handed to its transport, which owns it from then on.
 */
public abstract sealed class Consumer implements PacketSink permits AudioConsumer, VideoConsumer {
    /**
     * Extensions whose values stay true after forwarding, so they pass through with only the id rewritten. Others
     * (mid, rid, the publisher's transport-wide sequence numbers) describe the publisher's connection and are dropped;
     * the subscriber's transport-wide number is Prism's own, added to every packet.
     */
    private static final Set<String> PASS_THROUGH = Set.of(HeaderExtension.AUDIO_LEVEL,
            HeaderExtension.ABS_SEND_TIME);

    final Producer producer;
    final SubscriberEndpoint subscriber;
    final SendStage send;
    final WebRtcTransport transport;
    final long ssrc;
    final int payloadType;
    final MediaCounters counters;
    /** What this consumer's packets are to the subscriber's pacer. */
    private final PacketClass packetClass;
    final byte[] extensionIdMap = new byte[256];
    private final String id;
    boolean closed;
    long packets;
    private long bytes;
    private long payloadBytes;
    long lastForwardNanos = Long.MIN_VALUE;
    // The newest output, so that a restarted or replacing consumer continues the subscriber's stream seamlessly.
    int lastOutSeq;
    long lastOutTs;
    // Sender reports: the layer and the output - input timestamp offset of the latest forwarded packet.
    int srLayer;
    long srTimestampOffset;
    // Loss recovery and the subscriber's view, for stats.
    long nackedPackets;
    long retransmitted;
    long retransmitMissed;
    private ReportBlock lastReport;
    private long rttNanos = -1;
    private Priority priority = Priority.NORMAL;
    private Preferences preferences = Preferences.DEFAULT;
    private String layerReason;

    Consumer(String id, Producer producer, SubscriberEndpoint subscriber, long ssrc, int payloadType,
             List<HeaderExtension> extensions, MediaCounters counters) {
        this.id = id;
        this.producer = producer;
        this.subscriber = subscriber;
        this.send = subscriber.sendStage();
        this.transport = subscriber.transport();
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.counters = counters;
        this.packetClass = producer.kind() == MediaKind.AUDIO ? PacketClass.AUDIO : PacketClass.VIDEO;
        setExtensions(extensions);
    }

    /**
     * A consumer of {@code producer} for {@code subscriber}: a {@link VideoConsumer} for video, an
     * {@link AudioConsumer} otherwise. Not attached yet: the caller adds it to the producer and the subscriber.
     *
     * @param id          a stable key for this subscription (allocation state is kept per id), e.g. the track id
     * @param ssrc        the SSRC this subscriber was offered for the track
     * @param payloadType the payload type of the codec in this subscriber's m-line
     * @param extensions  the header extensions this subscriber's m-line negotiated
     * @param allocator   where retransmissions are built (the engine's pooled allocator)
     */
    public static Consumer create(String id, Producer producer, SubscriberEndpoint subscriber, long ssrc,
                                  int payloadType, List<HeaderExtension> extensions, ByteBufAllocator allocator,
                                  MediaCounters counters) {
        return producer.kind() == MediaKind.VIDEO
                ? new VideoConsumer(id, producer, subscriber, ssrc, payloadType, extensions, allocator, counters)
                : new AudioConsumer(id, producer, subscriber, ssrc, payloadType, extensions, counters);
    }

    /** Re-maps header extensions by URI: publisher id -> this subscriber's id; unknown ones are dropped. */
    public void setExtensions(List<HeaderExtension> extensions) {
        Arrays.fill(extensionIdMap, (byte) 0);
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
     * {@code rtxPayloadType} the RTX payload type the subscriber accepted; 0 / -1 turn retransmission off. Audio is
     * never retransmitted.
     */
    public void setRtx(long rtxSsrc, int rtxPayloadType) {
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

    /** The RTX SSRC retransmissions go out on, 0 while RTX is off (always for audio). */
    public long rtxSsrc() {
        return 0;
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

    /** Whether video is held back until the next keyframe (nothing is forwarded); never for audio. */
    public boolean waitingForKeyframe() {
        return false;
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

    // ---- layers (audio has none; VideoConsumer overrides) -----------------------------------------------------------

    /** The video layer selector (target / current layers), null for audio. */
    public LayerSelector selector() {
        return null;
    }

    /**
     * The layer to forward, from the subscriber's committed bitrate allocation: spatial -1 pauses; temporal is the
     * highest temporal layer. {@code reason} says why (for the admin view), e.g. {@code optimal} or {@code limited}.
     * Audio ignores the layers.
     */
    public void setTargetLayer(int spatial, int temporal, String reason) {
        layerReason = reason;
        applyTargetLayer(spatial, temporal);
    }

    /** Applies {@link #setTargetLayer}'s layers; nothing for audio. */
    void applyTargetLayer(int spatial, int temporal) {
    }

    /**
     * The target layer as a number that changes whenever {@link #targetLayerName()} does, without building a string:
     * {@code spatial * 256 + temporal}, -1 when paused, {@link Integer#MIN_VALUE} for audio.
     */
    public int targetLayerCode() {
        return Integer.MIN_VALUE;
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
        return code < 0 ? "paused" : LayerNames.of(code >> 8, code & 0xFF);
    }

    /** The layer forwarded now, e.g. {@code s0t1}, or {@code none}; null for audio. */
    public String currentLayerName() {
        return null;
    }

    /** Why the target layer is what it is, from the latest allocation; null before the first. */
    public String layerReason() {
        return layerReason;
    }

    /** Spatial layer switches of the forwarded stream (not counting the first start). */
    public long layerSwitches() {
        return 0;
    }

    /** Keyframe requests this consumer's layer switches asked for (before the producer's throttle). */
    public long layerKeyframeRequests() {
        return 0;
    }

    /** Packets not forwarded for {@code reason}. */
    public long layerDrops(LayerDropReason reason) {
        return 0;
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
     * Asks the publisher for a keyframe of the layer this consumer needs one of (a subscriber's PLI or FIR); nothing
     * for audio, and nothing while the subscriber's transport is not connected.
     */
    public abstract void requestKeyframe();

    /**
     * The subscriber's first ICE check arrived (its transport is not connected yet): a video consumer asks for its
     * key frame now, so that the publisher's answer travels while DTLS runs. Nothing for audio.
     */
    void onSubscriberChecking() {
    }

    /**
     * The subscriber's transport connected: a video consumer starts from the latest key frame still in the producer's
     * history ({@link Producer#replayLatestKeyframe}) or else asks for one. Nothing for audio.
     */
    void onSubscriberConnected() {
        requestKeyframe();
    }

    /**
     * Starts over as if new: waits for the next keyframe (video) and asks for it. The sequence and timestamp mapping
     * stays, so the subscriber sees one continuous stream. Used by media repair.
     */
    public abstract void restart();

    // ---- forwarding -----------------------------------------------------------------------------------------------

    /** The producer's packet: forwarded when this consumer is open and its subscriber connected. */
    @Override
    public final void onPacket(RtpPacket packet, int spatial, int meta) {
        if (closed) {
            return;
        }
        if (!transport.isConnected()) {
            counters.drop(DropReason.SEND_NOT_CONNECTED);
            return;
        }
        forward(packet, spatial, meta);
    }

    /** One packet to rewrite and send. Hot path: one pooled copy when forwarded, nothing else allocated. */
    abstract void forward(RtpPacket packet, int spatial, int meta);

    /**
     * Counts and sends {@code out}, the rewritten copy (all of it readable) the send stage's latest copy returned.
     * Takes ownership.
     */
    final void sent(ByteBuf out, int payloadLength, int seq, long ts) {
        packets++;
        bytes += out.readableBytes();
        payloadBytes += payloadLength;
        lastForwardNanos = producer.lastPacketNanos();
        if (packets == 1 || SeqNum.isNewer(seq, lastOutSeq)) {
            lastOutSeq = seq; // newest output (reordered older packets do not move it back)
            lastOutTs = ts;
        }
        counters.forwarded();
        send.sendCopy(out, packetClass);
    }

    /**
     * Answers a NACK for output sequence number {@code outSeq} (see {@link VideoConsumer}); audio is never resent.
     * Event loop, from a read (flushed at read-complete).
     */
    abstract void retransmit(int outSeq, long nowNanos, long minIntervalNanos);

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
        onReopen();
        producer.addConsumer(this);
        requestKeyframe();
        return true;
    }

    /** {@link #reopen}'s own part: resynchronise the output (audio) or wait for a keyframe again (video). */
    abstract void onReopen();

    /**
     * Makes this new consumer continue what {@code previous} sent to the same subscriber on the same SSRC (a track
     * re-subscribed after its consumer was lost): sequence numbers and timestamps go on from where it stopped.
     * Nothing when {@code previous} is of the other kind or this one has already sent.
     */
    public abstract void continueFrom(Consumer previous);

    /** Stops forwarding and detaches from the producer. Idempotent. */
    public void close() {
        if (!closed) {
            closed = true;
            producer.removeConsumer(this);
        }
    }

    @Override
    public void onProducerClosed() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "Consumer[" + id + " ssrc=" + ssrc + "]";
    }
}
