package dev.prism.perf.load;

import dev.prism.perf.media.SyntheticRtp;
import dev.prism.rtp.rtcp.RtcpCompoundParser;
import dev.prism.rtp.rtcp.RtcpHeader;
import dev.prism.srtp.SrtpProfile;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A simulated publishing participant: joins, offers one Opus and one VP8 track, connects, then sends a video frame
 * every 1/fps s and an audio packet every 20 ms, and a key frame whenever the SFU asks (PLI or FIR). Video goes
 * through a pacer like Chrome's (a byte budget per 5 ms tick at a multiple of the bitrate); audio goes at once.
 * Each packet's probe is stamped as it leaves, so pacing delay is not counted as latency.
 *
 * <p>Threads: its own event loop ({@link #loop()}), after {@link #start()}; other threads read it through tasks there.
 */
final class Publisher implements ClientPeer.Handler {
    private final LoadContext ctx;
    private final EventLoop loop;
    private final RoomSignaling signaling;
    private final ClientPeer peer;
    private final MediaSource source;
    private final MediaProfile profile;
    private final long audioSsrc;
    private final long videoSsrc;
    private final long rtxSsrc;
    private final String cname;
    private final List<ByteBuf> frame = new ArrayList<>();
    private final RtcpCompoundParser rtcp = new RtcpCompoundParser();
    private ScheduledFuture<?> audioTimer;
    private ScheduledFuture<?> videoTimer;
    /** A large room's publisher: a microphone only (set before {@link #start}). */
    private boolean audioOnly;
    private ScheduledFuture<?> pacerTimer;
    private final ArrayDeque<ByteBuf> paced = new ArrayDeque<>();
    private long pacerBudget;
    private long keyframeRequests;
    private long packetsSent;
    private long markSent;
    private long markDatagrams;

    /** A publisher over UDP. */
    Publisher(LoadContext ctx, EventLoop loop, MediaProfile profile, int index, RoomSignaling signaling) {
        this(ctx, loop, profile, index, signaling, PeerTransport.UDP);
    }

    /**
     * @param loop  the event loop this participant lives on
     * @param index distinguishes this publisher's streams in probes: video 2*index, audio 2*index + 1
     * @param transport how its peer connection reaches the SFU
     */
    Publisher(LoadContext ctx, EventLoop loop, MediaProfile profile, int index, RoomSignaling signaling,
              PeerTransport transport) {
        this.ctx = ctx;
        this.loop = loop;
        this.signaling = signaling;
        this.profile = profile;
        this.cname = "pub" + index;
        this.peer = new ClientPeer(ctx, loop, cname, this, transport);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        this.audioSsrc = r.nextLong(1, 0x1_0000_0000L);
        this.videoSsrc = r.nextLong(1, 0x1_0000_0000L);
        this.rtxSsrc = r.nextLong(1, 0x1_0000_0000L);
        this.source = new MediaSource(profile, audioSsrc, videoSsrc, ClientSdp.OPUS_PT, ClientSdp.VP8_PT,
                new SyntheticRtp.ExtensionIds(ClientSdp.EXT_ABS_SEND_TIME, ClientSdp.EXT_TRANSPORT_CC,
                        ClientSdp.EXT_AUDIO_LEVEL),
                new SyntheticRtp.ExtensionIds(ClientSdp.EXT_ABS_SEND_TIME, ClientSdp.EXT_TRANSPORT_CC, 0),
                2 * index, index);
    }

    /** Its audio says silence from now on (a listener in a large room). */
    Publisher silentAudio() {
        source.silentAudio();
        return this;
    }

    /** Publishes a microphone only (a large room: its subscribers' SDP stays within the signaling limit). */
    Publisher audioOnly() {
        audioOnly = true;
        return this;
    }

    /** Joins, publishes and connects; completes (on the loop) when media can flow. */
    CompletableFuture<Publisher> start() throws InterruptedException {
        peer.bind();
        String offer = ClientSdp.publishOffer(peer.localIce(), peer.localFingerprint(), audioSsrc, videoSsrc, rtxSsrc,
                cname, peer.localCandidate(), !audioOnly);
        return signaling.join(null)
                .thenCompose(v -> signaling.publish(offer))
                .thenApplyAsync(answer -> {
                    try {
                        peer.start(ClientSdp.read(answer).transport());
                    } catch (Exception e) {
                        throw new IllegalStateException(cname + ": bad answer: " + e.getMessage(), e);
                    }
                    return peer;
                }, loop)
                .thenCompose(ClientPeer::connected)
                .thenApply(p -> this);
    }

    @Override
    public void onConnected(ClientPeer p) {
        long framePeriod = 1_000_000L / profile.fps();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        // Random phases: publishers do not send in lockstep.
        if (!audioOnly) {
            videoTimer = loop.scheduleAtFixedRate(this::sendFrame, r.nextLong(framePeriod), framePeriod,
                    TimeUnit.MICROSECONDS);
        }
        audioTimer = loop.scheduleAtFixedRate(this::sendAudio, r.nextLong(20_000), 20_000,
                TimeUnit.MICROSECONDS);
        if (profile.pacerBytesPerTick() > 0) {
            pacerTimer = loop.scheduleAtFixedRate(this::pacerTick, MediaProfile.PACER_TICK_MILLIS,
                    MediaProfile.PACER_TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void onRtcp(ClientPeer p, ByteBuf compound) {
        rtcp.reset(compound);
        while (rtcp.next()) {
            if (rtcp.packetType() == RtcpHeader.PT_PSFB
                    && (rtcp.countOrFormat() == RtcpHeader.FMT_PLI || rtcp.countOrFormat() == RtcpHeader.FMT_FIR)) {
                keyframeRequests++;
                source.requestKeyframe();
            }
        }
    }

    EventLoop loop() {
        return loop;
    }

    /** Starts a window here. Loop only. */
    void mark() {
        markSent = packetsSent;
        markDatagrams = peer.datagramsIn();
    }

    /** The window so far. Loop only. */
    Window window() {
        return new Window(packetsSent - markSent, packetsSent, keyframeRequests, source.keyframes(),
                peer.datagramsIn() - markDatagrams, peer.srtpProfile());
    }

    /**
     * One publisher's measurement window.
     *
     * @param sent              RTP packets sent since the mark
     * @param sentTotal         RTP packets sent in the whole run
     * @param keyframeRequests  PLI and FIR received in the whole run
     * @param keyframes         key frames sent in the whole run
     * @param datagrams         datagrams the server sent this participant since the mark (RTCP feedback, STUN, ...)
     * @param srtpProfile       what DTLS negotiated, null before
     */
    record Window(long sent, long sentTotal, long keyframeRequests, long keyframes, long datagrams,
                  SrtpProfile srtpProfile) {
    }

    boolean isConnected() {
        return peer.isConnected();
    }

    private void sendFrame() {
        if (!peer.isConnected()) {
            return;
        }
        source.nextVideoFrame(ctx.allocator(), System.nanoTime(), frame);
        if (profile.pacerBytesPerTick() > 0) {
            paced.addAll(frame);
            frame.clear();
            drainPacer(); // what is left of this tick's budget
            return;
        }
        for (ByteBuf b : frame) {
            send(b);
        }
        frame.clear();
        peer.flush();
    }

    private void pacerTick() {
        int perTick = profile.pacerBytesPerTick();
        pacerBudget = Math.min(pacerBudget + perTick, perTick);
        drainPacer();
    }

    /** Sends queued video while the budget lasts (the packet that overdraws it still goes). */
    private void drainPacer() {
        if (!peer.isConnected()) {
            return;
        }
        boolean sent = false;
        while (pacerBudget > 0 && !paced.isEmpty()) {
            ByteBuf b = paced.poll();
            pacerBudget -= b.readableBytes();
            send(b);
            sent = true;
        }
        if (sent) {
            peer.flush();
        }
    }

    private void send(ByteBuf b) {
        if (!peer.isConnected()) {
            b.release();
            return;
        }
        MediaSource.stamp(b, System.nanoTime());
        peer.sendRtp(b);
        packetsSent++;
    }

    private void sendAudio() {
        if (!peer.isConnected()) {
            return;
        }
        send(source.nextAudioPacket(ctx.allocator(), System.nanoTime()));
        peer.flush();
    }

    /** Stops sending and leaves. Loop only. */
    void stop() {
        if (videoTimer != null) {
            videoTimer.cancel(false);
        }
        if (audioTimer != null) { // an audio-only publisher has no video timer
            audioTimer.cancel(false);
        }
        if (pacerTimer != null) {
            pacerTimer.cancel(false);
        }
        paced.forEach(ByteBuf::release);
        paced.clear();
        peer.close();
        signaling.close();
    }
}
