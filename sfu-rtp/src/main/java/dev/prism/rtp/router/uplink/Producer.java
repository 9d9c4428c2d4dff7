package dev.prism.rtp.router.uplink;

import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtcpFeedback;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.rtp.alloc.LayerStats;
import dev.prism.rtp.codec.H264Sps;
import dev.prism.rtp.codec.Vp8Payload;
import dev.prism.rtp.layer.LayerSelector;
import dev.prism.rtp.layer.PacketMeta;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.packet.Rtx;
import dev.prism.rtp.router.rtcp.NtpClock;
import dev.prism.rtp.router.rtcp.RtcpSender;
import dev.prism.rtp.rtcp.ReportBlock;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import dev.prism.rtp.transport.WebRtcTransport;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One incoming track from a publisher: the RTP stream(s) it sends and the {@link PacketSink}s (the downlink's
 * consumers) it fans out to.
 *
 * <p>A track is one {@link ProducerLayer} per RTP stream: one for a plain track, one per simulcast encoding (spatial
 * layer 0 = lowest resolution, in the order of the publisher's {@code a=simulcast}). Each layer keeps its own
 * loss-recovery state: a {@link PacketHistory} of the last second (subscribers' NACKs are answered from it), a
 * {@link NackGenerator} that asks the publisher for packets that did not arrive (when the publisher negotiated NACK),
 * the publisher's RTX stream unwrapped back into the original packets, and a {@link KeyframeRequestThrottle} that
 * coalesces everyone's keyframe requests. Every layer keeps RFC 3550 reception statistics for receiver reports and the
 * NTP/RTP mapping of the publisher's last sender report, which consumers carry over into their own sender reports (lip
 * sync). {@link #layerStats()} measures each layer's bitrate (on the wire: {@link #WIRE_OVERHEAD_BYTES} per packet
 * included) and frame rate for the bitrate allocators; {@link #totals()} sums the layers' counters for stats readers.
 *
 * <p>Per packet the producer reads what the layer selectors need ({@link PacketMeta}) once and hands the packet, its
 * spatial layer and that meta to every sink.
 *
 * <p>Threading: the media event loop only. The consumer list is an array replaced on change, so the fan-out loop
 * iterates it without an iterator or lock.
 *
 * <p>Buffers: {@link #onRtp} borrows the decrypted packet; the history {@code retain()}s it (see {@link PacketHistory})
 * and releases it when it is overwritten, expires, or {@link #closeAll()} runs.
 */
public final class Producer {
    /** Window of the per-layer bitrate and frame rate measurement. */
    static final long LAYER_STATS_WINDOW_MILLIS = 1000;
    /**
     * What forwarding one packet costs on the wire beyond its RTP bytes: IPv4 and UDP headers (28) and the SRTP tag
     * (at most 16). Layer bitrates and the downlink estimate both count it, so that the allocation compares like with
     * like and a stream of small packets (audio) is not taken for cheaper than it is.
     */
    public static final int WIRE_OVERHEAD_BYTES = 28 + 16;

    private final String trackId;
    private final String participantId;
    private final MediaDescription description;
    private final byte[] midBytes;
    private final RtpCodec codec;
    private final int rtxPayloadType;
    private final WebRtcTransport transport;
    private final RtcpSender rtcp;
    private final MediaCounters counters;
    private final LongSupplier rttNanos;
    private final String[] extensionUriById = new String[256];
    private final ProducerLayer[] layers;
    private final LayerStats layerStats;
    private final ProducerTotals totals;
    private final boolean video;
    /** An H.264 track (RFC 6184): read with {@link PacketMeta#h264}, else VP8. */
    private final boolean h264;
    /** The RFC 6464 level reader of an audio track whose publisher negotiated the extension, else null. */
    private final AudioLevelMeter audioLevel;
    private final RtpPacket rtxView = new RtpPacket();
    private final RtpPacket replayView = new RtpPacket();
    private final int[] nackScratch = new int[64];
    /** Array replaced on change: the fan-out loop needs neither a lock nor an iterator. */
    private final SinkArray sinks = new SinkArray();
    private boolean closed;

    /**
     * @param description what the publisher negotiated for this track (its payload types, extension ids, RTX, NACK);
     *                    more than one encoding makes it simulcast, one layer per encoding in order, with the SSRCs
     *                    the encodings name (0: learned from the packets)
     * @param ssrc        the SSRC of the stream it sends when there is one encoding (or none), 0 when unknown
     * @param rtxSsrc     the SSRC of its RTX stream, 0 for none
     * @param keyframeRequestIntervalMillis at most one PLI per stream in this interval (see
     *                    {@link KeyframeRequestThrottle})
     * @param rttNanos    the current round-trip estimate to the publisher (NACK retry timing)
     */
    public Producer(String trackId, String participantId, MediaDescription description, long ssrc, long rtxSsrc,
                    WebRtcTransport transport, RtcpSender rtcp, long keyframeRequestIntervalMillis,
                    MediaCounters counters, LongSupplier rttNanos) {
        this.trackId = trackId;
        this.participantId = participantId;
        this.description = description;
        this.midBytes = description.mid() == null ? new byte[0]
                : description.mid().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.codec = description.primaryCodec();
        this.transport = transport;
        this.rtcp = rtcp;
        this.counters = counters;
        this.rttNanos = rttNanos;
        for (HeaderExtension e : description.extensions()) {
            if (e.id() > 0 && e.id() < 256) {
                extensionUriById[e.id()] = e.uri();
            }
        }
        this.video = description.kind() == MediaKind.VIDEO;
        this.audioLevel = video ? null : AudioLevelMeter.of(description);
        this.h264 = video && codec != null && codec.name().equalsIgnoreCase("H264");
        RtpCodec rtx = codec == null ? null : description.rtxFor(codec.payloadType());
        this.rtxPayloadType = rtx == null ? -1 : rtx.payloadType();
        boolean nackNegotiated = codec != null && codec.feedback().contains(new RtcpFeedback("nack", ""));
        List<RtpEncoding> encodings = description.encodings();
        int n = video && encodings.size() > 1 ? Math.min(encodings.size(), LayerSelector.MAX_SPATIAL_LAYERS) : 1;
        this.layers = new ProducerLayer[n];
        for (int i = 0; i < n; i++) {
            RtpEncoding e = n == 1 ? null : encodings.get(i);
            String rid = n == 1 ? (encodings.size() == 1 ? encodings.get(0).rid() : null) : e.rid();
            long s = n == 1 ? ssrc : e.ssrc();
            long r = n == 1 ? rtxSsrc : e.rtxSsrc();
            layers[i] = new ProducerLayer(this, i, rid, s, rtx == null ? 0 : r,
                    video ? new PacketHistory() : null,
                    video && nackNegotiated ? new NackGenerator() : null,
                    new ReceiveStreamStats(codec == null ? 90000 : codec.clockRate()),
                    new KeyframeRequestThrottle(rtcp.clock(), keyframeRequestIntervalMillis));
        }
        this.layerStats = new LayerStats(rtcp.clock(), LAYER_STATS_WINDOW_MILLIS);
        this.totals = new ProducerTotals(layers);
    }

    public String trackId() {
        return trackId;
    }

    public String participantId() {
        return participantId;
    }

    public MediaKind kind() {
        return description.kind();
    }

    /** The mid of the publisher's m-line. */
    public String mid() {
        return description.mid();
    }

    /** The RTP streams of this track, spatial layer order (one unless simulcast). */
    public List<ProducerLayer> layers() {
        return List.of(layers);
    }

    /** Number of spatial layers (1 unless simulcast). */
    public int layerCount() {
        return layers.length;
    }

    public ProducerLayer layer(int index) {
        return layers[index];
    }

    /** Whether the publisher sends this track as several simulcast encodings. */
    public boolean isSimulcast() {
        return layers.length > 1;
    }

    /** Measured bitrate and frame rate per (spatial, temporal) layer, for allocation and the admin view. */
    public LayerStats layerStats() {
        return layerStats;
    }

    /** The SSRC of the lowest layer (the only one unless simulcast); 0 while not learned. */
    public long ssrc() {
        for (ProducerLayer l : layers) {
            if (l.ssrc != 0) {
                return l.ssrc;
            }
        }
        return 0;
    }

    /** The publisher's RTX SSRC for the first stream, 0 when it sends none. */
    public long rtxSsrc() {
        return layers[0].rtxSsrc;
    }

    /** The payload type of the publisher's RTX, -1 when it negotiated none. */
    int rtxPayloadType() {
        return rtxPayloadType;
    }

    /** True for an H.264 video track: its payloads are read as RFC 6184 and carry nothing to rewrite. */
    public boolean isH264() {
        return h264;
    }

    public RtpCodec codec() {
        return codec;
    }

    /** What the publisher negotiated for this track: payload types (Opus and its RED, VP8 and its RTX), extensions. */
    public MediaDescription description() {
        return description;
    }

    /** Reception statistics of the first stream (loss after repair, jitter); per layer see {@link #layers()}. */
    public ReceiveStreamStats receiveStats() {
        return layers[0].stats;
    }

    /** The track's counters summed over its layers (packets, bytes, NACKs, key frames): stats and admin readers. */
    public ProducerTotals totals() {
        return totals;
    }

    /** Clock reading when the last packet of any layer arrived, {@link Long#MIN_VALUE} before the first (hot path). */
    public long lastPacketNanos() {
        long last = Long.MIN_VALUE;
        for (ProducerLayer l : layers) {
            last = Math.max(last, l.lastPacketNanos);
        }
        return last;
    }

    /** The audio level of an audio track whose publisher negotiated RFC 6464's extension; null otherwise. */
    public AudioLevelMeter audioLevel() {
        return audioLevel;
    }

    /** The URI the publisher negotiated for header extension {@code id}, or null. */
    public String extensionUri(int id) {
        return extensionUriById[id];
    }

    /** The history of layer 0, subscribers' NACKs are answered from; null for audio. */
    public PacketHistory history() {
        return layers[0].history;
    }

    /** The history of spatial layer {@code index}; null for audio or an index out of range. */
    public PacketHistory history(int index) {
        return index >= 0 && index < layers.length ? layers[index].history : null;
    }

    /** Whether {@code len} bytes at {@code offset} of {@code buf} spell this track's mid. No allocation. */
    boolean midEquals(ByteBuf buf, int offset, int len) {
        if (len != midBytes.length || len == 0) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (buf.getByte(offset + i) != midBytes[i]) {
                return false;
            }
        }
        return true;
    }

    /** Forwards one packet of the first stream to every consumer (tests and single-stream callers). */
    void onRtp(RtpPacket packet) {
        onRtp(layerOf(packet.ssrc()), packet);
    }

    /** Forwards one packet of {@code layer} to every consumer. Hot path: no allocation beyond each consumer's copy. */
    void onRtp(ProducerLayer layer, RtpPacket packet) {
        onPacket(layer, packet, false);
    }

    private ProducerLayer layerOf(long ssrc) {
        for (ProducerLayer l : layers) {
            if (l.ssrc == ssrc) {
                return l;
            }
        }
        return layers[0];
    }

    /** One packet of the publisher's RTX stream, on the first layer (tests and single-stream callers). */
    void onRtx(RtpPacket packet) {
        onRtx(layers[0], packet);
    }

    /**
     * One packet of {@code layer}'s RTX stream: a retransmission is turned back into the original packet in place and
     * handled like it; padding (bandwidth probes) and duplicates are dropped.
     */
    void onRtx(ProducerLayer layer, RtpPacket packet) {
        if (closed || rtxPayloadType < 0 || packet.payloadType() != rtxPayloadType) {
            counters.drop(DropReason.RTP_RTX_UNUSED);
            return;
        }
        if (packet.payloadLength() < Rtx.OSN_LENGTH) {
            counters.drop(DropReason.RTP_RTX_UNUSED); // padding only: the publisher probing for bandwidth
            return;
        }
        if (layer.ssrc == 0) {
            counters.drop(DropReason.RTP_RTX_UNUSED); // the repaired stream is not known yet
            return;
        }
        int osn = packet.buffer().getUnsignedShort(packet.payloadOffset());
        if (layer.history != null && layer.history.contains(osn)) {
            layer.rtxDuplicates++;
            counters.drop(DropReason.RTP_RTX_DUPLICATE);
            return;
        }
        Rtx.unwrapInPlace(packet.buffer(), packet.offset(), packet.payloadOffset(), layer.ssrc, codec.payloadType());
        if (!rtxView.wrap(packet.buffer())) {
            counters.drop(DropReason.RTP_MALFORMED);
            return;
        }
        layer.rtxRecovered++;
        counters.repairedByRtx();
        try {
            onPacket(layer, rtxView, true);
        } finally {
            rtxView.clear();
        }
    }

    private void onPacket(ProducerLayer layer, RtpPacket packet, boolean retransmission) {
        if (closed) {
            return;
        }
        long now = rtcp.clock().nanos();
        layer.lastPacketNanos = now;
        int seq = packet.sequenceNumber();
        layer.packets++;
        layer.bytes += packet.length();
        layer.stats.onPacket(seq, packet.timestamp(), now, retransmission);
        int meta = !video ? PacketMeta.of(0, PacketMeta.KEYFRAME)
                : h264 ? PacketMeta.h264(packet.buffer(), packet.payloadOffset(), packet.payloadLength())
                : PacketMeta.vp8(packet.buffer(), packet.payloadOffset(), packet.payloadLength());
        NackGenerator nacks = layer.nacks;
        if (nacks != null) {
            // The timestamp and key frame start tell the generator which gaps belong to a key frame (asked for first).
            int r = nacks.onPacket(seq, now, packet.timestamp(),
                    meta != PacketMeta.INVALID && PacketMeta.isKeyframe(meta));
            if (r == NackGenerator.GAP) {
                sendNacks(layer, now);
            } else if (r == NackGenerator.RESET) {
                requestKeyframe(layer.index());
            } else if (r == NackGenerator.RECOVERED && nacks.lastRecoveryDelayNanos() >= 0) {
                layer.recoveryRtt = nacks.lastRecoveryDelayNanos();
            }
        }
        if (video) {
            ByteBuf buf = packet.buffer();
            int payload = packet.payloadOffset();
            int length = packet.payloadLength();
            layer.history.add(buf, seq, now);
            layer.latestKeyframe.onPacket(seq, packet.timestamp(),
                    meta != PacketMeta.INVALID && PacketMeta.isKeyframe(meta), now);
            if (meta != PacketMeta.INVALID && PacketMeta.isKeyframe(meta)) {
                layer.keyframes++;
                layer.keyframeThrottle.onKeyframe();
                if (h264) {
                    int d = H264Sps.dimensions(buf, payload, length); // the SPS packet of an H.264 key frame
                    if (d != H264Sps.ABSENT) {
                        layer.width = H264Sps.width(d);
                        layer.height = H264Sps.height(d);
                    }
                } else {
                    int w = Vp8Payload.keyframeWidth(buf, payload, length);
                    if (w > 0) {
                        layer.width = w;
                        layer.height = Vp8Payload.keyframeHeight(buf, payload, length);
                    }
                }
            }
            if (meta != PacketMeta.INVALID && !PacketMeta.isPaddingOnly(meta)) {
                layerStats.onPacket(layer.index(), PacketMeta.temporalId(meta), packet.length() + WIRE_OVERHEAD_BYTES,
                        PacketMeta.isFrameStart(meta));
            }
        } else {
            layerStats.onPacket(0, 0, packet.length() + WIRE_OVERHEAD_BYTES, true);
            if (audioLevel != null) {
                audioLevel.onPacket(packet, now); // before the fan-out: top-N gates read this packet's level
            }
        }
        int spatial = layer.index();
        PacketSink[] cs = sinks.array();
        for (int i = 0; i < cs.length; i++) {
            cs[i].onPacket(packet, spatial, meta);
        }
    }

    /**
     * The delay of the last packet recovered after exactly one NACK on any layer (a round-trip sample to the
     * publisher), -1 when none since the last call. Resets on read.
     */
    long takeRecoveryRttSample() {
        long v = -1;
        for (ProducerLayer l : layers) {
            if (l.recoveryRtt >= 0) {
                v = l.recoveryRtt;
                l.recoveryRtt = -1;
            }
        }
        return v;
    }

    /** Periodic work from the publisher endpoint's timer: NACK retries, deferred keyframe requests. */
    void tick(long nowNanos) {
        if (closed) {
            return;
        }
        for (ProducerLayer l : layers) {
            if (l.nacks != null && l.nacks.hasMissing()) {
                sendNacks(l, nowNanos);
            }
            if (l.ssrc != 0 && l.keyframeThrottle.hasDeferred() && transport.isConnected()
                    && l.keyframeThrottle.pollDeferred()) {
                counters.keyframeRequested();
                rtcp.sendPli(transport, l.ssrc);
            }
        }
    }

    /** Once a second: lets stale history go. */
    void expireHistory(long nowNanos) {
        for (ProducerLayer l : layers) {
            if (l.history != null) {
                l.history.expire(nowNanos);
            }
        }
    }

    private void sendNacks(ProducerLayer layer, long now) {
        int n = layer.nacks.collect(now, rttNanos.getAsLong(), nackScratch);
        if (n > 0 && transport.isConnected()) {
            counters.nacksSent(n);
            rtcp.sendNack(transport, layer.ssrc, nackScratch, n);
        }
    }

    /** The publisher's sender report for the first stream (see the per-layer variant). */
    void onSenderReport(long rtpTimestamp, long monoNanos, long compactNtp, long arrivalNanos) {
        onSenderReport(layers[0], rtpTimestamp, monoNanos, compactNtp, arrivalNanos);
    }

    /**
     * The publisher's sender report for one stream.
     *
     * @param rtpTimestamp its RTP timestamp
     * @param monoNanos    its NTP timestamp mapped onto Prism's monotonic clock (see {@link PublisherEndpoint})
     * @param compactNtp   the middle 32 bits of its NTP timestamp, echoed as LSR
     * @param arrivalNanos when it arrived
     */
    void onSenderReport(ProducerLayer layer, long rtpTimestamp, long monoNanos, long compactNtp, long arrivalNanos) {
        layer.haveSenderReport = true;
        layer.srRtpTimestamp = rtpTimestamp;
        layer.srMonoNanos = monoNanos;
        layer.srCompactNtp = compactNtp;
        layer.srArrivalNanos = arrivalNanos;
    }

    /** Whether a sender report arrived for the first stream, so {@link #rtpTimestampAt} is defined. */
    public boolean hasSenderReport() {
        return layers[0].haveSenderReport;
    }

    /** {@link ProducerLayer#rtpTimestampAt} of the first stream. */
    public long rtpTimestampAt(long monoNanos) {
        return layers[0].rtpTimestampAt(monoNanos);
    }

    /** The report block about the first stream; null before its first packet. */
    ReportBlock reportBlock(long nowNanos) {
        return reportBlock(layers[0], nowNanos);
    }

    /** The report block about {@code layer} for a receiver report to the publisher; null before its first packet. */
    ReportBlock reportBlock(ProducerLayer layer, long nowNanos) {
        ReceiveStreamStats stats = layer.stats;
        if (!stats.started() || layer.ssrc == 0) {
            return null;
        }
        int fraction = stats.closeInterval();
        long lsr = layer.haveSenderReport ? layer.srCompactNtp : 0;
        long dlsr = layer.haveSenderReport ? NtpClock.toCompactDuration(nowNanos - layer.srArrivalNanos) : 0;
        return new ReportBlock(layer.ssrc, fraction, stats.cumulativeLostField(), stats.extendedHighestSeq(),
                Math.min(stats.jitter(), 0xFFFF_FFFFL), lsr, dlsr);
    }

    /** Asks the publisher for a keyframe on every layer; coalesced and throttled per layer. */
    public void requestKeyframe() {
        for (int i = 0; i < layers.length; i++) {
            requestKeyframe(i);
        }
    }

    /**
     * Asks the publisher for a keyframe of spatial layer {@code index} (a PLI to that stream's SSRC); coalesced and
     * throttled whoever asks (see the throttle). A layer whose SSRC is not known yet gets it once it is.
     */
    public void requestKeyframe(int index) {
        if (!video || closed || index < 0 || index >= layers.length) {
            return;
        }
        ProducerLayer l = layers[index];
        if (l.ssrc == 0 || !transport.isConnected()) {
            l.keyframeThrottle.defer();
            return;
        }
        if (l.keyframeThrottle.request()) {
            counters.keyframeRequested();
            rtcp.sendPli(transport, l.ssrc);
        }
    }

    /**
     * Sends {@code sink} alone the latest key frame of spatial layer {@code index} and every packet after it, from the
     * history, when they are all still there and recent ({@link LatestKeyframe}): a subscriber that just connected
     * starts at once instead of waiting for the publisher to answer a PLI. Event loop only; no allocation.
     *
     * @return packets replayed, 0 when there was nothing to replay (the caller asks for a key frame instead)
     */
    public int replayLatestKeyframe(int index, PacketSink sink) {
        if (!video || closed || index < 0 || index >= layers.length) {
            return 0;
        }
        ProducerLayer l = layers[index];
        return l.latestKeyframe.replay(l.history, replayView, h264, index, sink, rtcp.clock().nanos());
    }

    /** Starts fanning out to {@code sink} (a subscriber's consumer). Event loop only. */
    public void addConsumer(PacketSink sink) {
        sinks.add(sink);
    }

    /** Stops fanning out to {@code sink}; nothing when it is not attached. Event loop only. */
    public void removeConsumer(PacketSink sink) {
        sinks.remove(sink);
    }

    /** Detaches every consumer and releases the histories (the track went away). */
    public void closeAll() {
        closed = true;
        PacketSink[] detached = sinks.detachAll();
        for (PacketSink c : detached) {
            c.onProducerClosed();
        }
        for (ProducerLayer l : layers) {
            if (l.history != null) {
                l.history.clear();
            }
            l.latestKeyframe.clear();
        }
    }

    public int consumerCount() {
        return sinks.size();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "Producer[" + trackId + " " + description.kind() + " layers=" + layers.length + "]";
    }
}
