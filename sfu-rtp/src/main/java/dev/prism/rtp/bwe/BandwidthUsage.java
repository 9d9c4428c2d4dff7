package dev.prism.rtp.bwe;

import java.util.Locale;

/** What the delay-gradient detector concludes about the path: queues building, draining, or neither. */
public enum BandwidthUsage {
    NORMAL,
    /** Delay is falling: queues are draining, the rate may stay where it is. */
    UNDERUSING,
    /** Delay is growing: a queue is building, the rate must go down. */
    OVERUSING;

    /** Built once: the stats sampler describes every subscriber's estimator each second. */
    private final String label = name().toLowerCase(Locale.ROOT);

    @Override
    public String toString() {
        return label;
    }
}
