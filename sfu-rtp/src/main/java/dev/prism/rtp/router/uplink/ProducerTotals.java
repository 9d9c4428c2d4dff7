package dev.prism.rtp.router.uplink;

/**
 * The counters of a {@link Producer}'s track, summed over its {@link ProducerLayer}s (one unless simulcast): packets
 * and bytes received, NACKs, recovered packets, key frames and key frame requests. Obtained as
 * {@link Producer#totals()}; per layer see {@link Producer#layers()}.
 *
 * <p>Threading: read by the stats and admin code on the media event loop, not on the packet path. Each read walks the
 * layers in a plain loop (at most {@link dev.prism.rtp.layer.LayerSelector#MAX_SPATIAL_LAYERS}) and allocates nothing.
 */
public final class ProducerTotals {
    /** The producer's own array (never replaced): the layers' counters are read live. */
    private final ProducerLayer[] layers;

    ProducerTotals(ProducerLayer[] layers) {
        this.layers = layers;
    }

    /** RTP packets received, retransmissions over RTX included. */
    public long packets() {
        long n = 0;
        for (ProducerLayer l : layers) {
            n += l.packets;
        }
        return n;
    }

    /** RTP bytes received (headers included), retransmissions over RTX included. */
    public long bytes() {
        long n = 0;
        for (ProducerLayer l : layers) {
            n += l.bytes;
        }
        return n;
    }

    /** Sequence numbers NACKed to the publisher so far (retries count), 0 without NACK. */
    public long nacksSent() {
        long n = 0;
        for (ProducerLayer l : layers) {
            n += l.nacks == null ? 0 : l.nacks.nacked();
        }
        return n;
    }

    /** Packets that went missing and came back (through RTX or late). */
    public long packetsRecovered() {
        long n = 0;
        for (ProducerLayer l : layers) {
            n += l.nacks == null ? 0 : l.nacks.recovered();
        }
        return n;
    }

    /** Packets the publisher sent again over RTX that were used. */
    public long rtxRecovered() {
        long n = 0;
        for (ProducerLayer l : layers) {
            n += l.rtxRecovered;
        }
        return n;
    }

    /** Keyframe requests (PLIs) sent to the publisher. */
    public long keyframeRequestsSent() {
        long n = 0;
        for (ProducerLayer l : layers) {
            n += l.keyframeThrottle.sent();
        }
        return n;
    }

    /** Keyframe requests folded into another one (see {@link KeyframeRequestThrottle}). */
    public long keyframeRequestsCoalesced() {
        long n = 0;
        for (ProducerLayer l : layers) {
            n += l.keyframeThrottle.coalesced();
        }
        return n;
    }

    /** Keyframes received. */
    public long keyframes() {
        long n = 0;
        for (ProducerLayer l : layers) {
            n += l.keyframes;
        }
        return n;
    }
}
