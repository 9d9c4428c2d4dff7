package dev.prism.core.rtp;

import java.util.Locale;

/**
 * The video codec a room forwards. Prism does not transcode, so a room's publishers and subscribers all use one: the
 * room's, chosen when the room is created (the first join's request, else the node's default) and kept while it
 * lives. Every publish answer and subscriber offer of the room names only this video codec; a browser that cannot
 * send or receive it is refused with {@code codec_unsupported}.
 */
public enum VideoCodec {
    /** VP8 (RFC 7741), the default: every WebRTC browser sends and receives it. */
    VP8("VP8"),
    /**
     * H.264 (RFC 6184), packetization-mode 1, Constrained Baseline profile: the profile every WebRTC browser that has
     * H.264 can both encode and decode.
     */
    H264("H264");

    private final String rtpName;

    VideoCodec(String rtpName) {
        this.rtpName = rtpName;
    }

    /** The MIME subtype as written in {@code a=rtpmap} ("VP8", "H264"). */
    public String rtpName() {
        return rtpName;
    }

    /** The lower-case name used on the wire (tokens, join links): "vp8", "h264". */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The codec a wire name ("vp8", "h264", any case) names, or null when it names none. */
    public static VideoCodec fromWire(String name) {
        if (name == null) {
            return null;
        }
        for (VideoCodec c : values()) {
            if (c.wireName().equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }

    /** The codec whose {@code a=rtpmap} name is {@code rtpName} (any case), or null. */
    public static VideoCodec fromRtpName(String rtpName) {
        for (VideoCodec c : values()) {
            if (c.rtpName.equalsIgnoreCase(rtpName)) {
                return c;
            }
        }
        return null;
    }
}
