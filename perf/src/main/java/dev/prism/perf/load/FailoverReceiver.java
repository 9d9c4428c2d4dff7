package dev.prism.perf.load;

import dev.prism.core.rtp.MediaKind;
import dev.prism.rtp.packet.RtpPacket;
import io.netty.channel.EventLoop;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The receiving side of one failover participant: joins with its own signaling socket, answers the server's subscriber
 * offers over one {@link ClientPeer} (real ICE, DTLS, SRTP) and notes the first moment RTP arrived on every active
 * video stream of the latest offer, once that offer lists at least {@code expectedVideo} of them.
 *
 * <p>Threads: everything on its event loop; {@link #mediaFromAll()} completes there.
 */
final class FailoverReceiver implements ClientPeer.Handler {
    private final EventLoop loop;
    private final PrismSignaling signaling;
    private final ClientPeer peer;
    private final int expectedVideo;
    private final Set<Long> announcedVideo = new HashSet<>();
    private final Set<Long> heardVideo = new HashSet<>();
    private final CompletableFuture<Long> mediaFromAll = new CompletableFuture<>();
    private boolean started;

    FailoverReceiver(LoadContext ctx, EventLoop loop, String name, PrismSignaling signaling, int expectedVideo) {
        this.loop = loop;
        this.signaling = signaling;
        this.expectedVideo = expectedVideo;
        this.peer = new ClientPeer(ctx, loop, name, this);
    }

    /** Binds, joins; the offers drive the rest. Completes when welcomed. */
    CompletableFuture<Void> start() throws InterruptedException {
        peer.bind();
        return signaling.join(this::answer);
    }

    PrismSignaling signaling() {
        return signaling;
    }

    /** {@link System#nanoTime()} when video from every expected stream had arrived. */
    CompletableFuture<Long> mediaFromAll() {
        return mediaFromAll;
    }

    private String answer(String offerSdp) {
        ClientSdp.RemoteDescription d;
        try {
            d = ClientSdp.read(offerSdp);
        } catch (Exception e) {
            throw new IllegalStateException(peer.name() + ": bad offer: " + e.getMessage(), e);
        }
        announcedVideo.clear();
        for (ClientSdp.RemoteStream s : d.streams()) {
            if (s.active() && s.kind() == MediaKind.VIDEO) {
                announcedVideo.add(s.ssrc());
            }
        }
        if (!started) {
            started = true;
            peer.start(d.transport());
        }
        check();
        return ClientSdp.subscriberAnswer(d.sdp(), peer.localIce(), peer.localFingerprint(), peer.localAddress());
    }

    @Override
    public void onRtp(ClientPeer p, RtpPacket packet, long arrivalNanos) {
        if (announcedVideo.contains(packet.ssrc()) && heardVideo.add(packet.ssrc())) {
            check();
        }
    }

    private void check() {
        if (!mediaFromAll.isDone() && announcedVideo.size() >= expectedVideo
                && heardVideo.containsAll(announcedVideo)) {
            mediaFromAll.complete(System.nanoTime());
        }
    }

    /** Leaves and closes the peer. Any thread. */
    void stop() {
        loop.execute(() -> {
            peer.close();
            signaling.close();
        });
    }
}
