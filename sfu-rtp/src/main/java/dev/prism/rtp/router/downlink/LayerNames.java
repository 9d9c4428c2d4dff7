package dev.prism.rtp.router.downlink;

/**
 * Layer names such as {@code s1t2}, as the admin view and the logs print them, built once for the layers a stream can
 * have: the stats sampler asks every consumer for its layers each second, and a name built each time was garbage.
 */
final class LayerNames {
    private static final int SPATIAL = 8;
    private static final int TEMPORAL = 8;
    private static final String[] NAMES = new String[SPATIAL * TEMPORAL];

    static {
        for (int s = 0; s < SPATIAL; s++) {
            for (int t = 0; t < TEMPORAL; t++) {
                NAMES[s * TEMPORAL + t] = "s" + s + "t" + t;
            }
        }
    }

    private LayerNames() {
    }

    /** {@code s<spatial>t<temporal>}; built on the spot only outside 0..7 (0..7). */
    static String of(int spatial, int temporal) {
        if (spatial >= 0 && spatial < SPATIAL && temporal >= 0 && temporal < TEMPORAL) {
            return NAMES[spatial * TEMPORAL + temporal];
        }
        return "s" + spatial + "t" + temporal;
    }
}
