package dev.prism.signaling.session;

import dev.prism.conference.ConferenceException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Reads the result of a conference call made on the room's loop. There the conference runs the call at once, so the
 * future is already complete; the session's handlers stay straight-line code and keep the order of their messages.
 */
final class OnLoop {
    private OnLoop() {
    }

    /** {@link #now} for calls that cannot be refused. */
    static <T> T value(CompletableFuture<T> call) {
        try {
            return now(call);
        } catch (SignalingError e) {
            throw new IllegalStateException(e.code() + ": " + e.getMessage(), e);
        }
    }

    /**
     * @throws SignalingError        when the conference refused the call (its code and message, unchanged)
     * @throws IllegalStateException when called off the room's loop (the future is still pending)
     */
    static <T> T now(CompletableFuture<T> call) throws SignalingError {
        if (!call.isDone()) {
            throw new IllegalStateException("a conference call made on the room's loop must complete at once");
        }
        try {
            return call.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConferenceException c) {
                throw new SignalingError(c.code(), c.getMessage());
            }
            if (cause instanceof SignalingError s) {
                throw s;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        }
    }
}
