package dev.prism.rtp.router.uplink;

import dev.prism.rtp.layer.PacketMeta;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.packet.SeqNum;
import io.netty.buffer.ByteBuf;

/**
 * Where the latest key frame of one {@link ProducerLayer} starts in that layer's {@link PacketHistory}, so that a
 * subscriber whose connection just came up can be sent that key frame and everything that followed it at once
 * ({@link Producer#replayLatestKeyframe}) instead of waiting a round trip to the publisher for a new one.
 *
 * <p>No packet is copied or retained here: the history already holds the packets (its references are released when
 * their slots are reused, when they expire, and on close), and this only remembers sequence numbers. A key frame is
 * replayable while every packet from its first to the newest one is still in the history, at most
 * {@link #MAX_PACKETS} of them and none older than {@link #MAX_AGE_NANOS}: a subscriber then gets one burst of at most
 * that many packets, and a gap (a packet lost and not recovered) never reaches its decoder as a broken frame.
 *
 * <p>Pure: no clock of its own, times are passed in. One thread (the room's event loop); no allocation.
 */
public final class LatestKeyframe {
    /** At most this many packets are replayed (a 720p key frame is 30-80 packets, then a few per delta frame). */
    public static final int MAX_PACKETS = 192;
    /** A key frame older than this is not replayed (that much of what followed would be a burst of stale video). */
    public static final long MAX_AGE_NANOS = 500_000_000L;

    private boolean known;
    private int startSeq;
    private long rtpTimestamp;
    private long arrivalNanos;
    private boolean anyPacket;
    private int newestSeq;

    /**
     * One packet of the layer, in arrival order (retransmissions included).
     *
     * @param keyframeStart whether it is the start of a key frame ({@code PacketMeta.isKeyframe})
     */
    public void onPacket(int seq, long timestamp, boolean keyframeStart, long nowNanos) {
        seq &= 0xFFFF;
        if (!anyPacket || SeqNum.isNewer(seq, newestSeq)) {
            anyPacket = true;
            newestSeq = seq;
        }
        if (!keyframeStart) {
            return;
        }
        if (!known || timestamp != rtpTimestamp && SeqNum.isNewer(seq, startSeq)) {
            known = true;
            startSeq = seq;
            rtpTimestamp = timestamp;
            arrivalNanos = nowNanos;
        } else if (timestamp == rtpTimestamp && SeqNum.isOlder(seq, startSeq)) {
            startSeq = seq; // an earlier packet of the same key frame (H.264's SPS, or one recovered late)
        }
    }

    /**
     * How many packets, from {@link #startSeq()} on, can be replayed now: 0 when no key frame is known, it is older
     * than {@link #MAX_AGE_NANOS}, more than {@link #MAX_PACKETS} packets followed it, or one of them is missing from
     * {@code history}.
     */
    public int replayable(PacketHistory history, long nowNanos) {
        if (!known || history == null || nowNanos - arrivalNanos > MAX_AGE_NANOS) {
            return 0;
        }
        int n = ((newestSeq - startSeq) & 0xFFFF) + 1;
        if (n > MAX_PACKETS || n > history.capacity()) {
            return 0;
        }
        for (int i = 0; i < n; i++) {
            if (history.get(startSeq + i, nowNanos) == null) {
                return 0;
            }
        }
        return n;
    }

    /**
     * Hands the replayable packets ({@link #replayable}) to {@code sink} in sequence order, as spatial layer
     * {@code spatial}, each wrapped in {@code view} (reused, cleared afterwards) with its meta read again.
     * Buffers: each packet is the history's, lent for the call (the sink copies what it forwards).
     *
     * @return packets handed over, 0 when nothing was replayable
     */
    int replay(PacketHistory history, RtpPacket view, boolean h264, int spatial, PacketSink sink, long nowNanos) {
        int n = replayable(history, nowNanos);
        for (int i = 0; i < n; i++) {
            ByteBuf b = history.get(startSeq + i, nowNanos);
            if (!view.wrap(b)) {
                continue; // unreachable: the producer kept only packets that parsed
            }
            try {
                int meta = h264 ? PacketMeta.h264(b, view.payloadOffset(), view.payloadLength())
                        : PacketMeta.vp8(b, view.payloadOffset(), view.payloadLength());
                sink.onPacket(view, spatial, meta);
            } finally {
                view.clear();
            }
        }
        return n;
    }

    /** Sequence number of the latest key frame's first packet (meaningful when {@link #replayable} is above 0). */
    public int startSeq() {
        return startSeq;
    }

    /** Forgets the key frame (the stream's history was cleared). */
    public void clear() {
        known = false;
        anyPacket = false;
    }
}
