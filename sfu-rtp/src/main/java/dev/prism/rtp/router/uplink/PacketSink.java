package dev.prism.rtp.router.uplink;

import dev.prism.rtp.packet.RtpPacket;

/**
 * Where a {@link Producer} fans its packets out to: the downlink's consumers implement it, so the uplink never names a
 * downlink type (the packages depend one way: downlink on uplink).
 *
 * <p>Threading: the media event loop only (the producer's). Buffers: {@link #onPacket} borrows the packet for the
 * call; a sink that keeps it copies it (one pooled copy per subscriber) or {@code retain()}s it and owns that reference.
 */
public interface PacketSink {
    /**
     * One packet of the producer's spatial layer {@code spatial} (0 unless simulcast), with its {@code meta}
     * ({@link dev.prism.rtp.layer.PacketMeta}, read once by the producer for every sink). Hot path: no allocation
     * beyond the sink's own copy.
     */
    void onPacket(RtpPacket packet, int spatial, int meta);

    /** The producer went away (track unpublished): it has already forgotten this sink; nothing more will come. */
    void onProducerClosed();
}
