package dev.prism.core.inspect;

import java.util.List;

/**
 * One participant: its two media connections, its link quality and the tracks it publishes (each with everyone who
 * receives it).
 *
 * @param connectionState summary of both connections: {@code new} (none yet), {@code checking}, {@code connecting},
 *                        {@code connected} (every connection it has is connected) or {@code closed}
 * @param publisher       the connection it sends on; null before it publishes
 * @param subscriber      the connection it receives on; null before there is anything to receive
 * @param link            rates and link quality
 * @param tracks          what it publishes, in publication order
 */
public record ParticipantSnapshot(String id, String name, boolean canPublish, boolean canSubscribe,
                                  String connectionState, TransportSnapshot publisher, TransportSnapshot subscriber,
                                  LinkStats link, List<TrackSnapshot> tracks) {
    public ParticipantSnapshot {
        tracks = List.copyOf(tracks);
    }

    /**
     * One peer connection's transport.
     *
     * @param state         {@code new}, {@code checking}, {@code connecting}, {@code connected} or {@code closed}
     * @param remoteAddress where its media goes ({@code ip:port}), null before ICE
     * @param closeReason   why it closed, null while open
     */
    public record TransportSnapshot(String state, String remoteAddress, String closeReason) {
    }

    /**
     * Rates and link quality.
     *
     * @param uplinkBps            what it sends, summed over its tracks; null until measured
     * @param downlinkBps          what Prism sends it, summed over its subscriptions; null until measured
     * @param rttMillis            round-trip time; null until the RTCP work measures it
     * @param lossFraction         uplink loss 0..1; null until the RTCP work measures it
     * @param jitterMillis         uplink jitter; null until the RTCP work measures it
     * @param bandwidthEstimateBps downlink estimate; null until the bandwidth-estimation work provides it
     */
    public record LinkStats(Double uplinkBps, Double downlinkBps, Double rttMillis, Double lossFraction,
                            Double jitterMillis, Double bandwidthEstimateBps) {
    }
}
