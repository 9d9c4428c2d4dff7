package dev.prism.signaling.sdp;

/**
 * A readable SDP that Prism cannot negotiate. {@link #code()} is the signaling error code to send back
 * (docs/PROTOCOL.md): {@link #BAD_SDP} when the description is structurally unusable (no BUNDLE, no rtcp-mux, no
 * ICE credentials or fingerprint, not unified plan, wrong DTLS role, answer not matching the offer), or
 * {@link #NOTHING_TO_FORWARD} when it carries no codec Prism forwards.
 */
public final class NegotiationException extends Exception {
    private static final long serialVersionUID = 1L;

    public static final String BAD_SDP = "bad_sdp";
    public static final String NOTHING_TO_FORWARD = "nothing_to_forward";

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

    /** {@link #BAD_SDP} or {@link #NOTHING_TO_FORWARD}. */
    public String code() {
        return code;
    }
}
