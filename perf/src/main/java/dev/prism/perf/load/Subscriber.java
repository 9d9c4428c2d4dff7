package dev.prism.perf.load;

import dev.prism.core.rtp.HeaderExtension;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.rtcp.ReceiverReport;
import dev.prism.rtp.rtcp.ReportBlock;
import dev.prism.rtp.rtcp.RtcpHeader;
import dev.prism.rtp.rtcp.RtcpMessage;
import dev.prism.rtp.rtcp.TransportCcFeedback;
import dev.prism.srtp.SrtpProfile;
import dev.prism.srtp.SrtpSession;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A simulated receive-only participant: answers every subscriber offer, connects, and sorts every RTP packet
 * ({@link DownlinkStats}: media, retransmission, probe padding, unknown), counts it per stream (loss by sequence
 * number), records the latency of media packets from the probe in the payload, and notes every packet's
 * transport-wide sequence number for transport-cc feedback (every 100 ms, when the SFU sends that extension; probe
 * padding counts there, as in a browser). A receiver report on the media streams goes out every second.
 *
 * <p>Threads: everything runs on this participant's event loop ({@link #loop()}), which also owns the latency
 * recorder it is given; other threads read it only through tasks on that loop.
 */
final class Subscriber implements ClientPeer.Handler {
    private static final long FEEDBACK_INTERVAL_MILLIS = 100;

    private final LoadContext ctx;
    private final EventLoop loop;
    private final RoomSignaling signaling;
    private final ClientPeer peer;
    private final LatencyRecorder latency;
    private final long ssrc = ThreadLocalRandom.current().nextLong(1, 0x1_0000_0000L);
    private final DownlinkStats downlink = new DownlinkStats();
    private final String name;
    private boolean started;
    private int transportCcId;
    private TransportCcFeedback.Builder feedback;
    private int feedbackCount;
    private long lastTwSeq = -1;
    private int ticks;
    private long offers;
    private long feedbackSent;
    private long markDatagrams;
    private long markRtp;
    private ScheduledFuture<?> rtcpTimer;

    /**
     * @param loop      the event loop this participant lives on; {@code signaling} must deliver offers on it
     * @param latency   the recorder of that loop (shared with the loop's other subscribers, never across loops)
     * @param transport how its peer connection reaches the SFU
     */
    Subscriber(LoadContext ctx, EventLoop loop, int index, RoomSignaling signaling, LatencyRecorder latency,
               PeerTransport transport) {
        this.ctx = ctx;
        this.loop = loop;
        this.signaling = signaling;
        this.latency = latency;
        this.name = "sub" + index;
        this.peer = new ClientPeer(ctx, loop, name, this, transport);
    }

    EventLoop loop() {
        return loop;
    }

    /** Joins; the server's offers then drive the connection. Completes when joined. */
    CompletableFuture<Void> start() throws InterruptedException {
        peer.bind();
        return signaling.join(this::answer);
    }

    /** Loop only. */
    private String answer(String offerSdp) {
        offers++;
        ClientSdp.RemoteDescription d;
        try {
            d = ClientSdp.read(offerSdp);
        } catch (Exception e) {
            throw new IllegalStateException(name + ": bad offer: " + e.getMessage(), e);
        }
        for (ClientSdp.RemoteStream s : d.streams()) {
            if (s.active()) {
                downlink.announce(s.ssrc(), s.rtxSsrc(), s.kind());
            }
        }
        transportCcId = d.extensionId(HeaderExtension.TRANSPORT_CC);
        if (!started) {
            started = true;
            peer.start(d.transport());
        }
        return ClientSdp.subscriberAnswer(d.sdp(), peer.localIce(), peer.localFingerprint(),
                peer.localCandidate());
    }

    @Override
    public void onConnected(ClientPeer p) {
        rtcpTimer = loop.scheduleAtFixedRate(this::rtcpTick, FEEDBACK_INTERVAL_MILLIS,
                FEEDBACK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onRtp(ClientPeer p, RtpPacket packet, long arrivalNanos) {
        if (downlink.onRtp(packet) == DownlinkStats.MEDIA) {
            latency.record(downlink.lastKind(), arrivalNanos - downlink.lastSendNanos());
        }
        if (transportCcId != 0) {
            int found = packet.findExtension(transportCcId);
            if (found >= 0 && RtpPacket.extensionLength(found) == 2) {
                noteTransportSeq(packet.buffer().getUnsignedShort(RtpPacket.extensionOffset(found)),
                        packet.ssrc(), arrivalNanos);
            }
        }
    }

    private void noteTransportSeq(int twSeq, long mediaSsrc, long arrivalNanos) {
        if (feedback == null) {
            feedback = new TransportCcFeedback.Builder(ssrc, mediaSsrc, feedbackCount);
        }
        if (lastTwSeq >= 0 && ((twSeq - lastTwSeq) & 0xFFFF) > 0x8000) {
            return; // reordered behind what was reported: browsers drop those too
        }
        if (!feedback.add(twSeq, arrivalNanos / 1000)) {
            sendFeedback();
            feedback.add(twSeq, arrivalNanos / 1000);
        }
        lastTwSeq = twSeq;
    }

    private void rtcpTick() {
        if (!peer.isConnected()) {
            return;
        }
        if (feedback != null && !feedback.isEmpty()) {
            sendFeedback();
        }
        if (++ticks % 10 == 0) {
            send(receiverReport());
        }
        peer.flush();
    }

    private void sendFeedback() {
        send(feedback.build());
        feedbackSent++;
        feedbackCount = (feedbackCount + 1) & 0xFF;
        feedback.reset(feedbackCount);
    }

    private RtcpMessage receiverReport() {
        List<ReportBlock> blocks = new ArrayList<>();
        for (LongObjectHashMap.PrimitiveEntry<StreamStats> e : downlink.mediaStreams().entries()) {
            StreamStats s = e.value();
            if (s.highestExt() >= 0 && blocks.size() < RtcpHeader.MAX_COUNT) {
                blocks.add(new ReportBlock(e.key(), 0, (int) Math.min(s.lost(), (1 << 23) - 1),
                        s.highestExt() & 0xFFFF_FFFFL, 0, 0, 0));
            }
        }
        return new ReceiverReport(ssrc, blocks);
    }

    private void send(RtcpMessage m) {
        ByteBuf b = ctx.allocator().heapBuffer(m.length() + SrtpSession.MAX_TRAILER);
        m.write(b);
        peer.sendRtcp(b);
    }

    private String perStream() {
        StringBuilder sb = new StringBuilder();
        for (StreamStats s : downlink.streams()) {
            sb.append(s.kind().sdpName().charAt(0)).append(':').append(s.receivedSinceMark()).append(' ');
        }
        return sb.toString().trim();
    }

    /** Audio packets received since the mark (top-N audio's saving shows here). Loop only. */
    long audioSinceMark() {
        long n = 0;
        for (StreamStats s : downlink.streams()) {
            n += s.kind() == dev.prism.core.rtp.MediaKind.AUDIO ? s.receivedSinceMark() : 0;
        }
        return n;
    }

    /** Media streams that have delivered at least one packet. Loop only. */
    int streamsReceiving() {
        int n = 0;
        for (StreamStats s : downlink.streams()) {
            n += s.received() > 0 ? 1 : 0;
        }
        return n;
    }

    /** Loop only (the peer sets it on its loop). */
    SrtpProfile srtpProfile() {
        return peer.srtpProfile();
    }

    boolean isConnected() {
        return peer.isConnected();
    }

    /** Starts the measurement window. Loop only. */
    void mark() {
        downlink.mark();
        markDatagrams = peer.datagramsIn();
        markRtp = peer.rtpIn();
    }

    /** What arrived since the mark, and the run's totals of a few counters. Loop only. */
    Window window() {
        return new Window(downlink.sinceMark(DownlinkStats.MEDIA), downlink.expectedSinceMark(),
                downlink.streamsSinceMark(StreamStats.DISTINCT), downlink.sinceMark(DownlinkStats.RETRANSMISSION),
                downlink.streamsSinceMark(StreamStats.REPAIRED), downlink.streamsSinceMark(StreamStats.DUPLICATES),
                downlink.sinceMark(DownlinkStats.PADDING), downlink.sinceMark(DownlinkStats.UNKNOWN_SSRC),
                downlink.sinceMark(DownlinkStats.UNRECOGNISED), downlink.allSinceMark(), peer.rtpIn() - markRtp,
                peer.datagramsIn() - markDatagrams, peer.srtpFailures(), feedbackSent, peer.srtpProfile());
    }

    /**
     * One subscriber's measurement window (counts since the mark unless said otherwise).
     *
     * @param media              media packets (the publisher's payload with its probe), duplicates included: each one
     *                           was timed
     * @param expectedBySequence what the media streams' sequence numbers say the server sent
     * @param distinct           media sequence numbers received at least once (as media, by retransmission, as filler)
     * @param retransmissions    RTX packets carrying a media packet
     * @param repaired           of which the original had not arrived
     * @param duplicates         media packets whose sequence number had arrived already
     * @param padding            padding-only packets (bandwidth probes)
     * @param unknownSsrc        packets on an SSRC no offer announced
     * @param unrecognised       packets on an announced SSRC that are none of the above
     * @param sorted             every packet {@link DownlinkStats} sorted (the sum of the classes)
     * @param rtp                every RTP packet the connection decrypted and parsed
     * @param datagrams          every datagram the server sent this participant (RTP, RTCP, STUN, DTLS)
     * @param srtpFailures       packets that failed to decrypt, over the whole run
     * @param feedbackSent       transport-cc feedback packets sent, over the whole run
     * @param srtpProfile        what DTLS negotiated, null before
     */
    record Window(long media, long expectedBySequence, long distinct, long retransmissions, long repaired,
                  long duplicates, long padding, long unknownSsrc, long unrecognised, long sorted, long rtp,
                  long datagrams, long srtpFailures, long feedbackSent, SrtpProfile srtpProfile) {
        long unknown() {
            return unknownSsrc + unrecognised;
        }
    }

    /** Loop only. */
    void stop() {
        if (rtcpTimer != null) {
            rtcpTimer.cancel(false);
        }
        peer.close();
        signaling.close();
    }

    /** A summary for logs. Loop only. */
    @Override
    public String toString() {
        return name + "[offers=" + offers + " streams=" + downlink.streams().size() + " receiving="
                + streamsReceiving() + " window=" + downlink.sinceMark(DownlinkStats.MEDIA) + " perStream="
                + perStream() + " connected=" + isConnected() + "]";
    }
}
