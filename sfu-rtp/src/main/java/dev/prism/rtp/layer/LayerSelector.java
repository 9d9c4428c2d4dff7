package dev.prism.rtp.layer;

import dev.prism.core.clock.MonoClock;

/**
 * Decides, packet by packet, which simulcast layer one consumer forwards. Pure: no I/O, time from the injected clock,
 * and the consumer applies the {@link LayerDecision}s (rewriters, key frame requests, counters).
 *
 * <h2>Layers</h2>
 * Three layer pairs are kept apart, each as (spatial, temporal):
 * <ul>
 *   <li><b>target</b> — what the bitrate allocator committed ({@link #setTarget}); spatial -1 pauses.</li>
 *   <li><b>wanted</b> — the target, or, when the target spatial layer has sent nothing for
 *       {@link Config#layerInactiveMillis}, the highest active layer below it (a layer the publisher stopped sending,
 *       for example when its own uplink dropped). {@link #wantedSpatial()}.</li>
 *   <li><b>current</b> — what is forwarded now; -1 while nothing is.</li>
 * </ul>
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>A spatial layer change happens only on a key frame of the new layer: packets of the current layer keep flowing
 *       until then, so the receiver never freezes while waiting. A key frame on a layer between current and wanted
 *       (or any layer up to wanted when nothing is forwarded yet) is taken on the way: the picture improves sooner.</li>
 *   <li>Key frame requests: when wanted differs from current, one request for the wanted layer, flagged on the
 *       decision. None while it is pending; when no key frame came within {@link Config#keyframeRetryMillis}, one more
 *       (and so on). A new wanted layer is a new switch with its own request. However many packets arrive, that is
 *       all: no PLI storm from one consumer. (The producer's throttle still limits requests from all consumers.) The
 *       subscriber's own key frame requests during a switch are answered by the switch's key frame
 *       ({@link #keyframeLayerForSubscriber()}).</li>
 *   <li>Temporal layers change only at a frame start, so a frame is forwarded whole or not at all, also when the
 *       target changes mid-frame. Going down takes effect at the next frame. Going up needs a frame of the higher
 *       layer with the layer sync bit, or a key frame. While switching up spatially, the current (lower) layer keeps
 *       all its temporal layers; while switching down, it is thinned to its base temporal layer at once: a layer
 *       above the wanted one is usually one the path no longer carries, and sending less of it while the key frame
 *       of the lower layer is on its way keeps the path from losing that key frame and the audio.</li>
 *   <li>Pausing (target spatial -1) takes effect at the next frame start; resuming needs a key frame.</li>
 *   <li>Padding-only packets are never forwarded: {@link LayerAction#SKIP} on the current layer (the output sequence
 *       closes up), {@link LayerAction#DROP} elsewhere.</li>
 * </ul>
 *
 * <h2>Threads and allocation</h2>
 * One instance per video consumer, on the room's event loop; not thread-safe. {@link #decide} allocates nothing.
 */
public final class LayerSelector {
    /** "All temporal layers". */
    public static final int ALL_TEMPORAL = PacketMeta.MAX_TEMPORAL_ID;
    /** Simulcast in browsers uses up to 3 encodings; room for one more. */
    public static final int MAX_SPATIAL_LAYERS = 4;

    /**
     * @param spatialLayers        encodings of the producer (1..{@link #MAX_SPATIAL_LAYERS}), index 0 the lowest
     * @param keyframeRetryMillis  how long a key frame request stays pending before another one may go out
     * @param layerInactiveMillis  a spatial layer silent this long is treated as gone
     */
    public record Config(int spatialLayers, long keyframeRetryMillis, long layerInactiveMillis) {
        public Config {
            if (spatialLayers < 1 || spatialLayers > MAX_SPATIAL_LAYERS) {
                throw new IllegalArgumentException("spatialLayers " + spatialLayers);
            }
            if (keyframeRetryMillis <= 0 || layerInactiveMillis <= 0) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }

        /**
         * Defaults: a retry after 1 s (a browser answers a PLI within one round trip and one frame; this covers a lost
         * PLI or key frame), a layer gone after 2 s of silence (screen share layers may run at a few frames per
         * second).
         */
        public static Config of(int spatialLayers) {
            return new Config(spatialLayers, 1000, 2000);
        }
    }

    private final MonoClock clock;
    private final int layers;
    private final long retryNanos;
    private final long inactiveNanos;
    private final long[] lastSeenNanos = new long[MAX_SPATIAL_LAYERS];
    private final boolean[] seen = new boolean[MAX_SPATIAL_LAYERS];

    private int targetSpatial;
    private int targetTemporal = ALL_TEMPORAL;
    private int currentSpatial = -1;
    private int currentTemporal = -1;
    private int wantedSpatial;

    private boolean keyframePending;
    private int keyframeLayer = -1;
    private long keyframeRequestedNanos;

    /** Starts wanting the highest layer with all temporal layers; the allocator normally sets a target first. */
    public LayerSelector(MonoClock clock, Config config) {
        this.clock = clock;
        this.layers = config.spatialLayers();
        this.retryNanos = config.keyframeRetryMillis() * 1_000_000L;
        this.inactiveNanos = config.layerInactiveMillis() * 1_000_000L;
        this.targetSpatial = layers - 1;
        this.wantedSpatial = targetSpatial;
    }

    /**
     * Sets the layers to forward (from the bitrate allocator's committed allocation, or the subscriber's pause).
     *
     * @param spatial  0..layers-1, or -1 to pause; larger values are clamped to the top layer
     * @param temporal 0..{@link #ALL_TEMPORAL}; larger values mean all
     */
    public void setTarget(int spatial, int temporal) {
        targetSpatial = spatial < 0 ? -1 : Math.min(spatial, layers - 1);
        targetTemporal = Math.max(0, Math.min(ALL_TEMPORAL, temporal));
    }

    /**
     * The decision for one packet.
     *
     * @param spatial the packet's spatial layer (its SSRC's index in the producer's encodings, 0 = lowest)
     * @param meta    from {@link PacketMeta} ({@link PacketMeta#vp8} for VP8)
     */
    public LayerDecision decide(int spatial, int meta) {
        if (spatial < 0 || spatial >= layers) {
            return LayerDecision.drop(LayerDropReason.UNKNOWN_LAYER, false);
        }
        long now = clock.nanos();
        if (meta == PacketMeta.INVALID) {
            return LayerDecision.drop(LayerDropReason.MALFORMED_PAYLOAD, false);
        }
        boolean padding = PacketMeta.isPaddingOnly(meta);
        if (!padding) {
            // Only media proves a layer alive: a publisher may pad a stream it no longer encodes.
            seen[spatial] = true;
            lastSeenNanos[spatial] = now;
        }
        wantedSpatial = wanted(now);
        LayerDecision d = route(spatial, meta, padding);
        // After routing: a packet that just completed the switch must not also ask for a key frame.
        return d.withKeyframeRequest(keyframeRequestDue(now));
    }

    private LayerDecision route(int spatial, int meta, boolean padding) {
        if (padding) {
            return spatial == currentSpatial
                    ? LayerDecision.skip(LayerDropReason.PADDING_ONLY, false)
                    : LayerDecision.drop(LayerDropReason.PADDING_ONLY, false);
        }
        if (spatial == currentSpatial) {
            return onCurrentLayer(meta);
        }
        if (PacketMeta.isKeyframe(meta) && isStepTowardsWanted(spatial)) {
            currentSpatial = spatial;
            currentTemporal = temporalLimit(spatial);
            return LayerDecision.SWITCH;
        }
        if (wantedSpatial < 0) {
            return LayerDecision.drop(LayerDropReason.PAUSED, false);
        }
        return LayerDecision.drop(spatial == wantedSpatial
                ? LayerDropReason.WAITING_FOR_KEYFRAME : LayerDropReason.OTHER_LAYER, false);
    }

    private LayerDecision onCurrentLayer(int meta) {
        int tid = PacketMeta.temporalId(meta);
        if (PacketMeta.isFrameStart(meta)) {
            // Frame boundary: the only place where pausing or a temporal change may take effect.
            if (wantedSpatial < 0) {
                currentSpatial = -1;
                currentTemporal = -1;
                return LayerDecision.drop(LayerDropReason.PAUSED, false);
            }
            int limit = temporalLimit(currentSpatial);
            if (PacketMeta.isKeyframe(meta) || limit < currentTemporal) {
                currentTemporal = limit;
            } else if (tid > currentTemporal && tid <= limit && PacketMeta.isLayerSync(meta)) {
                currentTemporal = tid;
            }
        }
        if (tid > currentTemporal) {
            return LayerDecision.skip(LayerDropReason.TEMPORAL_LAYER_FILTERED, false);
        }
        return LayerDecision.FORWARD;
    }

    /**
     * The temporal layers allowed on spatial layer {@code s}: all of them while it is a step up on the way, the base
     * layer only while it is above the wanted one (switching down), else the target's.
     */
    private int temporalLimit(int s) {
        if (s < wantedSpatial) {
            return ALL_TEMPORAL;
        }
        return s > wantedSpatial ? 0 : targetTemporal;
    }

    /** A key frame on {@code s} brings the forwarded layer closer to the wanted one (or starts it). */
    private boolean isStepTowardsWanted(int s) {
        int want = wantedSpatial;
        if (want < 0) {
            return false;
        }
        if (currentSpatial < 0) {
            return s <= want;
        }
        return want > currentSpatial ? s > currentSpatial && s <= want : s >= want && s < currentSpatial;
    }

    private int wanted(long now) {
        int t = targetSpatial;
        if (t < 0 || isActive(t, now)) {
            return t;
        }
        for (int s = t - 1; s >= 0; s--) {
            if (isActive(s, now)) {
                return s;
            }
        }
        return t; // nothing below is alive either: keep waiting for the target
    }

    private boolean isActive(int s, long now) {
        return seen[s] && now - lastSeenNanos[s] < inactiveNanos;
    }

    /** True when a key frame request should go out now; records it as pending. */
    private boolean keyframeRequestDue(long now) {
        int want = wantedSpatial;
        if (want < 0 || want == currentSpatial) {
            keyframePending = false;
            return false;
        }
        if (keyframePending && keyframeLayer == want && now - keyframeRequestedNanos < retryNanos) {
            return false;
        }
        keyframePending = true;
        keyframeLayer = want;
        keyframeRequestedNanos = now;
        return true;
    }

    /**
     * Forgets what is forwarded (the producer restarted, the transport reconnected): the next packet forwarded will be
     * a {@link LayerAction#SWITCH} on a key frame. The target and layer activity are kept.
     */
    public void reset() {
        currentSpatial = -1;
        currentTemporal = -1;
        keyframePending = false;
    }

    /**
     * The subscriber asked for a key frame (a PLI or FIR: its decoder lost the picture, often to loss on the path that
     * is making this consumer switch down). Returns the spatial layer to ask the publisher for, or -1 when nothing
     * needs asking: a switch is under way and its key frame request is still pending, and that key frame (the first
     * thing forwarded on the new layer) restarts the decoder anyway. So a switch costs the publisher one PLI, however
     * often a struggling subscriber asks meanwhile. Otherwise the forwarded layer, or the wanted one when none is.
     */
    public int keyframeLayerForSubscriber() {
        int want = wantedSpatial;
        if (want >= 0 && want != currentSpatial && isKeyframePending() && keyframeLayer == want) {
            return -1;
        }
        return currentSpatial >= 0 && currentSpatial == want ? currentSpatial : Math.max(0, want);
    }

    /** The spatial layer the latest key frame request was for (the SSRC to send the PLI to); -1 before any. */
    public int keyframeLayer() {
        return keyframeLayer;
    }

    /** True while a key frame request is outstanding (not yet answered, not timed out). */
    public boolean isKeyframePending() {
        return keyframePending && clock.nanos() - keyframeRequestedNanos < retryNanos;
    }

    public int targetSpatial() {
        return targetSpatial;
    }

    public int targetTemporal() {
        return targetTemporal;
    }

    /** The layer being worked towards, as of the latest packet; see the class comment. */
    public int wantedSpatial() {
        return wantedSpatial;
    }

    /** The spatial layer forwarded now, or -1. */
    public int currentSpatial() {
        return currentSpatial;
    }

    /** The highest temporal layer forwarded now, or -1. */
    public int currentTemporal() {
        return currentTemporal;
    }

    /** True when spatial layer {@code s} sent media within {@link Config#layerInactiveMillis}. */
    public boolean isLayerActive(int s) {
        return s >= 0 && s < layers && isActive(s, clock.nanos());
    }

    @Override
    public String toString() {
        return "LayerSelector[target=" + targetSpatial + "/" + targetTemporal + " wanted=" + wantedSpatial
                + " current=" + currentSpatial + "/" + currentTemporal + " pendingKeyframe="
                + (keyframePending ? keyframeLayer : -1) + "]";
    }
}
