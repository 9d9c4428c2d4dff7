package dev.prism.rtp.router;

import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaKind;
import dev.prism.rtp.bwe.TransportCcFeedbackGenerator;
import dev.prism.rtp.bwe.TransportWideSeq;
import dev.prism.rtp.packet.RtpPacket;
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
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * The receiving end of one participant's publisher connection: routes each incoming RTP packet to its
 * {@link Producer} by SSRC (a primitive-keyed map: no boxing per packet), the publisher's RTX streams to the producers
 * they repair, and its sender reports to the producers (lip sync). Every second it sends the publisher a receiver
 * report (loss, jitter, LSR/DLSR for the publisher's own RTT) with a REMB; every {@link #TICK_MILLIS} it lets the
 * producers retry NACKs and send deferred keyframe requests.
 *
 * <p>Threading: the media event loop only.
 */
public final class PublisherEndpoint implements TransportListener {
    /**
     * The bitrate Prism announces (REMB) to each publisher until the bandwidth estimator of the simulcast work replaces
     * it: without any feedback Chrome stays near its start bitrate.
     */
    public static final long ANNOUNCED_BITRATE_BPS = 2_500_000L;
    /** NACK retries and deferred keyframe requests are checked this often. */
    public static final long TICK_MILLIS = 20;
    /** Round trip assumed toward a publisher before anything was measured. */
    public static final long DEFAULT_RTT_NANOS = 100_000_000L;
    /** A sender report whose NTP time maps this far from its arrival re-anchors the publisher's clock mapping. */
    private static final long NTP_REANCHOR_NANOS = 2_000_000_000L;

    private WebRtcTransport transport;
    private final MediaCounters counters;
    private final RtcpSender rtcp;
    private final BiConsumer<WebRtcTransport, String> onClosed;
    private final IntObjectHashMap<Producer> bySsrc = new IntObjectHashMap<>();
    private final IntObjectHashMap<Producer> byRtxSsrc = new IntObjectHashMap<>();
    private final RtcpCompoundParser parser = new RtcpCompoundParser();
    private final RttEstimate rtt = new RttEstimate();
    private LongSupplier fallbackRtt = () -> -1;
    private ScheduledFuture<?> reportTask;
    private ScheduledFuture<?> tickTask;
    private ScheduledFuture<?> feedbackTask;
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
        return new ArrayList<>(bySsrc.values());
    }

    void addProducer(Producer p) {
        if (transportCcExtensionId == 0) {
            for (int id = 1; id < 256; id++) {
                if (HeaderExtension.TRANSPORT_CC.equals(p.extensionUri(id))) {
                    transportCcExtensionId = id;
                    transportFeedback = new TransportCcFeedbackGenerator(rtcp.clock(), RtcpSender.SENDER_SSRC,
                            TransportCcFeedbackGenerator.Config.DEFAULT);
                    break;
                }
            }
        }
        bySsrc.put((int) p.ssrc(), p);
        if (p.rtxSsrc() != 0) {
            byRtxSsrc.put((int) p.rtxSsrc(), p);
        }
    }

    /** Forgets a producer's SSRCs (track unpublished or renegotiated). */
    public void removeProducer(Producer p) {
        bySsrc.values().removeIf(x -> x == p);
        byRtxSsrc.values().removeIf(x -> x == p);
    }

    @Override
    public void onConnected(WebRtcTransport t) {
        if (reportTask == null) {
            reportTask = t.scheduleAtFixedRate(this::sendReports, 1, TimeUnit.SECONDS);
            tickTask = t.scheduleAtFixedRate(this::tick, TICK_MILLIS, TimeUnit.MILLISECONDS);
            feedbackTask = t.scheduleAtFixedRate(this::sendTransportFeedback,
                    TransportCcFeedbackGenerator.Config.DEFAULT.intervalMillis(), TimeUnit.MILLISECONDS);
        }
        sendReports();
        bySsrc.values().forEach(Producer::requestKeyframe);
    }

    @Override
    public void onRtp(WebRtcTransport t, RtpPacket packet) {
        int ssrc = (int) packet.ssrc();
        if (transportFeedback != null) {
            // Every packet counts for the sender's estimate, probes and retransmissions included.
            int transportSeq = TransportWideSeq.read(packet, transportCcExtensionId);
            if (transportSeq != TransportWideSeq.ABSENT) {
                transportFeedback.onPacket(transportSeq, packet.ssrc());
            }
        }
        Producer p = bySsrc.get(ssrc);
        if (p != null) {
            p.onRtp(packet);
            return;
        }
        Producer repaired = byRtxSsrc.get(ssrc);
        if (repaired != null) {
            repaired.onRtx(packet);
        } else {
            counters.drop(DropReason.RTP_UNKNOWN_SSRC);
        }
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
            Producer p = sr == null ? null : bySsrc.get((int) sr.senderSsrc());
            if (p != null) {
                p.onSenderReport(sr.rtpTimestamp(), toMono(sr.ntpTimestamp(), now), sr.compactNtp(), now);
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
            reportTask.cancel(false);
            reportTask = null;
        }
        if (tickTask != null) {
            tickTask.cancel(false);
            tickTask = null;
        }
        if (feedbackTask != null) {
            feedbackTask.cancel(false);
            feedbackTask = null;
        }
    }

    void tick() {
        long now = rtcp.clock().nanos();
        for (Producer p : bySsrc.values()) {
            long sample = p.takeRecoveryRttSample();
            if (sample >= 0) {
                rtt.add(sample);
            }
            p.tick(now);
        }
    }

    /** Transport-wide feedback for what arrived since the last one; every 100 ms. */
    void sendTransportFeedback() {
        if (transportFeedback != null && transport != null && transport.isConnected()) {
            rtcp.sendTransportFeedback(transport, transportFeedback.build());
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
        for (Producer p : bySsrc.values()) {
            p.expireHistory(now);
            ReportBlock b = p.reportBlock(now);
            if (b != null) {
                blocks.add(b);
            }
            if (p.kind() == MediaKind.VIDEO) {
                video[n++] = p.ssrc();
            }
        }
        rtcp.sendReceiverReports(transport, blocks, ANNOUNCED_BITRATE_BPS, java.util.Arrays.copyOf(video, n));
    }
}
