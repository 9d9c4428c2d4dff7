package dev.prism.conference;

import dev.prism.conference.RepairOutcome.FollowUp;
import dev.prism.core.clock.MonoClock;
import dev.prism.core.room.Room;
import dev.prism.core.room.Track;
import dev.prism.rtp.router.downlink.Consumer;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.router.downlink.SubscriberEndpoint;
import dev.prism.rtp.transport.WebRtcTransport;

/**
 * Finds which link is broken when a subscriber reports expected media missing on a track, and repairs it: keyframe,
 * new consumer, re-offer or ICE restart. Connection-level repairs are throttled ({@link RepairThrottle}).
 *
 * <p>Room loop only.
 */
final class MediaRepair {
    /** A consumer or producer without a packet for this long is not flowing. */
    private static final long FLOWING_NANOS = 2_000_000_000L;

    private MediaRepair() {
    }

    static RepairOutcome repair(Room room, String identity, boolean canSubscribe, SubscriberSide side, String trackId,
                                MonoClock clock) {
        Track track = Conference.findTrack(room, trackId);
        SubscriberSlot slot = side.slot(trackId);
        if (track == null) {
            // The client believes in a track that is gone: its view is stale.
            return new RepairOutcome("state", FollowUp.SEND_STATE);
        }
        if (slot == null) {
            if (!canSubscribe || track.participantId().equals(identity)) {
                return new RepairOutcome("none", FollowUp.NONE);
            }
            side.subscribe(track);
            return new RepairOutcome("resubscribed", FollowUp.OFFER);
        }
        if (track.muted()) {
            return new RepairOutcome("muted", FollowUp.NONE); // nothing is expected
        }
        if (slot.preferences != null && slot.preferences.paused()) {
            // the subscriber paused it (a hidden tile, adaptive stream): nothing is expected either
            return new RepairOutcome("paused", FollowUp.NONE);
        }
        if (!slot.answered) {
            // The client has not answered an offer carrying it yet: send the outstanding one again in case it was lost
            // (the client answers a repeated version with its stored answer).
            if (!side.repairThrottle.admit()) {
                return new RepairOutcome("coalesced", FollowUp.NONE);
            }
            return new RepairOutcome("pending_offer", FollowUp.RESEND_OFFER);
        }
        SubscriberEndpoint subscriber = side.endpoint();
        if (subscriber != null && isHandshaking(subscriber.transport().state())) {
            // ICE checks or DTLS under way: a restart now would only start them over
            return new RepairOutcome("connecting", FollowUp.NONE);
        }
        if (subscriber == null || !subscriber.transport().isConnected()) {
            if (subscriber == null) {
                return new RepairOutcome("pending_offer", FollowUp.OFFER);
            }
            if (!side.repairThrottle.admit()) {
                return new RepairOutcome("coalesced", FollowUp.NONE); // one ICE restart covers every track
            }
            subscriber.transport().restartIce();
            return new RepairOutcome("ice_restart", FollowUp.OFFER);
        }
        Consumer c = slot.consumer;
        if (c == null || c.isClosed()) {
            // The consumer was lost: forward again, continuing the subscriber's stream where it stopped.
            if (c != null && c.reopen()) {
                return new RepairOutcome("resubscribed", FollowUp.NONE);
            }
            if (c != null) {
                subscriber.removeConsumer(c);
            }
            Consumer fresh = side.newConsumer(slot);
            if (fresh == null) {
                return new RepairOutcome("publisher_stalled", FollowUp.NONE);
            }
            if (c != null) {
                fresh.continueFrom(c);
            }
            return new RepairOutcome("resubscribed", FollowUp.NONE);
        }
        long now = clock.nanos();
        Producer p = c.producer();
        if (p.isClosed() || now - p.lastPacketNanos() > FLOWING_NANOS) {
            p.requestKeyframe();
            // nothing arrives from the publisher: not this subscriber's problem
            return new RepairOutcome("publisher_stalled", FollowUp.NONE);
        }
        if (now - c.lastForwardNanos() <= FLOWING_NANOS && !c.waitingForKeyframe()) {
            // Prism sends, the client does not see it: set its subscriber connection up again.
            c.restart();
            if (!side.repairThrottle.admit()) {
                return new RepairOutcome("coalesced", FollowUp.NONE);
            }
            return new RepairOutcome("reoffer", FollowUp.OFFER);
        }
        c.restart();
        return new RepairOutcome("keyframe", FollowUp.NONE);
    }

    private static boolean isHandshaking(WebRtcTransport.State state) {
        return state == WebRtcTransport.State.CHECKING || state == WebRtcTransport.State.CONNECTING;
    }
}
