package dev.prism.signaling.sdp;

/**
 * A readable SDP that Prism cannot negotiate. {@link #code()} is the signaling error code to send back
 * (docs/PROTOCOL.md): {@link #BAD_SDP} when the description is structurally unusable (no BUNDLE, no rtcp-mux, no
 * ICE credentials or fingerprint, not unified plan, wrong DTLS role, answer not matching the offer), or
 * {@link #NOTHING_TO_FORWARD} when it carries no codec Prism forwards, {@link #CODEC_UNSUPPORTED} when the browser
 * cannot send or receive the room's video codec ({@link dev.prism.core.rtp.VideoCodec}).
 */
public final class NegotiationException extends Exception {
    private static final long serialVersionUID = 1L;

    public static final String BAD_SDP = "bad_sdp";
    public static final String NOTHING_TO_FORWARD = "nothing_to_forward";
    public static final String CODEC_UNSUPPORTED = "codec_unsupported";

    private final String code;

    public NegotiationException(String code, String message) {
        super(message);
        this.code = code;
    }

    static NegotiationException badSdp(String message) {
        return new NegotiationException(BAD_SDP, message);
    }

    static NegotiationException nothingToForward(String message) {
        return new NegotiationException(NOTHING_TO_FORWARD, message);
    }

    static NegotiationException codecUnsupported(String message) {
        return new NegotiationException(CODEC_UNSUPPORTED, message);
    }

    /** {@link #BAD_SDP}, {@link #NOTHING_TO_FORWARD} or {@link #CODEC_UNSUPPORTED}. */
    public String code() {
        return code;
    }
}
