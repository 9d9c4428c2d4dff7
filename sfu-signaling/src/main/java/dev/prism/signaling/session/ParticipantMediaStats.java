package dev.prism.signaling.session;

import java.util.List;

/**
 * A snapshot of one participant's media health, for the admin view and metrics: per published stream what arrives from
 * the participant (loss before and after repair, jitter, NACKs sent, RTX recovered, keyframe requests), per subscribed
 * stream what Prism sends it and what it reports back (NACKs, retransmissions, loss, jitter), round-trip times, and the
 * media repairs done for it. Immutable; built on the room's executor by {@link SfuContext#mediaStats}.
 *
 * @param participantId   the participant
 * @param signaling       "joined", or "detached" while its WebSocket is gone and the resume window runs
 * @param publisherRttMs  round trip on its publisher connection (measured from NACK recoveries), -1 unknown
 * @param subscriberRttMs round trip on its subscriber connection (from its receiver reports), -1 unknown
 * @param resumes         signaling resumes after a drop
 * @param iceRestarts     ICE restarts of its two connections
 */
public record ParticipantMediaStats(String participantId, String signaling, long publisherRttMs, long subscriberRttMs,
                                    List<Published> published, List<Subscribed> subscribed, List<RepairEvent> repairs,
                                    int resumes, int iceRestarts) {
    public ParticipantMediaStats {
        published = List.copyOf(published);
        subscribed = List.copyOf(subscribed);
        repairs = List.copyOf(repairs);
    }

    /**
     * One stream the participant publishes, as Prism receives it.
     *
     * @param lost           packets that never arrived, after repair (RFC 3550 cumulative loss)
     * @param lossFraction   {@code lost} over packets expected
     * @param nacksSent      sequence numbers Prism asked the publisher for again (retries count)
     * @param rtxRecovered   packets recovered through the publisher's RTX
     */
    public record Published(String trackId, String kind, long packets, long lost, double lossFraction,
                            double jitterMs, long nacksSent, long rtxRecovered, long keyframeRequests,
                            long keyframeRequestsCoalesced) {
    }

    /**
     * One stream Prism sends the participant.
     *
     * @param nacked             sequence numbers the participant NACKed
     * @param retransmitted      retransmissions sent
     * @param retransmitMissed   NACKed packets that could not be resent (too old, unknown, no RTX)
     * @param reportedLoss       fraction lost in its last receiver report, 0..1 (-1 before any)
     * @param reportedJitterMs   jitter in its last receiver report (-1 before any)
     * @param rttMs              round trip from its last report about this stream (-1 unknown)
     */
    public record Subscribed(String trackId, String kind, long packets, long nacked, long retransmitted,
                             long retransmitMissed, double reportedLoss, double reportedJitterMs, long rttMs) {
    }

    /**
     * One media repair: the participant reported expected media missing ({@code issue}) and Prism did {@code action}
     * (keyframe, resubscribed, reoffer, ice_restart, muted, publisher_stalled, state, none).
     *
     * @param atEpochMillis wall-clock time of the repair
     */
    public record RepairEvent(long atEpochMillis, String trackId, String issue, String action) {
    }
}
