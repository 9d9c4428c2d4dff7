package dev.prism.perf.load;

import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaKind;
import dev.prism.perf.media.SyntheticRtp;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.rtcp.ReceiverReport;
import dev.prism.rtp.rtcp.ReportBlock;
import dev.prism.rtp.rtcp.RtcpHeader;
import dev.prism.rtp.rtcp.RtcpMessage;
import dev.prism.rtp.rtcp.TransportCcFeedback;
import dev.prism.rtp.srtp.SrtpProfile;
import dev.prism.rtp.srtp.SrtpSession;
import io.netty.buffer.ByteBuf;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A simulated receive-only participant: answers every subscriber offer, connects, and for every RTP packet counts it
 * per stream (loss by sequence number), records its latency from the probe in the payload, and notes its
 * transport-wide sequence number for transport-cc feedback (every 100 ms, when the SFU sends that extension).
 * A receiver report goes out every second.
 *
 * <p>Threads: the load loop.
 */
final class Subscriber implements ClientPeer.Handler {
    private static final long FEEDBACK_INTERVAL_MILLIS = 100;

    private final LoadContext ctx;
    private final RoomSignaling signaling;
    private final ClientPeer peer;
    private final LatencyRecorder latency;
    private final long ssrc = ThreadLocalRandom.current().nextLong(1, 0x1_0000_0000L);
    private final LongObjectHashMap<StreamStats> streams = new LongObjectHashMap<>();
    private final String name;
    private boolean started;
    private Map<Integer, MediaKind> payloadKinds = Map.of();
    private int transportCcId;
    private TransportCcFeedback.Builder feedback;
    private int feedbackCount;
    private long lastTwSeq = -1;
    private int ticks;
    private long unknownSsrc;
    private long offers;
    private long feedbackSent;
    private ScheduledFuture<?> rtcpTimer;

    Subscriber(LoadContext ctx, int index, RoomSignaling signaling, LatencyRecorder latency) {
        this.ctx = ctx;
        this.signaling = signaling;
        this.latency = latency;
        this.name = "sub" + index;
        this.peer = new ClientPeer(ctx, name, this);
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
            if (s.active() && s.ssrc() != 0 && !streams.containsKey(s.ssrc())) {
                streams.put(s.ssrc(), new StreamStats(s.kind()));
            }
        }
        transportCcId = d.extensionId(HeaderExtension.TRANSPORT_CC);
        if (!started) {
            started = true;
            peer.start(d.transport());
        }
        payloadKinds = d.payloadKinds();
        return ClientSdp.subscriberAnswer(d.sdp(), peer.localIce(), peer.localFingerprint(), peer.localAddress());
    }

    @Override
    public void onConnected(ClientPeer p) {
        rtcpTimer = ctx.loop().scheduleAtFixedRate(this::rtcpTick, FEEDBACK_INTERVAL_MILLIS,
                FEEDBACK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onRtp(ClientPeer p, RtpPacket packet, long arrivalNanos) {
        StreamStats s = streams.get(packet.ssrc());
        if (s == null) {
            // An SSRC the offer did not announce: count it, and follow it as its payload type's kind.
            unknownSsrc++;
            MediaKind kind = payloadKinds.get(packet.payloadType());
            if (kind == null) {
                return;
            }
            s = new StreamStats(kind);
            streams.put(packet.ssrc(), s);
        }
        s.onPacket(packet.sequenceNumber());
        int payloadEnd = packet.payloadOffset() + packet.payloadLength();
        long sent = SyntheticRtp.probeSendNanos(packet.buffer(), packet.payloadOffset(), payloadEnd);
        if (sent != Long.MIN_VALUE) {
            latency.record(s.kind(), arrivalNanos - sent);
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
        for (LongObjectHashMap.PrimitiveEntry<StreamStats> e : streams.entries()) {
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
        for (LongObjectHashMap.PrimitiveEntry<StreamStats> e : streams.entries()) {
            sb.append(e.value().kind().sdpName().charAt(0)).append(':').append(e.value().receivedSinceMark())
                    .append(' ');
        }
        return sb.toString().trim();
    }

    /** Streams that have delivered at least one packet. */
    int streamsReceiving() {
        int n = 0;
        for (StreamStats s : streams.values()) {
            n += s.received() > 0 ? 1 : 0;
        }
        return n;
    }

    SrtpProfile srtpProfile() {
        return peer.srtpProfile();
    }

    boolean isConnected() {
        return peer.isConnected();
    }

    void mark() {
        streams.values().forEach(StreamStats::mark);
    }

    long receivedSinceMark() {
        long n = 0;
        for (StreamStats s : streams.values()) {
            n += s.receivedSinceMark();
        }
        return n;
    }

    long expectedSinceMark() {
        long n = 0;
        for (StreamStats s : streams.values()) {
            n += s.expectedSinceMark();
        }
        return n;
    }

    /** Packets whose SSRC no offer announced (the stream is then followed by payload type). */
    long unknownSsrc() {
        return unknownSsrc;
    }

    long srtpFailures() {
        return peer.srtpFailures();
    }

    long feedbackSent() {
        return feedbackSent;
    }

    /** Loop only. */
    void stop() {
        if (rtcpTimer != null) {
            rtcpTimer.cancel(false);
        }
        peer.close();
        signaling.close();
    }

    @Override
    public String toString() {
        return name + "[offers=" + offers + " streams=" + streams.size() + " receiving=" + streamsReceiving()
                + " window=" + receivedSinceMark() + " perStream=" + perStream() + " connected=" + isConnected() + "]";
    }
}
