package dev.prism.rtp.alloc;

import dev.prism.core.rtp.MediaKind;
import java.util.Arrays;
import java.util.Objects;

/**
 * One track one subscriber receives, as the allocator sees it for one round.
 *
 * @param id             stable key (the consumer's id); hysteresis state is kept per id
 * @param kind           audio is served first and never paused for bandwidth
 * @param priority       order among video subscriptions
 * @param preferences    the subscriber's limits
 * @param layerBitrates  {@code [spatial][temporal]} cumulative bitrates measured on the producer
 *                       ({@link LayerStats#snapshot}); 0 marks a layer that is not available. Audio: {@code [[bps]]}
 * @param layerHeights   picture height per spatial layer, 0 when unknown (then {@code maxHeight} is not applied)
 * @param layerFrameRates {@code [spatial][temporal]} cumulative frame rates ({@link LayerStats#frameRate}), 0 or
 *                       absent when unknown; lets the allocator refuse a higher resolution at a frame rate too low
 *                       ({@link BitrateAllocator.Config#minUpgradeFrameRate})
 *
 * <p>The arrays are copied on construction; the accessors return those copies, which callers must not modify.
 */
public record Subscription(String id, MediaKind kind, Priority priority, Preferences preferences,
                           long[][] layerBitrates, int[] layerHeights, double[][] layerFrameRates) {
    public Subscription {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(preferences, "preferences");
        layerBitrates = layerBitrates == null ? new long[0][] : deepCopy(layerBitrates);
        layerHeights = layerHeights == null ? NO_HEIGHTS : layerHeights.clone();
        layerFrameRates = layerFrameRates == null ? NO_FRAME_RATES : deepCopy(layerFrameRates);
    }

    // Shared empty arrays for what is absent (audio has neither): nobody may modify an accessor's array anyway.
    private static final int[] NO_HEIGHTS = new int[0];
    private static final double[][] NO_FRAME_RATES = new double[0][];

    /** A subscription without frame rates. */
    public Subscription(String id, MediaKind kind, Priority priority, Preferences preferences, long[][] layerBitrates,
                        int[] layerHeights) {
        this(id, kind, priority, preferences, layerBitrates, layerHeights, null);
    }

    private static final Preferences AUDIO = new Preferences(0, 0, false);
    private static final Preferences AUDIO_PAUSED = new Preferences(0, 0, true);

    /** An audio track with its measured (or nominal) bitrate. */
    public static Subscription audio(String id, long bitrateBps, boolean paused) {
        return new Subscription(id, MediaKind.AUDIO, Priority.NORMAL, paused ? AUDIO_PAUSED : AUDIO,
                new long[][] {{bitrateBps}}, null);
    }

    /** A video track without height information. */
    public static Subscription video(String id, Priority priority, Preferences preferences, long[][] layerBitrates) {
        return new Subscription(id, MediaKind.VIDEO, priority, preferences, layerBitrates, null);
    }

    /** The measured bitrate of a layer, 0 when unavailable or out of range. */
    public long bitrate(int spatial, int temporal) {
        if (spatial < 0 || spatial >= layerBitrates.length || temporal < 0
                || temporal >= layerBitrates[spatial].length) {
            return 0;
        }
        return layerBitrates[spatial][temporal];
    }

    /** The measured frame rate of a layer (temporal layers 0..t), 0 when unknown. */
    public double frameRate(int spatial, int temporal) {
        if (spatial < 0 || spatial >= layerFrameRates.length || temporal < 0
                || temporal >= layerFrameRates[spatial].length) {
            return 0;
        }
        return layerFrameRates[spatial][temporal];
    }

    /** Spatial layers described (available or not). */
    public int spatialLayers() {
        return layerBitrates.length;
    }

    /** The highest spatial layer the preferences allow: by height when heights are known. */
    public int maxSpatial() {
        int n = layerBitrates.length;
        int max = preferences.maxHeight();
        if (max == 0 || layerHeights.length < n) {
            return n - 1;
        }
        int best = 0;
        for (int s = 0; s < n; s++) {
            if (layerHeights[s] == 0) {
                return n - 1; // unknown heights: no limit can be applied
            }
            if (layerHeights[s] <= max) {
                best = s;
            }
        }
        return best;
    }

    private static long[][] deepCopy(long[][] a) {
        long[][] c = new long[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i] == null ? new long[0] : a[i].clone();
        }
        return c;
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i] == null ? new double[0] : a[i].clone();
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Subscription s && id.equals(s.id) && kind == s.kind && priority == s.priority
                && preferences.equals(s.preferences) && Arrays.deepEquals(layerBitrates, s.layerBitrates)
                && Arrays.equals(layerHeights, s.layerHeights) && Arrays.deepEquals(layerFrameRates, s.layerFrameRates);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, kind, priority, preferences, Arrays.deepHashCode(layerBitrates),
                Arrays.hashCode(layerHeights), Arrays.deepHashCode(layerFrameRates));
    }

    @Override
    public String toString() {
        return "Subscription[" + id + " " + kind + " " + priority + " " + preferences + " "
                + Arrays.deepToString(layerBitrates) + "]";
    }
}
