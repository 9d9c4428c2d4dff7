package dev.prism.core.rtp;

/** One negotiated RTP header extension ({@code a=extmap:id uri}); id 1..14 (one-byte) or 1..255 (two-byte). */
public record HeaderExtension(int id, String uri) {
    public static final String SDES_MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public static final String SDES_RID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String SDES_REPAIRED_RID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    public static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public static final String TRANSPORT_CC =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
}
