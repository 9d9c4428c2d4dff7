package dev.prism.rtp.alloc;

/**
 * What the subscriber asked for one track, with any ceiling its grants impose ({@link QualityCap#apply}).
 *
 * @param maxHeight     largest picture height wanted (the rendered size), 0 for no limit; the highest spatial layer at
 *                      or below it is the ceiling (the lowest layer when all are taller; none while sizes are unknown)
 * @param maxTemporal   highest temporal layer wanted (0..3; 3 = all)
 * @param paused        the subscriber does not want this track now (hidden tile, muted locally)
 * @param maxBitrateBps the most this track may be sent at, bits per second, 0 for no limit; layers measured above it
 *                      are left out (the lowest layer stays, so a cap below it still gets the smallest picture)
 * @param capHeight     a hard height ceiling (a token's cap), 0 for none: like {@code maxHeight}, but a layer whose
 *                      height is not known yet is not taken under it
 */
public record Preferences(int maxHeight, int maxTemporal, boolean paused, long maxBitrateBps, int capHeight) {
    public static final Preferences DEFAULT = new Preferences(0, 3, false);

    public Preferences {
        if (maxHeight < 0 || maxTemporal < 0 || maxBitrateBps < 0 || capHeight < 0) {
            throw new IllegalArgumentException("maxHeight " + maxHeight + " maxTemporal " + maxTemporal
                    + " maxBitrateBps " + maxBitrateBps + " capHeight " + capHeight);
        }
    }

    /** Preferences without a cap. */
    public Preferences(int maxHeight, int maxTemporal, boolean paused) {
        this(maxHeight, maxTemporal, paused, 0, 0);
    }
}
