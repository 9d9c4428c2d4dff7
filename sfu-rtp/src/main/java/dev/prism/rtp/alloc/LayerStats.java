package dev.prism.rtp.alloc;

import dev.prism.core.clock.MonoClock;

/**
 * Measured bitrate and frame rate of each layer of one published video track, from the packets the producer receives:
 * a sliding window of {@link #BUCKETS} buckets per (spatial, temporal) layer. Rates are cumulative over temporal
 * layers, as a receiver gets them: {@code bitrateBps(s, t)} counts temporal layers 0..t of spatial layer s.
 *
 * <p>Until a whole window has passed since the first packet, rates are computed over the time since then (at least
 * {@link #MIN_SPAN_MILLIS}), so a new track gets usable numbers within a fraction of a second.
 *
 * <p>Threads: the producer's event loop; not thread-safe. {@link #onPacket} allocates nothing; {@link #snapshot}
 * allocates its result (called per allocation round, not per packet).
 */
public final class LayerStats {
    public static final int MAX_SPATIAL = 4;
    public static final int MAX_TEMPORAL = 4;
    public static final int BUCKETS = 10;
    public static final long MIN_SPAN_MILLIS = 200;

    private final MonoClock clock;
    private final long windowNanos;
    private final long bucketNanos;
    private final long[][][] bytes = new long[MAX_SPATIAL][MAX_TEMPORAL][BUCKETS];
    private final int[][][] frames = new int[MAX_SPATIAL][MAX_TEMPORAL][BUCKETS];
    private final long[] lastPacketNanos = new long[MAX_SPATIAL];
    private final boolean[] seen = new boolean[MAX_SPATIAL];
    private boolean started;
    private long firstNanos;
    private long currentBucket;

    /** @param windowMillis the averaging window (1000 ms smooths key frame bursts) */
    public LayerStats(MonoClock clock, long windowMillis) {
        if (windowMillis < BUCKETS) {
            throw new IllegalArgumentException("windowMillis " + windowMillis);
        }
        this.clock = clock;
        this.bucketNanos = windowMillis * 1_000_000L / BUCKETS;
        this.windowNanos = bucketNanos * BUCKETS;
    }

    /**
     * One received media packet. Hot path.
     *
     * @param spatial    0..{@link #MAX_SPATIAL}-1 (others are ignored)
     * @param temporal   0..{@link #MAX_TEMPORAL}-1; negative (no temporal layers) counts as 0
     * @param frameStart true on the first packet of a frame
     */
    public void onPacket(int spatial, int temporal, int sizeBytes, boolean frameStart) {
        if (spatial < 0 || spatial >= MAX_SPATIAL) {
            return;
        }
        int t = Math.max(0, Math.min(MAX_TEMPORAL - 1, temporal));
        long now = clock.nanos();
        if (!started) {
            started = true;
            firstNanos = now;
            currentBucket = 0;
        }
        advance(now);
        int b = (int) (currentBucket % BUCKETS);
        bytes[spatial][t][b] += sizeBytes;
        if (frameStart) {
            frames[spatial][t][b]++;
        }
        seen[spatial] = true;
        lastPacketNanos[spatial] = now;
    }

    /** Bits per second of spatial layer {@code s} with temporal layers 0..{@code t}. */
    public long bitrateBps(int s, int t) {
        if (!valid(s, t)) {
            return 0;
        }
        advance(clock.nanos());
        long sum = 0;
        for (int k = 0; k <= t; k++) {
            for (int b = 0; b < BUCKETS; b++) {
                sum += bytes[s][k][b];
            }
        }
        return sum * 8 * 1_000_000_000L / spanNanos();
    }

    /** Frames per second of spatial layer {@code s} with temporal layers 0..{@code t}. */
    public double frameRate(int s, int t) {
        if (!valid(s, t)) {
            return 0;
        }
        advance(clock.nanos());
        long sum = 0;
        for (int k = 0; k <= t; k++) {
            for (int b = 0; b < BUCKETS; b++) {
                sum += frames[s][k][b];
            }
        }
        return sum * 1e9 / spanNanos();
    }

    /** True when spatial layer {@code s} sent a packet within the window. */
    public boolean isActive(int s) {
        return s >= 0 && s < MAX_SPATIAL && seen[s] && clock.nanos() - lastPacketNanos[s] < windowNanos;
    }

    /**
     * The allocator's view: {@code [spatial][temporal]} cumulative bitrates, 0 for a temporal layer with no traffic of
     * its own (it would add nothing) and for inactive spatial layers. Sized {@code spatialLayers} x
     * {@link #MAX_TEMPORAL}.
     */
    public long[][] snapshot(int spatialLayers) {
        int n = Math.max(0, Math.min(MAX_SPATIAL, spatialLayers));
        long[][] out = new long[n][MAX_TEMPORAL];
        advance(clock.nanos());
        long span = spanNanos();
        for (int s = 0; s < n; s++) {
            if (!isActive(s)) {
                continue;
            }
            long cumulative = 0;
            for (int t = 0; t < MAX_TEMPORAL; t++) {
                long own = 0;
                for (int b = 0; b < BUCKETS; b++) {
                    own += bytes[s][t][b];
                }
                cumulative += own;
                out[s][t] = own > 0 ? cumulative * 8 * 1_000_000_000L / span : 0;
            }
        }
        return out;
    }

    private boolean valid(int s, int t) {
        return started && s >= 0 && s < MAX_SPATIAL && t >= 0 && t < MAX_TEMPORAL;
    }

    /** The time the kept buckets cover: the full older buckets plus the elapsed part of the current one. */
    private long spanNanos() {
        long since = clock.nanos() - firstNanos;
        long covered = (BUCKETS - 1) * bucketNanos + since % bucketNanos;
        return Math.max(MIN_SPAN_MILLIS * 1_000_000L, Math.min(covered, since));
    }

    /** Moves to the bucket of {@code now}, clearing the buckets that fell out of the window. */
    private void advance(long now) {
        if (!started) {
            return;
        }
        long target = (now - firstNanos) / bucketNanos;
        if (target <= currentBucket) {
            return;
        }
        long steps = Math.min(BUCKETS, target - currentBucket);
        for (long k = 1; k <= steps; k++) {
            int b = (int) ((currentBucket + k) % BUCKETS);
            for (int s = 0; s < MAX_SPATIAL; s++) {
                for (int t = 0; t < MAX_TEMPORAL; t++) {
                    bytes[s][t][b] = 0;
                    frames[s][t][b] = 0;
                }
            }
        }
        currentBucket = target;
    }
}
