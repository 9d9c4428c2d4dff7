package dev.prism.rtp.router;

import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaKind;
import dev.prism.rtp.codec.Vp8Payload;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.srtp.SrtpSession;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import dev.prism.rtp.transport.WebRtcTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One subscriber's copy of one {@link Producer}: rewrites each packet to what that subscriber negotiated (its SSRC,
 * payload type, header-extension ids; sequence numbers and timestamps kept continuous from a random start) and sends
 * it through the subscriber's transport.
 *
 * <p>Threading: the media event loop only. Buffers: each forwarded packet is one pooled heap copy, allocated here and
 * handed to {@link WebRtcTransport#sendRtp}, which owns it from then on.
 */
public final class Consumer {
    /** Room for header-extension growth when one-byte elements become two-byte ones. */
    private static final int EXTENSION_SLACK = 32;

    private final Producer producer;
    private final WebRtcTransport transport;
    private final long ssrc;
    private final int payloadType;
    private final ByteBufAllocator allocator;
    private final MediaCounters counters;
    private final byte[] extensionIdMap = new byte[256];
    private boolean waitingForKeyframe;
    private boolean started;
    private int seqDelta;
    private long timestampDelta;
    private boolean closed;
    private long packets;
    private long bytes;

    /**
     * @param ssrc        the SSRC this subscriber was offered for the track
     * @param payloadType the payload type of the codec in this subscriber's m-line
     * @param extensions  the header extensions this subscriber's m-line negotiated
     */
    public Consumer(Producer producer, WebRtcTransport transport, long ssrc, int payloadType,
                    List<HeaderExtension> extensions, ByteBufAllocator allocator, MediaCounters counters) {
        this.producer = producer;
        this.transport = transport;
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.allocator = allocator;
        this.counters = counters;
        this.waitingForKeyframe = producer.kind() == MediaKind.VIDEO;
        setExtensions(extensions);
    }

    /**
     * Extensions whose values stay true after forwarding, so they pass through with only the id rewritten. Others
     * (mid, rid, transport-wide sequence numbers) describe the publisher's connection and are dropped.
     */
    private static final java.util.Set<String> PASS_THROUGH = java.util.Set.of(HeaderExtension.AUDIO_LEVEL,
            HeaderExtension.ABS_SEND_TIME);

    /** Re-maps header extensions by URI: publisher id -> this subscriber's id; unknown ones are dropped. */
    public void setExtensions(List<HeaderExtension> extensions) {
        java.util.Arrays.fill(extensionIdMap, (byte) 0);
        for (int inId = 1; inId < 256; inId++) {
            String uri = producer.extensionUri(inId);
            if (uri == null || !PASS_THROUGH.contains(uri)) {
                continue;
            }
            for (HeaderExtension e : extensions) {
                if (e.uri().equals(uri)) {
                    extensionIdMap[inId] = (byte) e.id();
                }
            }
        }
    }

    public Producer producer() {
        return producer;
    }

    public long ssrc() {
        return ssrc;
    }

    public WebRtcTransport transport() {
        return transport;
    }

    public long packets() {
        return packets;
    }

    public long bytes() {
        return bytes;
    }

    /** Video waits for a keyframe so the decoder starts clean; asks the publisher for one now. */
    public void requestKeyframe() {
        producer.requestKeyframe();
    }

    void forward(RtpPacket packet) {
        if (closed) {
            return;
        }
        if (!transport.isConnected()) {
            counters.drop(DropReason.SEND_NOT_CONNECTED);
            return;
        }
        if (waitingForKeyframe) {
            if (!Vp8Payload.isKeyframeStart(packet.buffer(), packet.payloadOffset(), packet.payloadLength())) {
                counters.drop(DropReason.VIDEO_WAITING_FOR_KEYFRAME);
                producer.requestKeyframe();
                return;
            }
            waitingForKeyframe = false;
        }
        if (!started) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            seqDelta = r.nextInt(0x10000) - packet.sequenceNumber();
            timestampDelta = r.nextLong(0x1_0000_0000L) - packet.timestamp();
            started = true;
        }
        int seq = (packet.sequenceNumber() + seqDelta) & 0xFFFF;
        long ts = (packet.timestamp() + timestampDelta) & 0xFFFF_FFFFL;
        ByteBuf out = allocator.heapBuffer(packet.length() + EXTENSION_SLACK + SrtpSession.MAX_TRAILER);
        int written = packet.copyRewritten(out, ssrc, seq, ts, payloadType, extensionIdMap);
        if (written < 0) {
            out.release();
            counters.drop(DropReason.SEND_NO_ROOM);
            return;
        }
        packets++;
        bytes += written;
        counters.forwarded();
        transport.sendRtp(out);
    }

    /** Stops forwarding and detaches from the producer. Idempotent. */
    public void close() {
        if (!closed) {
            closed = true;
            producer.removeConsumer(this);
        }
    }

    void closeFromProducer() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }
}
