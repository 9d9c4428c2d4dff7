package dev.prism.rtp.bwe;

/**
 * A subscriber's downlink bandwidth as the bitrate allocator sees it: {@link SendSideEstimator} when the subscriber
 * sends transport-cc feedback, {@link RembEstimator} when it only sends REMB. Read on the room's event loop.
 */
public interface BandwidthEstimator {
    /** The current estimate in bits per second. */
    long estimateBps();
}
