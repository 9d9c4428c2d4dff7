package dev.prism.rtp.router;

import dev.prism.core.rtp.MediaKind;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import dev.prism.rtp.transport.TransportListener;
import dev.prism.rtp.transport.WebRtcTransport;
import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The receiving end of one participant's publisher connection: routes each incoming RTP packet to its
 * {@link Producer} by SSRC (a primitive-keyed map: no boxing per packet), and tells the publisher how much it may send.
 *
 * <p>Threading: the media event loop only.
 */
public final class PublisherEndpoint implements TransportListener {
    /**
     * The bitrate Prism announces (REMB) to each publisher until the bandwidth estimator of the simulcast work replaces
     * it: without any feedback Chrome stays near its start bitrate.
     */
    public static final long ANNOUNCED_BITRATE_BPS = 2_500_000L;

    private WebRtcTransport transport;
    private final MediaCounters counters;
    private final RtcpSender rtcp;
    private final BiConsumer<WebRtcTransport, String> onClosed;
    private final IntObjectHashMap<Producer> bySsrc = new IntObjectHashMap<>();
    private final IntObjectHashMap<Producer> byRtxSsrc = new IntObjectHashMap<>();
    private ScheduledFuture<?> rembTask;

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

    void addProducer(Producer p, long rtxSsrc) {
        bySsrc.put((int) p.ssrc(), p);
        if (rtxSsrc != 0) {
            byRtxSsrc.put((int) rtxSsrc, p);
        }
    }

    /** Forgets a producer's SSRCs (track unpublished or renegotiated). */
    public void removeProducer(Producer p) {
        bySsrc.values().removeIf(x -> x == p);
        byRtxSsrc.values().removeIf(x -> x == p);
    }

    @Override
    public void onConnected(WebRtcTransport t) {
        rembTask = t.scheduleAtFixedRate(this::announceBitrate, 1, TimeUnit.SECONDS);
        announceBitrate();
        bySsrc.values().forEach(Producer::requestKeyframe);
    }

    @Override
    public void onRtp(WebRtcTransport t, RtpPacket packet) {
        int ssrc = (int) packet.ssrc();
        Producer p = bySsrc.get(ssrc);
        if (p != null) {
            p.onRtp(packet);
        } else if (byRtxSsrc.containsKey(ssrc)) {
            counters.drop(DropReason.RTP_RTX_UNUSED);
        } else {
            counters.drop(DropReason.RTP_UNKNOWN_SSRC);
        }
    }

    @Override
    public void onRtcp(WebRtcTransport t, ByteBuf compound) {
        // Sender reports and SDES from the publisher: kept for lip sync and RTT with the RTCP work.
    }

    @Override
    public void onClosed(WebRtcTransport t, String reason) {
        if (rembTask != null) {
            rembTask.cancel(false);
        }
        onClosed.accept(t, reason);
    }

    private void announceBitrate() {
        if (!transport.isConnected()) {
            return;
        }
        int n = 0;
        long[] ssrcs = new long[bySsrc.size()];
        for (Producer p : bySsrc.values()) {
            if (p.kind() == MediaKind.VIDEO) {
                ssrcs[n++] = p.ssrc();
            }
        }
        if (n > 0) {
            rtcp.sendRemb(transport, ANNOUNCED_BITRATE_BPS, java.util.Arrays.copyOf(ssrcs, n));
        }
    }
}
