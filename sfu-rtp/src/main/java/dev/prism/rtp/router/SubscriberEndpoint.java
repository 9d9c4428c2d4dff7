package dev.prism.rtp.router;

import dev.prism.rtp.transport.TransportListener;
import dev.prism.rtp.transport.WebRtcTransport;
import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import java.util.ArrayList;
import java.util.function.BiConsumer;

/**
 * The sending end of one participant's subscriber connection: owns its consumers (by the SSRC Prism offered for each)
 * and routes the subscriber's feedback (PLI, FIR) to the right producer.
 *
 * <p>Threading: the media event loop only.
 */
public final class SubscriberEndpoint implements TransportListener {
    private final RtcpFeedbackRouter feedback;
    private final BiConsumer<WebRtcTransport, String> onClosed;
    private final IntObjectHashMap<Consumer> bySsrc = new IntObjectHashMap<>();
    private WebRtcTransport transport;

    public SubscriberEndpoint(BiConsumer<WebRtcTransport, String> onClosed, dev.prism.rtp.transport.MediaCounters counters) {
        this.onClosed = onClosed;
        this.feedback = new RtcpFeedbackRouter(bySsrc, counters);
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

    void addConsumer(Consumer c) {
        bySsrc.put((int) c.ssrc(), c);
    }

    /** Stops and forgets one consumer. */
    public void removeConsumer(Consumer c) {
        c.close();
        bySsrc.remove((int) c.ssrc());
    }

    /** Stops every consumer (the participant leaves). */
    public void closeAll() {
        for (Consumer c : new ArrayList<>(bySsrc.values())) {
            c.close();
        }
        bySsrc.clear();
    }

    @Override
    public void onConnected(WebRtcTransport t) {
        // Every video consumer waits for a keyframe: ask now that packets can flow.
        for (Consumer c : bySsrc.values()) {
            c.requestKeyframe();
        }
    }

    @Override
    public void onRtcp(WebRtcTransport t, ByteBuf compound) {
        feedback.onRtcp(compound);
    }

    @Override
    public void onClosed(WebRtcTransport t, String reason) {
        onClosed.accept(t, reason);
    }
}
