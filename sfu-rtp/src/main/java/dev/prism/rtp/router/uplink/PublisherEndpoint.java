package dev.prism.rtp.router.uplink;

import dev.prism.core.clock.Timers;
import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaKind;
import dev.prism.rtp.bwe.TransportCcFeedbackGenerator;
import dev.prism.rtp.bwe.TransportWideSeq;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.router.rtcp.NtpClock;
import dev.prism.rtp.router.rtcp.RtcpSender;
import dev.prism.rtp.router.rtcp.RttEstimate;
import dev.prism.rtp.rtcp.ReportBlock;
import dev.prism.rtp.rtcp.RtcpCompoundParser;
import dev.prism.rtp.rtcp.RtcpHeader;
import dev.prism.rtp.rtcp.SenderReport;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import dev.prism.rtp.transport.TransportListener;
import dev.prism.rtp.transport.WebRtcTransport;
import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of one participant's publisher connection: routes each incoming RTP packet to its
 * {@link ProducerLayer} by SSRC (a primitive-keyed map: no boxing per packet), the publisher's RTX streams to the
 * layers they repair, and its sender reports to the layers (lip sync). SSRCs the SDP did not announce (simulcast by
 * rid) are learned from the mid / rid / repaired-rid header extensions of their first packets. Every second it sends
 * the publisher a receiver report (loss, jitter, LSR/DLSR for the publisher's own RTT), with a REMB for a publisher
 * without transport-wide feedback; every 50 ms the transport-wide feedback for one with it; every
 * {@link #TICK_MILLIS} it lets the producers retry NACKs and send deferred keyframe requests.
 *
 * <p>Threading: the media event loop only.
 */
public final class PublisherEndpoint implements TransportListener {
    private static final Logger log = LoggerFactory.getLogger(PublisherEndpoint.class);
    /**
     * The bitrate Prism announces (REMB) to a publisher that did not negotiate transport-wide feedback: without any
     * feedback Chrome stays near its start bitrate. Publishers with transport-wide feedback estimate for themselves.
     */
    public static final long ANNOUNCED_BITRATE_BPS = 2_500_000L;
    private static final long[] NO_SSRCS = new long[0];
    /** NACK retries and deferred keyframe requests are checked this often. */
    public static final long TICK_MILLIS = 20;
    /** Round trip assumed toward a publisher before anything was measured. */
    public static final long DEFAULT_RTT_NANOS = 100_000_000L;
    /** A sender report whose NTP time maps this far from its arrival re-anchors the publisher's clock mapping. */
    private static final long NTP_REANCHOR_NANOS = 2_000_000_000L;
    private static final TransportCcFeedbackGenerator.Config FEEDBACK_CONFIG =
            TransportCcFeedbackGenerator.Config.DEFAULT;

    private WebRtcTransport transport;
    private final MediaCounters counters;
    private final RtcpSender rtcp;
    private final BiConsumer<WebRtcTransport, String> onClosed;
    private final IntObjectHashMap<ProducerLayer> bySsrc = new IntObjectHashMap<>();
    private final IntObjectHashMap<ProducerLayer> byRtxSsrc = new IntObjectHashMap<>();
    private final List<Producer> producers = new ArrayList<>();
    /** BUNDLE-wide ids of the extensions that name a stream (RFC 8843, RFC 8852); 0 = not negotiated. */
    private int midExtensionId;
    private int ridExtensionId;
    private int repairedRidExtensionId;
    private final RtcpCompoundParser parser = new RtcpCompoundParser();
    private final RttEstimate rtt = new RttEstimate();
    private LongSupplier fallbackRtt = () -> -1;
    private Timers.Handle reportTask;
    private Timers.Handle tickTask;
    private Timers.Handle feedbackTask;
    /** Transport-wide sequence numbers of everything the publisher sends, reported back so its estimator can work. */
    private TransportCcFeedbackGenerator transportFeedback;
    /** The transport-cc header extension id (one per BUNDLE group, RFC 8843 section 9.2); 0 = not negotiated. */
    private int transportCcExtensionId;
    private boolean ntpAnchored;
    private long ntpToMonoOffsetNanos;

    /**
     * @param onClosed told when the transport closes (consent lost, DTLS failure)
     */
    public PublisherEndpoint(MediaCounters counters, RtcpSender rtcp, BiConsumer<WebRtcTransport, String> onClosed) {
        this.counters = counters;
        this.rtcp = rtcp;
        this.onClosed = onClosed;
    }

    /** Binds the transport this endpoint listens to; once, right after creating it with this endpoint as listener. */
    public void bind(WebRtcTransport transport) {
        if (this.transport != null) {
            throw new IllegalStateException("already bound");
        }
        this.transport = transport;
    }

    public WebRtcTransport transport() {
        return transport;
    }

    /**
     * Where to take the round trip from while none was measured on this connection: the same participant's
     * subscriber connection crosses the same network.
     */
    public void setFallbackRtt(LongSupplier rttNanos) {
        this.fallbackRtt = rttNanos;
    }

    /**
     * Round trip to the publisher: measured from NACKed packets that came back after one request, else the fallback,
     * else {@link #DEFAULT_RTT_NANOS}.
     */
    public long rttNanos() {
        long measured = rtt.nanos();
        if (measured >= 0) {
            return measured;
        }
        long fallback = fallbackRtt.getAsLong();
        return fallback >= 0 ? fallback : DEFAULT_RTT_NANOS;
    }

    /** Round trip measured on this connection, -1 while none was. */
    public long measuredRttNanos() {
        return rtt.nanos();
    }

    /** The producers fed by this connection (a copy). */
    public List<Producer> producers() {
        return new ArrayList<>(producers);
    }

    /** Starts routing {@code p}'s streams from this connection (the room calls it from {@code addProducer}). */
    public void addProducer(Producer p) {
        for (int id = 1; id < 256; id++) {
            String uri = p.extensionUri(id);
            if (uri == null) {
                continue;
            }
            if (transportCcExtensionId == 0 && HeaderExtension.TRANSPORT_CC.equals(uri)) {
                transportCcExtensionId = id;
                transportFeedback = new TransportCcFeedbackGenerator(rtcp.clock(), RtcpSender.SENDER_SSRC,
                        FEEDBACK_CONFIG);
            } else if (HeaderExtension.SDES_MID.equals(uri)) {
                midExtensionId = id;
            } else if (HeaderExtension.SDES_RID.equals(uri)) {
                ridExtensionId = id;
            } else if (HeaderExtension.SDES_REPAIRED_RID.equals(uri)) {
                repairedRidExtensionId = id;
            }
        }
        producers.add(p);
        for (ProducerLayer l : p.layers()) {
            if (l.ssrc != 0) {
                bySsrc.put((int) l.ssrc, l);
            }
            if (l.rtxSsrc != 0) {
                byRtxSsrc.put((int) l.rtxSsrc, l);
            }
        }
    }

    /** Forgets a producer's SSRCs (track unpublished or renegotiated). */
    public void removeProducer(Producer p) {
        producers.remove(p);
        bySsrc.values().removeIf(x -> x.producer() == p);
        byRtxSsrc.values().removeIf(x -> x.producer() == p);
    }

    /** Whether the publisher negotiated transport-wide congestion control feedback (then it gets no REMB). */
    public boolean hasTransportFeedback() {
        return transportFeedback != null;
    }

    @Override
    public void onConnected(WebRtcTransport t) {
        if (reportTask == null) {
            reportTask = t.scheduleAtFixedRate(this::sendReports, 1, TimeUnit.SECONDS);
            tickTask = t.scheduleAtFixedRate(this::tick, TICK_MILLIS, TimeUnit.MILLISECONDS);
            feedbackTask = t.scheduleAtFixedRate(this::sendTransportFeedback,
                    FEEDBACK_CONFIG.intervalMillis(), TimeUnit.MILLISECONDS);
        }
        sendReports();
        producers.forEach(Producer::requestKeyframe);
    }

    /**
     * The publisher's network changed and ICE found the new path: what it sent while the old path died is lost beyond
     * retransmission, so every producer asks it for a key frame now, before its subscribers' decoders ask.
     */
    @Override
    public void onPathMoved(WebRtcTransport t) {
        producers.forEach(Producer::requestKeyframe);
    }

    @Override
    public void onRtp(WebRtcTransport t, RtpPacket packet) {
        int ssrc = (int) packet.ssrc();
        if (transportFeedback != null) {
            // Every packet counts for the sender's estimate, probes and retransmissions included.
            int transportSeq = TransportWideSeq.read(packet, transportCcExtensionId);
            if (transportSeq != TransportWideSeq.ABSENT) {
                // The socket read time, not now: decryption (and, on a loaded loop, preemption) since then is not
                // network delay. Without a transport (tests feeding packets directly) the time is now.
                transportFeedback.onPacket(transportSeq, packet.ssrc(),
                        t != null ? t.receivedAtNanos() : rtcp.clock().nanos());
            }
        }
        ProducerLayer l = bySsrc.get(ssrc);
        if (l != null) {
            l.producer().onRtp(l, packet);
            return;
        }
        ProducerLayer repaired = byRtxSsrc.get(ssrc);
        if (repaired != null) {
            repaired.producer().onRtx(repaired, packet);
            return;
        }
        if (learnSsrc(packet)) {
            onRtp(t, packet);
        } else {
            counters.drop(DropReason.RTP_UNKNOWN_SSRC);
        }
    }

    /**
     * Binds an unknown SSRC to the stream its header extensions name: the mid picks the producer, the rid (or, for RTX,
     * the repaired rid) the layer; a producer with one layer needs only the mid, and its RTX is told apart by payload
     * type. Only streams whose SSRC is not known yet are bound, so a packet cannot move a known stream. Browsers send
     * these extensions until Prism's receiver reports acknowledge the SSRC, which happens only once it is bound.
     * No allocation.
     *
     * @return true when the SSRC was bound
     */
    private boolean learnSsrc(RtpPacket packet) {
        if (midExtensionId == 0) {
            return false;
        }
        int mid = packet.findExtension(midExtensionId);
        if (mid < 0) {
            return false;
        }
        ByteBuf buf = packet.buffer();
        Producer producer = null;
        for (Producer p : producers) {
            if (p.midEquals(buf, RtpPacket.extensionOffset(mid), RtpPacket.extensionLength(mid))) {
                producer = p;
                break;
            }
        }
        if (producer == null || producer.isClosed()) {
            return false;
        }
        boolean rtx = producer.rtxPayloadType() >= 0 && packet.payloadType() == producer.rtxPayloadType();
        int ridAt = -1;
        if (rtx && repairedRidExtensionId != 0) {
            ridAt = packet.findExtension(repairedRidExtensionId);
        }
        if (ridAt < 0 && ridExtensionId != 0) {
            ridAt = packet.findExtension(ridExtensionId);
        }
        ProducerLayer layer = null;
        if (ridAt >= 0) {
            for (ProducerLayer l : producer.layers()) {
                if (l.ridEquals(buf, RtpPacket.extensionOffset(ridAt), RtpPacket.extensionLength(ridAt))) {
                    layer = l;
                    break;
                }
            }
        } else if (producer.layerCount() == 1) {
            layer = producer.layer(0);
        }
        if (layer == null) {
            return false;
        }
        long ssrc = packet.ssrc();
        if (rtx) {
            if (layer.rtxSsrc != 0) {
                return false;
            }
            layer.rtxSsrc = ssrc;
            byRtxSsrc.put((int) ssrc, layer);
        } else {
            if (layer.ssrc != 0) {
                return false;
            }
            layer.ssrc = ssrc;
            bySsrc.put((int) ssrc, layer);
        }
        log.info("transport={} learned {} ssrc {} for track {} layer {}{}", transport == null ? "-" : transport.id(),
                rtx ? "rtx" : "media", ssrc, producer.trackId(), layer.index(),
                layer.rid() == null ? "" : " rid " + layer.rid());
        return true;
    }

    @Override
    public void onRtcp(WebRtcTransport t, ByteBuf compound) {
        long now = rtcp.clock().nanos();
        parser.reset(compound);
        while (parser.next()) {
            if (parser.packetType() != RtcpHeader.PT_SR) {
                continue; // SDES, BYE and the publisher's RRs (it receives nothing here) carry nothing Prism uses
            }
            SenderReport sr = SenderReport.parse(parser.buffer(), parser.offset(), parser.length());
            ProducerLayer l = sr == null ? null : bySsrc.get((int) sr.senderSsrc());
            if (l != null) {
                l.producer().onSenderReport(l, sr.rtpTimestamp(), toMono(sr.ntpTimestamp(), now), sr.compactNtp(),
                        now);
            }
        }
        if (parser.malformed()) {
            counters.drop(DropReason.RTCP_MALFORMED);
        }
    }

    /**
     * Maps the publisher's NTP time onto Prism's monotonic clock with one offset for the whole connection, set by the
     * first sender report: the publisher stamps audio and video from one clock, and one offset keeps their relative
     * timing exact (a per-report mapping would add each report's network jitter to it).
     */
    private long toMono(long ntp, long arrivalNanos) {
        long ntpNanos = NtpClock.toNanos(ntp);
        if (!ntpAnchored || Math.abs(ntpNanos + ntpToMonoOffsetNanos - arrivalNanos) > NTP_REANCHOR_NANOS) {
            ntpAnchored = true;
            ntpToMonoOffsetNanos = arrivalNanos - ntpNanos;
        }
        return ntpNanos + ntpToMonoOffsetNanos;
    }

    @Override
    public void onClosed(WebRtcTransport t, String reason) {
        cancelTimers();
        onClosed.accept(t, reason);
    }

    /** Stops the timers (the participant leaves; the transport closes separately). */
    public void close() {
        cancelTimers();
    }

    private void cancelTimers() {
        if (reportTask != null) {
            reportTask.cancel();
            reportTask = null;
        }
        if (tickTask != null) {
            tickTask.cancel();
            tickTask = null;
        }
        if (feedbackTask != null) {
            feedbackTask.cancel();
            feedbackTask = null;
        }
    }

    void tick() {
        long now = rtcp.clock().nanos();
        // Indexed: a for-each's iterator was not scalar-replaced here (JFR), and this runs every tick per publisher.
        for (int i = 0; i < producers.size(); i++) {
            Producer p = producers.get(i);
            long sample = p.takeRecoveryRttSample();
            if (sample >= 0) {
                rtt.add(sample);
            }
            p.tick(now);
        }
    }

    /** Transport-wide feedback for what arrived since the last one; every 50 ms. */
    void sendTransportFeedback() {
        if (transportFeedback != null && transport != null && transport.isConnected()) {
            rtcp.sendTransportFeedback(transport, transportFeedback);
        }
    }

    /** Receiver report with a block per stream, and the REMB. */
    void sendReports() {
        if (transport == null || !transport.isConnected()) {
            return;
        }
        long now = rtcp.clock().nanos();
        List<ReportBlock> blocks = new ArrayList<>();
        long[] video = new long[bySsrc.size()];
        int n = 0;
        for (Producer p : producers) {
            p.expireHistory(now);
            for (ProducerLayer l : p.layers()) {
                ReportBlock b = p.reportBlock(l, now);
                if (b != null) {
                    blocks.add(b);
                }
                if (p.kind() == MediaKind.VIDEO && l.ssrc != 0 && n < video.length) {
                    video[n++] = l.ssrc;
                }
            }
        }
        // A publisher with transport-wide feedback runs its own estimator, which a REMB would only cap.
        long[] remb = transportFeedback != null ? NO_SSRCS : java.util.Arrays.copyOf(video, n);
        rtcp.sendReceiverReports(transport, blocks, ANNOUNCED_BITRATE_BPS, remb);
    }
}
