package dev.prism.sdk;

/** A webhook request that is not a genuine, recent Prism event; the message says why. Answer it with 401. */
public final class WebhookVerificationException extends Exception {
    private static final long serialVersionUID = 1L;

    public WebhookVerificationException(String reason) {
        super(reason);
    }
}
