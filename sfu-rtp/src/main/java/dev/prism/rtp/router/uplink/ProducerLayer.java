package dev.prism.rtp.router.uplink;

/**
 * One RTP stream of a {@link Producer}: a simulcast encoding (spatial layer {@link #index()}, 0 = lowest resolution),
 * or the only stream of a track that is not simulcast. Each stream has its own SSRC, sequence space and RTP clock, so
 * each has its own loss-recovery and reporting state: the {@link PacketHistory} subscribers' NACKs are answered from,
 * the {@link NackGenerator} toward the publisher, reception statistics for receiver reports, the mapping of the
 * publisher's sender reports (lip sync), and a {@link KeyframeRequestThrottle} (a PLI names one SSRC).
 *
 * <p>The SSRCs are known from the SDP, or learned from the first packet that names this stream by its mid and rid
 * (RTX: repaired rid) header extensions ({@link PublisherEndpoint}); 0 until then.
 *
 * <p>Threading: the media event loop only; the accessors may be read there by admin snapshots.
 */
public final class ProducerLayer {
    private final Producer producer;
    private final int index;
    private final String rid;
    private final byte[] ridBytes;
    long ssrc;
    long rtxSsrc;
    final PacketHistory history;
    final NackGenerator nacks;
    final ReceiveStreamStats stats;
    final KeyframeRequestThrottle keyframeThrottle;
    /** Where the latest key frame starts in {@link #history}, for a subscriber that just connected. */
    final LatestKeyframe latestKeyframe = new LatestKeyframe();
    long packets;
    long bytes;
    long keyframes;
    long rtxRecovered;
    long rtxDuplicates;
    long recoveryRtt = -1;
    long lastPacketNanos = Long.MIN_VALUE;
    int width;
    int height;
    // The publisher's last sender report for this stream, mapped onto Prism's monotonic clock.
    boolean haveSenderReport;
    long srRtpTimestamp;
    long srMonoNanos;
    long srCompactNtp;
    long srArrivalNanos;

    ProducerLayer(Producer producer, int index, String rid, long ssrc, long rtxSsrc, PacketHistory history,
                  NackGenerator nacks, ReceiveStreamStats stats, KeyframeRequestThrottle keyframeThrottle) {
        this.producer = producer;
        this.index = index;
        this.rid = rid;
        this.ridBytes = rid == null ? null : rid.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.history = history;
        this.nacks = nacks;
        this.stats = stats;
        this.keyframeThrottle = keyframeThrottle;
    }

    public Producer producer() {
        return producer;
    }

    /** Spatial layer index, 0 = lowest (the position of the rid in the publisher's {@code a=simulcast}). */
    public int index() {
        return index;
    }

    /** The RTP stream id, or null when the track is not simulcast by rid. */
    public String rid() {
        return rid;
    }

    /** The stream's SSRC, 0 while not yet learned. */
    public long ssrc() {
        return ssrc;
    }

    /** Its RTX SSRC, 0 when none is known. */
    public long rtxSsrc() {
        return rtxSsrc;
    }

    public long packets() {
        return packets;
    }

    public long bytes() {
        return bytes;
    }

    public long keyframes() {
        return keyframes;
    }

    /** Picture width from the latest key frame, 0 before the first (video only). */
    public int width() {
        return width;
    }

    /** Picture height from the latest key frame, 0 before the first. */
    public int height() {
        return height;
    }

    /** Clock reading when its last packet arrived, {@link Long#MIN_VALUE} before the first. */
    public long lastPacketNanos() {
        return lastPacketNanos;
    }

    public ReceiveStreamStats receiveStats() {
        return stats;
    }

    /** Whether a sender report arrived, so {@link #rtpTimestampAt} is defined. */
    public boolean hasSenderReport() {
        return haveSenderReport;
    }

    /**
     * The publisher's RTP timestamp of this stream for the instant {@code monoNanos}, extrapolated from its last sender
     * report at the codec clock rate (unsigned 32 bits). Only meaningful when {@link #hasSenderReport()}.
     */
    public long rtpTimestampAt(long monoNanos) {
        long ticks = Math.floorDiv((monoNanos - srMonoNanos) * stats.clockRate(), 1_000_000_000L);
        return (srRtpTimestamp + ticks) & 0xFFFF_FFFFL;
    }

    /** Whether {@code len} bytes at {@code offset} of {@code buf} spell this layer's rid. No allocation. */
    boolean ridEquals(io.netty.buffer.ByteBuf buf, int offset, int len) {
        if (ridBytes == null || len != ridBytes.length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (buf.getByte(offset + i) != ridBytes[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "ProducerLayer[" + producer.trackId() + "#" + index + (rid == null ? "" : " rid=" + rid) + " ssrc="
                + ssrc + "]";
    }
}
