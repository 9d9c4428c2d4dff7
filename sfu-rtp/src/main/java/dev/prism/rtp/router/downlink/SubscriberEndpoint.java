package dev.prism.rtp.router.downlink;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.clock.Timers;
import dev.prism.core.text.ClientText;
import dev.prism.rtp.bwe.ProbeCluster;
import dev.prism.rtp.pacer.PacketClass;
import dev.prism.rtp.router.rtcp.RtcpSender;
import dev.prism.rtp.router.rtcp.RttEstimate;
import dev.prism.rtp.rtcp.SenderReport;
import dev.prism.rtp.transport.MediaCounters;
import dev.prism.rtp.transport.TransportListener;
import dev.prism.rtp.transport.WebRtcTransport;
import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending end of one participant's subscriber connection: owns its consumers (by the SSRC Prism offered for each),
 * routes the subscriber's feedback to them (PLI, FIR, NACK, receiver reports; see {@link RtcpFeedbackRouter}), sends
 * it a sender report per stream every second, and keeps the round-trip time to the subscriber.
 *
 * <p>It also runs the subscriber's downlink ({@link DownlinkController}): every RTP packet its {@link SendStage} copies
 * gets the next transport-wide sequence number (when the subscriber negotiated transport-cc) and is recorded for the
 * estimator; the subscriber's transport-cc feedback and REMB feed the estimate; every
 * {@link #BWE_TICK_MILLIS} (and at once when the estimate moves) the allocation sets each consumer's layer; while a
 * probe runs, RTX copies of the newest video packets (and padding for the odd bytes) on a video consumer's RTX stream
 * top the media up to the probe's rate every {@link #PROBE_PACING_MILLIS}.
 *
 * <p>Threading: the media event loop only.
 */
public final class SubscriberEndpoint implements TransportListener {
    private static final Logger log = LoggerFactory.getLogger(SubscriberEndpoint.class);
    /** Bytes of a malformed transport-cc message shown (as hex) in its log line. */
    private static final int LOGGED_BYTES = 24;
    /** Sender reports go out this often (RFC 3550 allows more; browsers send about once a second too). */
    public static final long SENDER_REPORT_INTERVAL_MILLIS = 1000;
    /** Estimator timeouts and allocation rounds are checked this often. */
    public static final long BWE_TICK_MILLIS = 100;
    /** Padding of a running probe is sent in steps this far apart. */
    public static final long PROBE_PACING_MILLIS = 5;
    /** At most this many padding packets per pacing step. */
    private static final int MAX_PADDING_PACKETS = 32;
    /** Probe copies cycle over this many of the newest packets. */
    private static final int PROBE_COPY_DEPTH = 8;
    /** A probe copy is sent when at least this much is owed (else padding, which can be any size). */
    private static final int PROBE_COPY_MIN_BYTES = 600;

    private final RtcpFeedbackRouter feedback;
    private final RtcpSender rtcp;
    private final BiConsumer<WebRtcTransport, String> onClosed;
    private final IntObjectHashMap<Consumer> bySsrc = new IntObjectHashMap<>();
    private final RttEstimate rtt = new RttEstimate();
    private final RepairRetries repairs = new RepairRetries();
    private long repairRetries;
    private WebRtcTransport transport;
    private final DownlinkController downlink;
    private final SendStage send;
    private Timers.Handle reportTask;
    private Timers.Handle bweTask;
    private Timers.Handle probeTask;
    private long layerSwitches;
    private int probeCopyBack;
    /** Malformed transport-cc is logged once per subscriber (it comes ten times a second); counted always. */
    private boolean malformedFeedbackLogged;

    public SubscriberEndpoint(BiConsumer<WebRtcTransport, String> onClosed, MediaCounters counters, RtcpSender rtcp) {
        this.onClosed = onClosed;
        this.rtcp = rtcp;
        this.downlink = new DownlinkController(rtcp.clock());
        this.send = new SendStage(downlink, rtcp.allocator(), counters, rtcp.clock());
        send.repairSentTo(this::onRepairSent);
        this.feedback = new RtcpFeedbackRouter(bySsrc, counters, rtcp, this::onRttSample, rtt::nanos,
                this::onTransportFeedback, this::onRemb, new RtcpFeedbackRouter.Listener() {
                    @Override
                    public void onMalformedTransportFeedback(ByteBuf buffer, int offset, int length) {
                        SubscriberEndpoint.this.onMalformedTransportFeedback(buffer, offset, length);
                    }

                    @Override
                    public void onReceiverLoss(int fractionLost) {
                        if (downlink.onReceiverLoss(fractionLost)) {
                            reallocate();
                        }
                    }
                });
    }

    /** Binds the transport this endpoint listens to; once, right after creating it with this endpoint as listener. */
    public void bind(WebRtcTransport transport) {
        if (this.transport != null) {
            throw new IllegalStateException("already bound");
        }
        this.transport = transport;
        send.bind(transport);
        downlink.setLogName(transport.id());
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
        return send.transportCcExtensionId();
    }

    /** The send path its consumers copy, number and send through. */
    SendStage sendStage() {
        return send;
    }

    /**
     * What the subscriber's answer negotiated for congestion control: the transport-wide sequence number extension id
     * (0 for none) with transport-cc feedback, and REMB. Consumers then add the extension to every packet and the
     * downlink estimates from the feedback. Event loop only.
     */
    public void configureFeedback(int transportCcExtensionId, boolean transportCcFeedback, boolean remb) {
        boolean tcc = transportCcExtensionId > 0 && transportCcFeedback;
        if (tcc) {
            send.setTransportCcExtensionId(transportCcExtensionId);
        }
        DownlinkController.Mode before = downlink.mode();
        downlink.configure(tcc, remb);
        if (downlink.mode() != before) {
            reallocate();
        }
    }

    /** The downlink estimate, allocation and probing of this subscriber. */
    public DownlinkController downlink() {
        return downlink;
    }

    private void onRttSample(long rttNanos) {
        rtt.add(rttNanos);
        downlink.onRtt(rtt.nanos());
    }

    private void onTransportFeedback(dev.prism.rtp.rtcp.TransportCcFeedback fb) {
        boolean moved = downlink.onFeedback(fb);
        retryLostRepairs();
        if (moved) {
            reallocate();
        }
    }

    /** Retransmissions the feedback just reported lost go again at once (a second try; see {@link RepairRetries}). */
    private void retryLostRepairs() {
        dev.prism.rtp.bwe.SendSideEstimator e = downlink.sendSideEstimator();
        int n = e == null ? 0 : e.lostRepairCount();
        if (n == 0) {
            return;
        }
        long now = rtcp.clock().nanos();
        for (int i = 0; i < n; i++) {
            if (repairs.take(e.lostRepair(i), now)) {
                repairRetries++;
            }
        }
    }

    /** A consumer sent a retransmission (try {@code n} of output packet {@code outSeq}) as {@code transportSeq}. */
    void onRepairSent(int transportSeq, RepairRetries.Target consumer, int outSeq, int n) {
        downlink.onRepairSent(transportSeq);
        repairs.onSent(transportSeq, consumer, outSeq, n);
    }

    /** Retransmissions sent again because the subscriber's feedback reported the previous one lost. */
    public long repairRetries() {
        return repairRetries;
    }

    private void onMalformedTransportFeedback(ByteBuf buffer, int offset, int length) {
        boolean changed = downlink.onMalformedFeedback();
        if (!malformedFeedbackLogged) {
            malformedFeedbackLogged = true;
            String head = io.netty.buffer.ByteBufUtil.hexDump(buffer, offset, Math.min(length, LOGGED_BYTES));
            log.warn("transport={} transport-cc feedback from the subscriber does not parse ({} bytes, starting {}); "
                    + "logged once per subscriber, counted as drop.transport_cc_malformed; after {} in a row its "
                    + "downlink estimate falls back to its REMB or receiver reports",
                    transport == null ? "-" : transport.id(), length, ClientText.forLog(head),
                    DownlinkController.MALFORMED_BEFORE_FALLBACK);
        }
        if (changed) {
            log.info("transport={} downlink estimate now from {} ({} kbit/s)", transport == null ? "-" : transport.id(),
                    downlink.estimateSource().description(), downlink.estimateBps() / 1000);
            reallocate();
        }
    }

    private void onRemb(long bitrateBps) {
        if (downlink.onRemb(bitrateBps)) {
            reallocate();
        }
    }

    /** Every {@link #BWE_TICK_MILLIS}: estimator timeouts, and the allocation when it is due. */
    void bweTick() {
        if (downlink.onTick()) {
            reallocate();
        } else {
            send.onEstimate(); // a feedback timeout can lower the estimate without an allocation
        }
    }

    /** An allocation round now (a preference changed): every consumer's layer target, and maybe a probe. */
    public void reallocate() {
        // No probe before DTLS is done: it could not be sent, and its missing result would count as a failure.
        boolean connected = transport != null && transport.isConnected();
        ProbeCluster probe = downlink.allocate(consumers(), connected);
        send.onEstimate();
        if (probe != null && connected && probeTask == null) {
            probeTask = transport.scheduleAtFixedRate(this::pacePadding, PROBE_PACING_MILLIS, TimeUnit.MILLISECONDS);
            pacePadding();
        }
    }

    /** While a probe runs: padding on a video consumer's RTX stream up to what the probe's rate asks for now. */
    void pacePadding() {
        if (!downlink.isProbing() || transport == null || !transport.isConnected()) {
            if (probeTask != null) {
                probeTask.cancel();
                probeTask = null;
            }
            send.discardPadding();
            return;
        }
        // What the pacer still holds of the probe counts as sent: it leaves in the next gap.
        long due = downlink.paddingBytesDue() - send.queuedPaddingBytes();
        if (due <= 0 || send.transportCcExtensionId() == 0) {
            return;
        }
        VideoConsumer carrier = null;
        for (Consumer c : bySsrc.values()) {
            if (c instanceof VideoConsumer v && v.rtxSsrc() != 0 && v.packets() > 0 && !v.isClosed()) {
                carrier = v;
                break;
            }
        }
        if (carrier == null) {
            return;
        }
        long now = rtcp.clock().nanos();
        for (int n = 0; n < MAX_PADDING_PACKETS && due > 0; n++) {
            // Copies of the newest media packets where the probe owes a packet's worth: if the probe makes the path
            // drop a packet, its copy may get through. Padding for the rest.
            ByteBuf p = due >= PROBE_COPY_MIN_BYTES ? carrier.probeCopy(probeCopyBack, now) : null;
            if (p != null) {
                probeCopyBack = (probeCopyBack + 1) % PROBE_COPY_DEPTH;
            } else {
                p = carrier.padding((int) Math.min(due, Retransmitter.MAX_PADDING));
            }
            if (p == null) {
                return;
            }
            int size = p.readableBytes();
            send.send(p, carrier.transportCcOffset(), PacketClass.PADDING);
            downlink.onPaddingSent(size);
            due -= size;
        }
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

    /** Adds a consumer made for this subscriber ({@link Consumer#create}); its feedback is routed by its SSRC. */
    public void addConsumer(Consumer c) {
        bySsrc.put((int) c.ssrc(), c);
    }

    /** Stops and forgets one consumer. */
    public void removeConsumer(Consumer c) {
        c.close();
        bySsrc.remove((int) c.ssrc(), c);
        downlink.forget(c.id());
    }

    /** Stops every consumer (the participant leaves). */
    public void closeAll() {
        for (Consumer c : new ArrayList<>(bySsrc.values())) {
            c.close();
        }
        bySsrc.clear();
        cancelReports();
        send.close();
    }

    /** The first ICE check: every video consumer asks for its key frame now, while DTLS runs. */
    @Override
    public void onIceChecking(WebRtcTransport t) {
        for (Consumer c : bySsrc.values()) {
            c.onSubscriberChecking();
        }
    }

    @Override
    public void onConnected(WebRtcTransport t) {
        // Every video consumer waits for a keyframe: the latest one replayed from the history, else asked for now.
        for (Consumer c : bySsrc.values()) {
            c.onSubscriberConnected();
        }
        if (reportTask == null) {
            reportTask = t.scheduleAtFixedRate(this::sendSenderReports, SENDER_REPORT_INTERVAL_MILLIS,
                    TimeUnit.MILLISECONDS);
            bweTask = t.scheduleAtFixedRate(this::bweTick, BWE_TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The subscriber's network changed and ICE found the new path: its downlink is measured afresh (the outage cut the
     * estimate, see {@link DownlinkController#onPathMoved}) and allocated again, and every consumer asks for a key
     * frame of the layer it now wants at once, rather than when the subscriber's decoder gives up on the gap.
     */
    @Override
    public void onPathMoved(WebRtcTransport t) {
        long before = downlink.estimateBps();
        List<Consumer> all = consumers();
        downlink.onPathMoved(all);
        reallocate();
        for (Consumer c : all) {
            c.requestKeyframe();
        }
        log.info("transport={} path moved: downlink estimate {} -> {} kbit/s, key frames asked for", t.id(),
                before / 1000, downlink.estimateBps() / 1000);
    }

    @Override
    public void onRtcp(WebRtcTransport t, ByteBuf compound) {
        feedback.onRtcp(compound);
    }

    @Override
    public void onClosed(WebRtcTransport t, String reason) {
        cancelReports();
        send.close(); // what the pacer still holds will never leave
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
            reportTask.cancel();
            reportTask = null;
        }
        if (bweTask != null) {
            bweTask.cancel();
            bweTask = null;
        }
        if (probeTask != null) {
            probeTask.cancel();
            probeTask = null;
        }
    }
}
