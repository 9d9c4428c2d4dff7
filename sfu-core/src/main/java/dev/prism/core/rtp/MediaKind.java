package dev.prism.core.rtp;

/** The kind of an m-line / track. Prints itself in lower case, as SDP and the signaling protocol spell it. */
public enum MediaKind {
    AUDIO, VIDEO;

    /** Built once: the stats sampler names every track's kind each second. */
    private final String sdpName = name().toLowerCase(java.util.Locale.ROOT);

    /** "audio" or "video". */
    public String sdpName() {
        return sdpName;
    }

    /** Parses "audio" / "video"; throws {@link IllegalArgumentException} for anything else. */
    public static MediaKind fromSdp(String s) {
        return switch (s) {
            case "audio" -> AUDIO;
            case "video" -> VIDEO;
            default -> throw new IllegalArgumentException("unknown media kind: " + s);
        };
    }

    @Override
    public String toString() {
        return sdpName();
    }
}
