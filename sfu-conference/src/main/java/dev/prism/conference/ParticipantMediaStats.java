package dev.prism.conference;

import java.util.List;

/**
 * A snapshot of one participant's media health, for the admin view and metrics: per published stream what arrives from
 * the participant (loss before and after repair, jitter, NACKs sent, RTX recovered, keyframe requests), per subscribed
 * stream what Prism sends it and what it reports back (NACKs, retransmissions, loss, jitter), round-trip times, and the
 * media repairs done for it. Immutable; built on the room's loop by {@link Conference#mediaStats}.
 *
 * @param participantId   the participant
 * @param signaling       "joined", or "detached" while its WebSocket is gone and the resume window runs
 * @param publisherRttMs  round trip on its publisher connection (measured from NACK recoveries), -1 unknown
 * @param subscriberRttMs round trip on its subscriber connection (from its receiver reports), -1 unknown
 * @param resumes         signaling resumes after a drop
 * @param iceRestarts     ICE restarts of its two connections
 * @param downlink        its downlink estimate and allocation; null before it subscribes to anything
 */
public record ParticipantMediaStats(String participantId, String signaling, long publisherRttMs, long subscriberRttMs,
                                    List<Published> published, List<Subscribed> subscribed, List<RepairEvent> repairs,
                                    int resumes, int iceRestarts, Downlink downlink) {
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
                            long keyframeRequestsCoalesced, List<Layer> layers) {
        public Published {
            layers = List.copyOf(layers);
        }
    }

    /**
     * One RTP stream of a published track (a simulcast layer, or the only stream).
     *
     * @param spatial    spatial layer index, 0 = lowest
     * @param rid        its rid, or null
     * @param width      picture width from its latest key frame, 0 before one (audio: 0)
     * @param bitrateBps measured over the last second, all temporal layers
     * @param frameRate  frames per second over the last second, all temporal layers
     * @param active     whether it sent within the last second
     */
    public record Layer(int spatial, String rid, long ssrc, int width, int height, long bitrateBps, double frameRate,
                        boolean active) {
    }

    /**
     * The participant's downlink: how Prism estimates it and shares it out.
     *
     * @param mode          {@code transport_cc}, {@code remb} or {@code none} (no estimate: no limit)
     * @param estimateBps   the downlink estimate
     * @param allocatedBps  what the latest allocation sends
     * @param desiredBps    what the tracks would take without a limit
     * @param layerSwitches spatial layer switches of all its video streams
     * @param probes        bandwidth probes started
     * @param paddingBytes  padding sent for probes
     * @param estimator     the estimator's state, for operators (free text)
     */
    public record Downlink(String mode, long estimateBps, long allocatedBps, long desiredBps, long layerSwitches,
                           long probes, long paddingBytes, String estimator) {
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
     * @param targetLayer        video: the layer the allocation wants it to get, e.g. {@code s2t3}, {@code paused};
     *                           null for audio
     * @param currentLayer       video: the layer it gets now, e.g. {@code s0t1}, {@code none}; null for audio
     * @param layerReason        why the target is what it is ({@code optimal}, {@code limited},
     *                           {@code paused_no_bandwidth}, ...), null before the first allocation
     * @param layerSwitches      spatial layer switches of this stream
     * @param layerKeyframeRequests keyframe requests its layer switches made
     */
    public record Subscribed(String trackId, String kind, long packets, long nacked, long retransmitted,
                             long retransmitMissed, double reportedLoss, double reportedJitterMs, long rttMs,
                             String targetLayer, String currentLayer, String layerReason, long layerSwitches,
                             long layerKeyframeRequests) {
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
