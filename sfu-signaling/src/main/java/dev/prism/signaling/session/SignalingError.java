package dev.prism.signaling.session;

/** A request that cannot be served; becomes an {@code error} message to that participant only. */
final class SignalingError extends Exception {
    private final String code;

    SignalingError(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }
}
