package dev.prism.conference;

/**
 * How much of a track a subscriber wants.
 *
 * @param maxHeight   pixels, 0 for no limit (the rendered size of a small tile)
 * @param maxTemporal 0..3, {@link #DEFAULT_MAX_TEMPORAL} for all
 * @param paused      a hidden tile: send nothing
 */
public record TrackPreferences(int maxHeight, int maxTemporal, boolean paused) {
    /** Every temporal layer. */
    public static final int DEFAULT_MAX_TEMPORAL = dev.prism.rtp.alloc.Preferences.DEFAULT.maxTemporal();
}
