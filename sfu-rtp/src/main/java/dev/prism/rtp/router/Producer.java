package dev.prism.rtp.router;

import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtcpFeedback;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.rtp.codec.Vp8Payload;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.rtcp.ReportBlock;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import dev.prism.rtp.transport.WebRtcTransport;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * One incoming track from a publisher: the RTP stream it sends and the consumers it fans out to.
 *
 * <p>Besides forwarding, a video producer keeps the loss-recovery state of its stream: a {@link PacketHistory} of the
 * last second (subscribers' NACKs are answered from it), a {@link NackGenerator} that asks the publisher for packets
 * that did not arrive (when the publisher negotiated NACK), the publisher's RTX stream unwrapped back into the original
 * packets, and a {@link KeyframeRequestThrottle} that coalesces everyone's keyframe requests. Every producer keeps
 * RFC 3550 reception statistics for receiver reports and the NTP/RTP mapping of the publisher's last sender report,
 * which consumers carry over into their own sender reports (lip sync).
 *
 * <p>Threading: the media event loop only. The consumer list is an array replaced on change, so the fan-out loop
 * iterates it without an iterator or lock.
 *
 * <p>Buffers: {@link #onRtp} borrows the decrypted packet; the history {@code retain()}s it (see {@link PacketHistory})
 * and releases it when it is overwritten, expires, or {@link #closeAll()} runs.
 */
public final class Producer {
    private static final Consumer[] NONE = new Consumer[0];

    private final String trackId;
    private final String participantId;
    private final MediaDescription description;
    private final RtpCodec codec;
    private final long ssrc;
    private final long rtxSsrc;
    private final int rtxPayloadType;
    private final WebRtcTransport transport;
    private final RtcpSender rtcp;
    private final KeyframeRequestThrottle keyframeThrottle;
    private final MediaCounters counters;
    private final LongSupplier rttNanos;
    private final String[] extensionUriById = new String[256];
    private final PacketHistory history;
    private final NackGenerator nacks;
    private final ReceiveStreamStats stats;
    private final RtpPacket rtxView = new RtpPacket();
    private final int[] nackScratch = new int[64];
    private Consumer[] consumers = NONE;
    private long packets;
    private long bytes;
    private long rtxRecovered;
    private long rtxDuplicates;
    private long keyframes;
    private boolean closed;
    private long recoveryRtt = -1;
    private long lastPacketNanos = Long.MIN_VALUE;
    // The publisher's last sender report, mapped onto Prism's monotonic clock.
    private boolean haveSenderReport;
    private long srRtpTimestamp;
    private long srMonoNanos;
    private long srCompactNtp;
    private long srArrivalNanos;

    /**
     * @param description what the publisher negotiated for this track (its payload types, extension ids, RTX, NACK)
     * @param ssrc        the SSRC of the stream it sends
     * @param rtxSsrc     the SSRC of its RTX stream, 0 for none
     * @param rttNanos    the current round-trip estimate to the publisher (NACK retry timing)
     */
    public Producer(String trackId, String participantId, MediaDescription description, long ssrc, long rtxSsrc,
                    WebRtcTransport transport, RtcpSender rtcp, KeyframeRequestThrottle keyframeThrottle,
                    MediaCounters counters, LongSupplier rttNanos) {
        this.trackId = trackId;
        this.participantId = participantId;
        this.description = description;
        this.codec = description.primaryCodec();
        this.ssrc = ssrc;
        this.transport = transport;
        this.rtcp = rtcp;
        this.keyframeThrottle = keyframeThrottle;
        this.counters = counters;
        this.rttNanos = rttNanos;
        for (HeaderExtension e : description.extensions()) {
            if (e.id() > 0 && e.id() < 256) {
                extensionUriById[e.id()] = e.uri();
            }
        }
        boolean video = description.kind() == MediaKind.VIDEO;
        RtpCodec rtx = codec == null ? null : description.rtxFor(codec.payloadType());
        this.rtxPayloadType = rtx == null ? -1 : rtx.payloadType();
        this.rtxSsrc = rtx == null ? 0 : rtxSsrc;
        this.history = video ? new PacketHistory() : null;
        boolean nackNegotiated = codec != null && codec.feedback().contains(new RtcpFeedback("nack", ""));
        this.nacks = video && nackNegotiated ? new NackGenerator() : null;
        this.stats = new ReceiveStreamStats(codec == null ? 90000 : codec.clockRate());
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

    public long ssrc() {
        return ssrc;
    }

    /** The publisher's RTX SSRC for this stream, 0 when it sends none. */
    public long rtxSsrc() {
        return rtxSsrc;
    }

    public RtpCodec codec() {
        return codec;
    }

    public long packets() {
        return packets;
    }

    public long bytes() {
        return bytes;
    }

    /** Reception statistics of the stream (loss after repair, jitter). */
    public ReceiveStreamStats receiveStats() {
        return stats;
    }

    /** Sequence numbers NACKed to the publisher so far (retries count), 0 without NACK. */
    public long nacksSent() {
        return nacks == null ? 0 : nacks.nacked();
    }

    /** Packets that went missing and came back (through RTX or late). */
    public long packetsRecovered() {
        return nacks == null ? 0 : nacks.recovered();
    }

    /** Packets the publisher sent again over RTX that were used. */
    public long rtxRecovered() {
        return rtxRecovered;
    }

    /** Keyframe requests sent to the publisher, and those folded into another one. */
    public long keyframeRequestsSent() {
        return keyframeThrottle.sent();
    }

    public long keyframeRequestsCoalesced() {
        return keyframeThrottle.coalesced();
    }

    /** Clock reading when the last packet arrived, {@link Long#MIN_VALUE} before the first. */
    public long lastPacketNanos() {
        return lastPacketNanos;
    }

    /** Keyframes received. */
    public long keyframes() {
        return keyframes;
    }

    /** The URI the publisher negotiated for header extension {@code id}, or null. */
    String extensionUri(int id) {
        return extensionUriById[id];
    }

    /** The history subscribers' NACKs are answered from; null for audio. */
    PacketHistory history() {
        return history;
    }

    /** Forwards one packet to every consumer. Hot path: no allocation beyond each consumer's pooled copy. */
    void onRtp(RtpPacket packet) {
        onPacket(packet, false);
    }

    /**
     * One packet of the publisher's RTX stream: a retransmission is turned back into the original packet in place and
     * handled like it; padding (bandwidth probes) and duplicates are dropped.
     */
    void onRtx(RtpPacket packet) {
        if (closed || rtxPayloadType < 0 || packet.payloadType() != rtxPayloadType) {
            counters.drop(DropReason.RTP_RTX_UNUSED);
            return;
        }
        if (packet.payloadLength() < Rtx.OSN_LENGTH) {
            counters.drop(DropReason.RTP_RTX_UNUSED); // padding only: the publisher probing for bandwidth
            return;
        }
        int osn = packet.buffer().getUnsignedShort(packet.payloadOffset());
        if (history != null && history.contains(osn)) {
            rtxDuplicates++;
            counters.drop(DropReason.RTP_RTX_DUPLICATE);
            return;
        }
        Rtx.unwrapInPlace(packet.buffer(), packet.offset(), packet.payloadOffset(), ssrc, codec.payloadType());
        if (!rtxView.wrap(packet.buffer())) {
            counters.drop(DropReason.RTP_MALFORMED);
            return;
        }
        rtxRecovered++;
        counters.repairedByRtx();
        try {
            onPacket(rtxView, true);
        } finally {
            rtxView.clear();
        }
    }

    private void onPacket(RtpPacket packet, boolean retransmission) {
        if (closed) {
            return;
        }
        long now = rtcp.clock().nanos();
        lastPacketNanos = now;
        int seq = packet.sequenceNumber();
        packets++;
        bytes += packet.length();
        stats.onPacket(seq, packet.timestamp(), now, retransmission);
        if (nacks != null) {
            int r = nacks.onPacket(seq, now);
            if (r == NackGenerator.GAP) {
                sendNacks(now);
            } else if (r == NackGenerator.RESET) {
                requestKeyframe();
            } else if (r == NackGenerator.RECOVERED && nacks.lastRecoveryDelayNanos() >= 0) {
                recoveryRtt = nacks.lastRecoveryDelayNanos();
            }
        }
        if (history != null) {
            history.add(packet.buffer(), seq, now);
            if (Vp8Payload.isKeyframeStart(packet.buffer(), packet.payloadOffset(), packet.payloadLength())) {
                keyframes++;
                keyframeThrottle.onKeyframe();
            }
        }
        Consumer[] cs = consumers;
        for (int i = 0; i < cs.length; i++) {
            cs[i].forward(packet);
        }
    }

    /**
     * The delay of the last packet recovered after exactly one NACK (a round-trip sample to the publisher), -1 when none
     * since the last call. Resets on read.
     */
    long takeRecoveryRttSample() {
        long v = recoveryRtt;
        recoveryRtt = -1;
        return v;
    }

    /** Periodic work from the publisher endpoint's timer: NACK retries, deferred keyframe requests. */
    void tick(long nowNanos) {
        if (closed) {
            return;
        }
        if (nacks != null && nacks.hasMissing()) {
            sendNacks(nowNanos);
        }
        if (keyframeThrottle.hasDeferred() && transport.isConnected() && keyframeThrottle.pollDeferred()) {
            counters.keyframeRequested();
            rtcp.sendPli(transport, ssrc);
        }
    }

    /** Once a second: lets stale history go. */
    void expireHistory(long nowNanos) {
        if (history != null) {
            history.expire(nowNanos);
        }
    }

    private void sendNacks(long now) {
        int n = nacks.collect(now, rttNanos.getAsLong(), nackScratch);
        if (n > 0 && transport.isConnected()) {
            counters.nacksSent(n);
            rtcp.sendNack(transport, ssrc, nackScratch, n);
        }
    }

    /**
     * The publisher's sender report for this stream.
     *
     * @param rtpTimestamp its RTP timestamp
     * @param monoNanos    its NTP timestamp mapped onto Prism's monotonic clock (see {@link PublisherEndpoint})
     * @param compactNtp   the middle 32 bits of its NTP timestamp, echoed as LSR
     * @param arrivalNanos when it arrived
     */
    void onSenderReport(long rtpTimestamp, long monoNanos, long compactNtp, long arrivalNanos) {
        haveSenderReport = true;
        srRtpTimestamp = rtpTimestamp;
        srMonoNanos = monoNanos;
        srCompactNtp = compactNtp;
        srArrivalNanos = arrivalNanos;
    }

    /** Whether a sender report arrived, so {@link #rtpTimestampAt} is defined. */
    public boolean hasSenderReport() {
        return haveSenderReport;
    }

    /**
     * The publisher's RTP timestamp for the instant {@code monoNanos}, extrapolated from its last sender report at the
     * codec clock rate (unsigned 32 bits). Only meaningful when {@link #hasSenderReport()}.
     */
    public long rtpTimestampAt(long monoNanos) {
        long ticks = Math.floorDiv((monoNanos - srMonoNanos) * stats.clockRate(), 1_000_000_000L);
        return (srRtpTimestamp + ticks) & 0xFFFF_FFFFL;
    }

    /** The report block about this stream for a receiver report to the publisher; null before the first packet. */
    ReportBlock reportBlock(long nowNanos) {
        if (!stats.started()) {
            return null;
        }
        int fraction = stats.closeInterval();
        long lsr = haveSenderReport ? srCompactNtp : 0;
        long dlsr = haveSenderReport ? NtpClock.toCompactDuration(nowNanos - srArrivalNanos) : 0;
        return new ReportBlock(ssrc, fraction, stats.cumulativeLostField(), stats.extendedHighestSeq(),
                Math.min(stats.jitter(), 0xFFFF_FFFFL), lsr, dlsr);
    }

    /** Asks the publisher for a keyframe (PLI); coalesced and throttled whoever asks (see the throttle). */
    public void requestKeyframe() {
        if (description.kind() != MediaKind.VIDEO || !transport.isConnected() || closed) {
            return;
        }
        if (keyframeThrottle.request()) {
            counters.keyframeRequested();
            rtcp.sendPli(transport, ssrc);
        }
    }

    void addConsumer(Consumer c) {
        Consumer[] next = Arrays.copyOf(consumers, consumers.length + 1);
        next[consumers.length] = c;
        consumers = next;
    }

    void removeConsumer(Consumer c) {
        int i = Arrays.asList(consumers).indexOf(c);
        if (i < 0) {
            return;
        }
        Consumer[] next = new Consumer[consumers.length - 1];
        System.arraycopy(consumers, 0, next, 0, i);
        System.arraycopy(consumers, i + 1, next, i, consumers.length - i - 1);
        consumers = next;
    }

    /** Detaches every consumer and releases the history (the track went away). */
    void closeAll() {
        closed = true;
        for (Consumer c : consumers) {
            c.closeFromProducer();
        }
        consumers = NONE;
        if (history != null) {
            history.clear();
        }
    }

    public int consumerCount() {
        return consumers.length;
    }

    public boolean isClosed() {
        return closed;
    }
}
