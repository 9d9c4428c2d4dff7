package dev.prism.core.inspect;

import java.util.Objects;

/**
 * What an operator action did.
 *
 * @param status  {@link Status#DONE}, or {@link Status#NOT_FOUND} when the room, participant or track does not exist
 *                (any more): nothing was changed
 * @param message one sentence for the operator, naming what was (or was not) found
 */
public record ActionOutcome(Status status, String message) {
    public enum Status { DONE, NOT_FOUND }

    public ActionOutcome {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }

    public static ActionOutcome done(String message) {
        return new ActionOutcome(Status.DONE, message);
    }

    public static ActionOutcome notFound(String message) {
        return new ActionOutcome(Status.NOT_FOUND, message);
    }

    public boolean isDone() {
        return status == Status.DONE;
    }
}
