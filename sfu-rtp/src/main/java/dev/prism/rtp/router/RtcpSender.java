package dev.prism.rtp.router;

import dev.prism.rtp.rtcp.Pli;
import dev.prism.rtp.rtcp.Remb;
import dev.prism.rtp.srtp.SrtpSession;
import dev.prism.rtp.transport.WebRtcTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Builds the RTCP feedback Prism originates (PLI toward publishers, REMB) and sends it through a transport.
 * Media event loop only; each message is one pooled buffer handed to {@link WebRtcTransport#sendRtcp}.
 */
public final class RtcpSender {
    /** The SSRC Prism's own RTCP feedback is sent from (RFC 4585 allows any; 1 is what many SFUs use). */
    public static final long SENDER_SSRC = 1;

    private final ByteBufAllocator allocator;

    public RtcpSender(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    /** Asks the sender of {@code mediaSsrc} on {@code transport} for a keyframe. */
    public void sendPli(WebRtcTransport transport, long mediaSsrc) {
        Pli pli = new Pli(SENDER_SSRC, mediaSsrc);
        ByteBuf buf = allocator.heapBuffer(pli.length() + SrtpSession.MAX_TRAILER);
        pli.write(buf);
        transport.sendRtcp(buf);
    }

    /** Tells a publisher the bitrate it may send for {@code ssrcs}. */
    public void sendRemb(WebRtcTransport transport, long bitrateBps, long[] ssrcs) {
        java.util.List<Long> list = new java.util.ArrayList<>(ssrcs.length);
        for (long s : ssrcs) {
            list.add(s);
        }
        Remb remb = Remb.of(SENDER_SSRC, bitrateBps, list);
        ByteBuf buf = allocator.heapBuffer(remb.length() + SrtpSession.MAX_TRAILER);
        remb.write(buf);
        transport.sendRtcp(buf);
    }
}
