package dev.prism.rtp.bwe;

import java.util.Locale;

/** What the delay-gradient detector concludes about the path: queues building, draining, or neither. */
public enum BandwidthUsage {
    NORMAL,
    /** Delay is falling: queues are draining, the rate may stay where it is. */
    UNDERUSING,
    /** Delay is growing: a queue is building, the rate must go down. */
    OVERUSING;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
