package dev.prism.conference;

/**
 * What a media repair did, and what signaling must do about the subscriber offer before it answers the client.
 *
 * @param action {@code keyframe}, {@code resubscribed}, {@code reoffer}, {@code ice_restart}, {@code pending_offer},
 *               {@code connecting}, {@code coalesced}, {@code muted}, {@code paused}, {@code publisher_stalled},
 *               {@code state} or
 *               {@code none} (a bounded set: it is a metric label)
 */
public record RepairOutcome(String action, FollowUp followUp) {
    /** The signaling step a repair needs. */
    public enum FollowUp {
        /** Nothing. */
        NONE,
        /** The client's view of the room is stale: send it the room state. */
        SEND_STATE,
        /** Send the outstanding subscriber offer again (it may have been lost), or a new one when none is out. */
        RESEND_OFFER,
        /** The subscriber connection changed: a new offer is needed. */
        OFFER
    }
}
