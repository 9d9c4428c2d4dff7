package dev.prism.rtp.alloc;

import java.util.Locale;

/** Who gets bandwidth first, in declaration order. Audio is always served before any video, whatever its priority. */
public enum Priority {
    /** Shared screens: text must stay readable. */
    SCREEN_SHARE,
    /** The current active speaker(s). */
    ACTIVE_SPEAKER,
    NORMAL,
    /** Thumbnails off screen, for example. */
    LOW;

    /** The lower-case name, built once: the downlink passes it with every allocation round's layer targets. */
    private final String label = name().toLowerCase(Locale.ROOT);

    @Override
    public String toString() {
        return label;
    }
}
