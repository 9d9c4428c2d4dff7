package dev.prism.rtp.alloc;

import java.util.Locale;

/**
 * What one subscription gets in an {@link Allocation}.
 *
 * @param spatial    spatial layer to forward, -1 for none (audio: 0 when sent)
 * @param temporal   highest temporal layer to forward, -1 for none
 * @param bitrateBps the measured bitrate of what is assigned
 * @param state      why it got what it got
 */
public record Assignment(String id, int spatial, int temporal, long bitrateBps, State state) {
    public enum State {
        /** Got the best layer its preferences allow. */
        OPTIMAL,
        /** Got a layer, but less than its preferences allow: the estimate is the limit. */
        LIMITED,
        /** Not even the lowest layer fits. */
        PAUSED_NO_BANDWIDTH,
        /** The subscriber paused it. */
        PAUSED_BY_SUBSCRIBER,
        /** No layer measured yet: the lowest layer is forwarded on trust until numbers arrive. */
        UNMEASURED;

        /** The lower-case name, built once: the downlink passes it with every allocation round's layer targets. */
        private final String label = name().toLowerCase(Locale.ROOT);

        @Override
        public String toString() {
            return label;
        }
    }

    /** True when something is forwarded. */
    public boolean forwarding() {
        return spatial >= 0;
    }

    /** Compares layers: negative when this one is lower than {@code (s, t)} (-1 = none is lowest). */
    int compareLayer(int s, int t) {
        return spatial != s ? Integer.compare(spatial, s) : Integer.compare(temporal, t);
    }

    /** Compact form for logs and tests: {@code cam1=s1t2@480000(limited)}. */
    @Override
    public String toString() {
        String layer = spatial < 0 ? "none" : "s" + spatial + "t" + temporal;
        return id + "=" + layer + "@" + bitrateBps + "(" + state + ")";
    }
}
