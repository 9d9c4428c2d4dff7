package dev.prism.rtp.router;

import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.transport.MediaCounters;
import dev.prism.rtp.transport.WebRtcTransport;
import java.util.Arrays;

/**
 * One incoming track from a publisher: the RTP stream it sends and the consumers it fans out to.
 *
 * <p>Threading: the media event loop only. The consumer list is an array replaced on change, so the fan-out loop
 * iterates it without an iterator or lock.
 */
public final class Producer {
    private static final Consumer[] NONE = new Consumer[0];

    private final String trackId;
    private final String participantId;
    private final MediaDescription description;
    private final RtpCodec codec;
    private final long ssrc;
    private final WebRtcTransport transport;
    private final RtcpSender rtcp;
    private final KeyframeRequestThrottle keyframeThrottle;
    private final MediaCounters counters;
    private final String[] extensionUriById = new String[256];
    private Consumer[] consumers = NONE;
    private long packets;
    private long bytes;

    /**
     * @param description what the publisher negotiated for this track (its payload types and extension ids)
     * @param ssrc        the SSRC of the stream it sends
     */
    public Producer(String trackId, String participantId, MediaDescription description, long ssrc,
                    WebRtcTransport transport, RtcpSender rtcp, KeyframeRequestThrottle keyframeThrottle,
                    MediaCounters counters) {
        this.trackId = trackId;
        this.participantId = participantId;
        this.description = description;
        this.codec = description.primaryCodec();
        this.ssrc = ssrc;
        this.transport = transport;
        this.rtcp = rtcp;
        this.keyframeThrottle = keyframeThrottle;
        this.counters = counters;
        for (HeaderExtension e : description.extensions()) {
            if (e.id() > 0 && e.id() < 256) {
                extensionUriById[e.id()] = e.uri();
            }
        }
    }

    public String trackId() {
        return trackId;
    }

    public String participantId() {
        return participantId;
    }

    public MediaKind kind() {
        return description.kind();
    }

    public long ssrc() {
        return ssrc;
    }

    public RtpCodec codec() {
        return codec;
    }

    public long packets() {
        return packets;
    }

    public long bytes() {
        return bytes;
    }

    /** The URI the publisher negotiated for header extension {@code id}, or null. */
    String extensionUri(int id) {
        return extensionUriById[id];
    }

    /** Forwards one packet to every consumer. Hot path: no allocation beyond each consumer's pooled copy. */
    void onRtp(RtpPacket packet) {
        packets++;
        bytes += packet.length();
        Consumer[] cs = consumers;
        for (int i = 0; i < cs.length; i++) {
            cs[i].forward(packet);
        }
    }

    /** Asks the publisher for a keyframe (PLI), at most once per throttle interval whoever asks. */
    public void requestKeyframe() {
        if (description.kind() != MediaKind.VIDEO || !transport.isConnected()) {
            return;
        }
        if (keyframeThrottle.tryAcquire()) {
            counters.keyframeRequested();
            rtcp.sendPli(transport, ssrc);
        }
    }

    void addConsumer(Consumer c) {
        Consumer[] next = Arrays.copyOf(consumers, consumers.length + 1);
        next[consumers.length] = c;
        consumers = next;
    }

    void removeConsumer(Consumer c) {
        int i = Arrays.asList(consumers).indexOf(c);
        if (i < 0) {
            return;
        }
        Consumer[] next = new Consumer[consumers.length - 1];
        System.arraycopy(consumers, 0, next, 0, i);
        System.arraycopy(consumers, i + 1, next, i, consumers.length - i - 1);
        consumers = next;
    }

    /** Detaches every consumer (the track went away). */
    void closeAll() {
        for (Consumer c : consumers) {
            c.closeFromProducer();
        }
        consumers = NONE;
    }

    public int consumerCount() {
        return consumers.length;
    }
}
