package dev.prism.rtp.alloc;

import dev.prism.core.rtp.MediaKind;
import java.util.Arrays;
import java.util.Objects;

/**
 * One track one subscriber receives, as the allocator sees it for one round.
 *
 * <br>{@code id}: stable key (the consumer's id); hysteresis state is kept per id
 * <br>{@code kind}: audio is served first and never paused for bandwidth
 * <br>{@code priority}: order among video subscriptions
 * <br>{@code preferences}: the subscriber's limits
 * <br>{@code layerBitrates}: {@code [spatial][temporal]} cumulative bitrates measured on the producer
 *                       ({@link LayerStats#snapshot}); 0 marks a layer that is not available. Audio: {@code [[bps]]}
 * <br>{@code layerHeights}: picture height per spatial layer, 0 when unknown (then {@code maxHeight} is not applied)
 * <br>{@code layerFrameRates}: {@code [spatial][temporal]} cumulative frame rates ({@link LayerStats#frameRate}), 0 or
 *                       absent when unknown; lets the allocator refuse a higher resolution at a frame rate too low
 *                       ({@link BitrateAllocator.Config#minUpgradeFrameRate})
 *
 * <p>The public constructors copy the arrays; the accessors return those copies, which callers must not modify.
 * {@link #audio} and {@link #owning} take arrays nobody else holds without copying them: an allocation round builds
 * one subscription per track a subscriber receives, ten times a second. Immutable (a value class, as a record was).
 */
public final class Subscription {
    private final String id;
    private final MediaKind kind;
    private final Priority priority;
    private final Preferences preferences;
    /** Null for an {@link #audio} subscription, whose one rate is {@link #singleBps}. */
    private final long[][] layerBitrates;
    /**
     * The bitrate of an {@link #audio} subscription (one layer): kept unboxed so that the allocation round, which asks
     * {@link #bitrate} and {@link #spatialLayers} only, builds no {@code [[bps]]} arrays for it. Unused for others.
     */
    private final long singleBps;
    private final int[] layerHeights;
    private final double[][] layerFrameRates;

    public Subscription(String id, MediaKind kind, Priority priority, Preferences preferences,
                        long[][] layerBitrates, int[] layerHeights, double[][] layerFrameRates) {
        this(id, kind, priority, preferences,
                layerBitrates == null ? new long[0][] : deepCopy(layerBitrates),
                layerHeights == null ? NO_HEIGHTS : layerHeights.clone(),
                layerFrameRates == null ? NO_FRAME_RATES : deepCopy(layerFrameRates), true);
    }

    /** Takes the arrays as they are (never null here). */
    private Subscription(String id, MediaKind kind, Priority priority, Preferences preferences,
                         long[][] layerBitrates, int[] layerHeights, double[][] layerFrameRates, boolean owned) {
        this.id = Objects.requireNonNull(id, "id");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.priority = Objects.requireNonNull(priority, "priority");
        this.preferences = Objects.requireNonNull(preferences, "preferences");
        this.layerBitrates = layerBitrates;
        this.singleBps = -1;
        this.layerHeights = layerHeights;
        this.layerFrameRates = layerFrameRates;
    }

    /** A single-layer subscription: its bitrate table is built only when asked for. */
    private Subscription(String id, MediaKind kind, Preferences preferences, long singleBps) {
        this.id = Objects.requireNonNull(id, "id");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.priority = Priority.NORMAL;
        this.preferences = preferences;
        this.layerBitrates = null;
        this.singleBps = singleBps;
        this.layerHeights = NO_HEIGHTS;
        this.layerFrameRates = NO_FRAME_RATES;
    }

    /**
     * A video subscription that takes ownership of its arrays, which the caller built for it and must not touch
     * afterwards (no copy). Null arrays mean unknown, as for the constructor. Inner arrays must not be null.
     */
    public static Subscription owning(String id, MediaKind kind, Priority priority, Preferences preferences,
                                      long[][] layerBitrates, int[] layerHeights, double[][] layerFrameRates) {
        return new Subscription(id, kind, priority, preferences,
                layerBitrates == null ? new long[0][] : layerBitrates,
                layerHeights == null ? NO_HEIGHTS : layerHeights,
                layerFrameRates == null ? NO_FRAME_RATES : layerFrameRates, true);
    }

    public String id() {
        return id;
    }

    public MediaKind kind() {
        return kind;
    }

    public Priority priority() {
        return priority;
    }

    public Preferences preferences() {
        return preferences;
    }

    /**
     * {@code [spatial][temporal]} cumulative bitrates; not to be modified. An audio subscription builds its
     * {@code [[bps]]} at each call (the allocator asks {@link #bitrate} instead; tests and logs ask this).
     */
    public long[][] layerBitrates() {
        return layerBitrates != null ? layerBitrates : new long[][] {{singleBps}};
    }

    /** Height per spatial layer; not to be modified. */
    public int[] layerHeights() {
        return layerHeights;
    }

    /** {@code [spatial][temporal]} cumulative frame rates; not to be modified. */
    public double[][] layerFrameRates() {
        return layerFrameRates;
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
        return new Subscription(id, MediaKind.AUDIO, paused ? AUDIO_PAUSED : AUDIO, bitrateBps);
    }

    /** A video track without height information. */
    public static Subscription video(String id, Priority priority, Preferences preferences, long[][] layerBitrates) {
        return new Subscription(id, MediaKind.VIDEO, priority, preferences, layerBitrates, null);
    }

    /** The measured bitrate of a layer, 0 when unavailable or out of range. */
    public long bitrate(int spatial, int temporal) {
        if (layerBitrates == null) {
            return spatial == 0 && temporal == 0 ? singleBps : 0;
        }
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
        return layerBitrates == null ? 1 : layerBitrates.length;
    }

    /** The highest spatial layer the preferences allow: by height when heights are known, and under the cap. */
    public int maxSpatial() {
        return Math.min(wantedSpatial(), cappedSpatial());
    }

    /**
     * The highest layer under {@link Preferences#capHeight} (a token's cap): a layer whose height is not known yet (no
     * key frame seen) is not taken, so the cap holds from the first allocation (the lowest layer until sizes are known).
     */
    private int cappedSpatial() {
        int n = spatialLayers();
        int cap = preferences.capHeight();
        if (cap == 0 || layerHeights.length < n) {
            return n - 1;
        }
        int best = 0;
        for (int s = 0; s < n; s++) {
            if (layerHeights[s] != 0 && layerHeights[s] <= cap) {
                best = s;
            }
        }
        return best;
    }

    private int wantedSpatial() {
        int n = spatialLayers();
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
                && preferences.equals(s.preferences) && Arrays.deepEquals(layerBitrates(), s.layerBitrates())
                && Arrays.equals(layerHeights, s.layerHeights) && Arrays.deepEquals(layerFrameRates, s.layerFrameRates);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, kind, priority, preferences, Arrays.deepHashCode(layerBitrates()),
                Arrays.hashCode(layerHeights), Arrays.deepHashCode(layerFrameRates));
    }

    @Override
    public String toString() {
        return "Subscription[" + id + " " + kind + " " + priority + " " + preferences + " "
                + Arrays.deepToString(layerBitrates()) + "]";
    }
}
