package dev.prism.rtp.alloc;

/**
 * A hard ceiling on what one subscription may receive, from the grants of an access token (the subscriber's
 * {@code maxVideo} / {@code maxBitrate}, or its publisher's, whose layers above its own cap are not forwarded to
 * anyone). Unlike {@link Preferences}, which the subscriber changes at will, a cap is fixed for the participant's
 * session: {@link #apply} lowers whatever the preferences ask to it. Immutable; any thread.
 *
 * @param maxHeight     largest picture height, pixels; 0 for none
 * @param maxBitrateBps largest layer bitrate, bits per second; 0 for none
 */
public record QualityCap(int maxHeight, long maxBitrateBps) {
    /** No ceiling. */
    public static final QualityCap NONE = new QualityCap(0, 0);

    public QualityCap {
        if (maxHeight < 0 || maxBitrateBps < 0) {
            throw new IllegalArgumentException("maxHeight " + maxHeight + " maxBitrateBps " + maxBitrateBps);
        }
    }

    /** Whether this cap limits anything. */
    public boolean isLimited() {
        return maxHeight > 0 || maxBitrateBps > 0;
    }

    /** The tighter of both caps, limit by limit. */
    public QualityCap and(QualityCap other) {
        return new QualityCap(tighter(maxHeight, other.maxHeight), tighter(maxBitrateBps, other.maxBitrateBps));
    }

    /** {@code asked} (null: the defaults) lowered to this cap; the preferences can never exceed it. */
    public Preferences apply(Preferences asked) {
        Preferences p = asked == null ? Preferences.DEFAULT : asked;
        if (!isLimited()) {
            return p;
        }
        return new Preferences(p.maxHeight(), p.maxTemporal(), p.paused(),
                tighter(p.maxBitrateBps(), maxBitrateBps), tighter(p.capHeight(), maxHeight));
    }

    /** The smaller limit, where 0 means none. */
    private static int tighter(int a, int b) {
        return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }

    private static long tighter(long a, long b) {
        return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }
}
