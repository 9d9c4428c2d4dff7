package dev.prism.core.room;

/** What a published track carries, as the client declared it. Prints itself as the protocol spells it. */
public enum TrackSource {
    MICROPHONE, CAMERA, SCREEN, SCREEN_AUDIO, UNKNOWN;

    public String wireName() {
        return switch (this) {
            case MICROPHONE -> "microphone";
            case CAMERA -> "camera";
            case SCREEN -> "screen";
            case SCREEN_AUDIO -> "screen_audio";
            case UNKNOWN -> "unknown";
        };
    }

    /** Parses a protocol name; unknown or null names give {@link #UNKNOWN}. */
    public static TrackSource fromWire(String s) {
        if (s == null) {
            return UNKNOWN;
        }
        for (TrackSource t : values()) {
            if (t.wireName().equals(s)) {
                return t;
            }
        }
        return UNKNOWN;
    }

    @Override
    public String toString() {
        return wireName();
    }
}
