package dev.prism.rtp.ice;

import io.netty.buffer.ByteBuf;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link IceLiteAgent#handleBindingRequest} did with one datagram.
 *
 * @param outcome   {@link Outcome#OK} or the reason the request was dropped
 * @param response  for {@code OK} only: the Binding success response, reference count 1, owned by the caller, who must
 *                  send or release it; {@code null} for every other outcome
 * @param nominated true when the request was valid and carried USE-CANDIDATE (the sender's address is now selected)
 */
public record IceCheckResult(Outcome outcome, ByteBuf response, boolean nominated) {

    /** Why a datagram was answered or dropped; the name is the drop counter's tag. */
    public enum Outcome {
        /** Valid Binding request; a response is attached. */
        OK,
        /** Not a well-formed STUN message (header, lengths, attribute TLVs). */
        MALFORMED,
        /** Well-formed STUN but not a Binding request (indication, response, other method). */
        NOT_BINDING_REQUEST,
        /** USERNAME does not name this agent's ufrag (or, once known, the remote ufrag). */
        UNKNOWN_USERNAME,
        /** MESSAGE-INTEGRITY does not verify with the local password. */
        BAD_INTEGRITY,
        /** FINGERPRINT present but wrong. */
        BAD_FINGERPRINT,
        /** USERNAME, MESSAGE-INTEGRITY, PRIORITY or the ICE role attribute is missing. */
        MISSING_ATTRIBUTE,
        /** The peer claims the controlled role too; a lite agent cannot take the controlling role. */
        ROLE_CONFLICT
    }

    private static final Map<Outcome, IceCheckResult> DROPS = new EnumMap<>(Outcome.class);

    static {
        for (Outcome o : Outcome.values()) {
            if (o != Outcome.OK) {
                DROPS.put(o, new IceCheckResult(o, null, false));
            }
        }
    }

    public IceCheckResult {
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.OK) != (response != null)) {
            throw new IllegalArgumentException("a response comes with OK and only with OK");
        }
        if (nominated && outcome != Outcome.OK) {
            throw new IllegalArgumentException("only a valid request nominates");
        }
    }

    /** A valid request; {@code response} is handed to the caller. */
    public static IceCheckResult ok(ByteBuf response, boolean nominated) {
        return new IceCheckResult(Outcome.OK, Objects.requireNonNull(response, "response"), nominated);
    }

    /** A dropped datagram; shared instances, so floods of bad packets allocate nothing here. */
    public static IceCheckResult dropped(Outcome outcome) {
        IceCheckResult r = DROPS.get(outcome);
        if (r == null) {
            throw new IllegalArgumentException("OK is not a drop");
        }
        return r;
    }

    public boolean isOk() {
        return outcome == Outcome.OK;
    }
}
