package dev.prism.signaling.session;

/** A request that cannot be served; becomes an {@code error} message to that participant only. */
public final class SignalingError extends Exception {
    private final String code;

    public SignalingError(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
