package dev.prism.rtp.layer;

import java.util.Locale;

/** Why a {@link LayerSelector} did not forward a packet. Counted per consumer, never logged per packet. */
public enum LayerDropReason {
    /** The packet was forwarded. */
    NONE,
    /** A spatial layer that is neither forwarded nor being switched to. */
    OTHER_LAYER,
    /** The layer being switched to, before its first key frame. */
    WAITING_FOR_KEYFRAME,
    /** A temporal layer above the one forwarded (thinned, or not yet joined at a layer sync frame). */
    TEMPORAL_LAYER_FILTERED,
    /** The consumer is paused: not even the lowest layer fits, or the subscriber asked for nothing. */
    PAUSED,
    /** A padding-only packet (bandwidth probing by the publisher): nothing for the receiver. */
    PADDING_ONLY,
    /** The packet's spatial layer index is outside the configured layers (SSRC not mapped). */
    UNKNOWN_LAYER,
    /** The payload descriptor could not be read. */
    MALFORMED_PAYLOAD,
    /**
     * A late packet of the forwarded layer from before the current output segment began (reordered across a switch):
     * its output sequence number would collide with the previous segment's.
     */
    STALE;

    /** Lower-case name for metrics and logs, e.g. {@code waiting_for_keyframe}. */
    public String metricName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return metricName();
    }
}
