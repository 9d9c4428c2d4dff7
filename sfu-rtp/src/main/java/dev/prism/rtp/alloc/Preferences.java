package dev.prism.rtp.alloc;

/**
 * What the subscriber asked for one track.
 *
 * @param maxHeight   largest picture height wanted (the rendered size), 0 for no limit; the highest spatial layer at
 *                    or below it is the ceiling (the lowest layer when all are taller)
 * @param maxTemporal highest temporal layer wanted (0..3; 3 = all)
 * @param paused      the subscriber does not want this track now (hidden tile, muted locally)
 */
public record Preferences(int maxHeight, int maxTemporal, boolean paused) {
    public static final Preferences DEFAULT = new Preferences(0, 3, false);

    public Preferences {
        if (maxHeight < 0 || maxTemporal < 0) {
            throw new IllegalArgumentException("maxHeight " + maxHeight + " maxTemporal " + maxTemporal);
        }
    }
}
