package dev.prism.rtp.router;

import dev.prism.core.clock.MonoClock;
import dev.prism.rtp.rtcp.SenderReport;
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

/**
 * The sending end of one participant's subscriber connection: owns its consumers (by the SSRC Prism offered for each),
 * routes the subscriber's feedback to them (PLI, FIR, NACK, receiver reports; see {@link RtcpFeedbackRouter}), sends
 * it a sender report per stream every second, and keeps the round-trip time to the subscriber.
 *
 * <p>Threading: the media event loop only.
 */
public final class SubscriberEndpoint implements TransportListener {
    /** Sender reports go out this often (RFC 3550 allows more; browsers send about once a second too). */
    public static final long SENDER_REPORT_INTERVAL_MILLIS = 1000;

    private final RtcpFeedbackRouter feedback;
    private final RtcpSender rtcp;
    private final BiConsumer<WebRtcTransport, String> onClosed;
    private final IntObjectHashMap<Consumer> bySsrc = new IntObjectHashMap<>();
    private final RttEstimate rtt = new RttEstimate();
    private WebRtcTransport transport;
    private ScheduledFuture<?> reportTask;
    private int transportCcExtensionId;
    private long layerSwitches;

    public SubscriberEndpoint(BiConsumer<WebRtcTransport, String> onClosed, MediaCounters counters, RtcpSender rtcp) {
        this.onClosed = onClosed;
        this.rtcp = rtcp;
        this.feedback = new RtcpFeedbackRouter(bySsrc, counters, rtcp, rtt::add, rtt::nanos);
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

    /** The clock of the media plane (the consumers' layer selection reads it). */
    public MonoClock clock() {
        return rtcp.clock();
    }

    /**
     * The header extension id of the transport-wide sequence number this subscriber negotiated, 0 when none: then
     * every packet sent to it carries Prism's own number for the subscriber's transport-cc feedback.
     */
    public int transportCcExtensionId() {
        return transportCcExtensionId;
    }

    /**
     * Sends one RTP packet to the subscriber: numbers it for transport-wide feedback (when negotiated) and hands it
     * to the transport, which takes ownership. Event loop only.
     */
    public void sendRtp(ByteBuf packet) {
        transport.sendRtp(packet);
    }

    /** A consumer of this subscriber switched spatial layers. */
    void onLayerSwitch() {
        layerSwitches++;
    }

    /** Spatial layer switches of all this subscriber's consumers. */
    public long layerSwitches() {
        return layerSwitches;
    }

    /** Smoothed round-trip time to the subscriber from its receiver reports; -1 before the first. */
    public long rttNanos() {
        return rtt.nanos();
    }

    /** The consumers of this subscriber, in no particular order (a copy). */
    public List<Consumer> consumers() {
        return new ArrayList<>(bySsrc.values());
    }

    void addConsumer(Consumer c) {
        bySsrc.put((int) c.ssrc(), c);
    }

    /** Stops and forgets one consumer. */
    public void removeConsumer(Consumer c) {
        c.close();
        bySsrc.remove((int) c.ssrc(), c);
    }

    /** Stops every consumer (the participant leaves). */
    public void closeAll() {
        for (Consumer c : new ArrayList<>(bySsrc.values())) {
            c.close();
        }
        bySsrc.clear();
        cancelReports();
    }

    @Override
    public void onConnected(WebRtcTransport t) {
        // Every video consumer waits for a keyframe: ask now that packets can flow.
        for (Consumer c : bySsrc.values()) {
            c.requestKeyframe();
        }
        if (reportTask == null) {
            reportTask = t.scheduleAtFixedRate(this::sendSenderReports, SENDER_REPORT_INTERVAL_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void onRtcp(WebRtcTransport t, ByteBuf compound) {
        feedback.onRtcp(compound);
    }

    @Override
    public void onClosed(WebRtcTransport t, String reason) {
        cancelReports();
        onClosed.accept(t, reason);
    }

    /** One sender report per consumer that has sent and whose publisher has reported its clock. */
    void sendSenderReports() {
        if (transport == null || !transport.isConnected()) {
            return;
        }
        long now = rtcp.clock().nanos();
        List<SenderReport> reports = new ArrayList<>();
        for (Consumer c : bySsrc.values()) {
            SenderReport sr = c.senderReport(now, rtcp.ntp());
            if (sr != null) {
                reports.add(sr);
            }
        }
        if (!reports.isEmpty()) {
            rtcp.sendSenderReports(transport, reports);
        }
    }

    private void cancelReports() {
        if (reportTask != null) {
            reportTask.cancel(false);
            reportTask = null;
        }
    }
}
