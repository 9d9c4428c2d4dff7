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
 * @param recovery        what loss recovery and reconnection did for it; null when nothing is known (no session)
 */
public record ParticipantSnapshot(String id, String name, boolean canPublish, boolean canSubscribe,
                                  String connectionState, TransportSnapshot publisher, TransportSnapshot subscriber,
                                  LinkStats link, List<TrackSnapshot> tracks, Recovery recovery) {
    public ParticipantSnapshot {
        tracks = List.copyOf(tracks);
    }

    /**
     * One peer connection's transport.
     *
     * @param state         {@code new}, {@code checking}, {@code connecting}, {@code connected} or {@code closed}
     * @param remoteAddress where its media goes ({@code ip:port}), null before ICE
     * @param closeReason   why it closed, null while open
     * @param protocol      {@code udp}, or {@code tcp} when its media path is an ICE-TCP connection (Prism's view,
     *                      which wins over the client's {@code clientPath.protocol()})
     * @param family        {@code ipv4} or {@code ipv6} of {@code remoteAddress} (Prism's view); else the client's;
     *                      null when neither is known
     * @param clientPath    what the client reported about this connection's selected candidate pair (a relay, the
     *                      candidate type); null until it reports
     */
    public record TransportSnapshot(String state, String remoteAddress, String closeReason, String protocol,
                                    String family, ConnectionPath clientPath) {
        /** A transport over UDP. */
        public TransportSnapshot(String state, String remoteAddress, String closeReason) {
            this(state, remoteAddress, closeReason, "udp");
        }

        /** Without family or client report. */
        public TransportSnapshot(String state, String remoteAddress, String closeReason, String protocol) {
            this(state, remoteAddress, closeReason, protocol, null, null);
        }

        /** The candidate label ({@link ConnectionPath#CANDIDATE_LABELS}): {@code unknown} until the client reports. */
        public String candidate() {
            return ConnectionPath.candidateLabel(clientPath);
        }

        /** Whether the client reported a protocol other than the one Prism's transport uses. */
        public boolean clientDisagrees() {
            return clientPath != null && !clientPath.protocol().equals(protocol);
        }
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
     * @param bandwidthEstimateSource where that estimate comes from, for operators ("transport-cc", "REMB",
     *                             "transport-cc malformed: using REMB", ...); null without an estimate
     */
    public record LinkStats(Double uplinkBps, Double downlinkBps, Double rttMillis, Double lossFraction,
                            Double jitterMillis, Double bandwidthEstimateBps, String bandwidthEstimateSource) {
        /** Without a known estimate source. */
        public LinkStats(Double uplinkBps, Double downlinkBps, Double rttMillis, Double lossFraction,
                         Double jitterMillis, Double bandwidthEstimateBps) {
            this(uplinkBps, downlinkBps, rttMillis, lossFraction, jitterMillis, bandwidthEstimateBps, null);
        }
    }

    /**
     * Loss recovery and reconnection, totals since it joined.
     *
     * @param nacksSent       sequence numbers Prism asked this publisher for again
     * @param rtxRecovered    packets recovered from this publisher's retransmissions
     * @param nacksReceived   sequence numbers this subscriber asked Prism for again
     * @param retransmissions retransmissions Prism sent it
     * @param resumes         signaling resumes after a dropped WebSocket
     * @param iceRestarts     ICE restarts of its two connections
     * @param repairs         the latest media repairs, oldest first
     */
    public record Recovery(long nacksSent, long rtxRecovered, long nacksReceived, long retransmissions, int resumes,
                           int iceRestarts, List<Repair> repairs) {
        public Recovery {
            repairs = List.copyOf(repairs);
        }
    }

    /**
     * One media repair: the client reported expected media missing ({@code issue}) and Prism did {@code action}.
     *
     * @param atMillis wall-clock time (epoch milliseconds)
     */
    public record Repair(long atMillis, String trackId, String issue, String action) {
    }
}
