package dev.prism.rtp.layer;

import java.util.Locale;

/** What a consumer does with one packet of a simulcast producer; see {@link LayerDecision}. */
public enum LayerAction {
    /** Forward: rewrite (sequence number, timestamp, codec fields) and send. */
    FORWARD,
    /**
     * Forward as the first packet of a new output segment: first call {@code switchSource()} on the sequence number,
     * timestamp and codec rewriters (a new spatial layer, or a restart after a pause), then forward.
     */
    SWITCH,
    /**
     * Deliberately left out of the forwarded source (a thinned temporal layer, padding): tell the sequence number and
     * codec rewriters ({@code drop}) so that the output closes up behind it and the receiver does not NACK it.
     */
    SKIP,
    /** Not part of the output stream (another spatial layer, waiting for a key frame, paused): touch nothing. */
    DROP;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
