package dev.prism.core.inspect;

import java.util.List;
import java.util.Map;

/**
 * The node as a whole at {@code takenAtMillis}.
 *
 * @param takenAtMillis   wall-clock time of the snapshot (epoch milliseconds)
 * @param uptimeMillis    since the node started
 * @param rooms           rooms that exist now
 * @param participants    participants in all rooms
 * @param tracks          published tracks in all rooms
 * @param mediaIn         every datagram received on the media socket (STUN, DTLS, SRTP, SRTCP)
 * @param mediaOut        every datagram sent from it
 * @param rtpForwarded    RTP packets forwarded to subscribers
 * @param keyframeRequests PLIs sent to publishers
 * @param dtlsHandshakes  DTLS handshakes completed
 * @param dtlsFailures    DTLS handshakes failed
 * @param drops           dropped packets by reason (every reason, zeros included)
 * @param jvm             CPU and heap
 * @param buffers         the media plane's pooled buffers
 * @param eventLoops      the media event loops
 * @param signaling       sessions and message counts
 */
public record NodeSnapshot(long takenAtMillis, long uptimeMillis, int rooms, int participants, int tracks,
                           Traffic mediaIn, Traffic mediaOut, long rtpForwarded, long keyframeRequests,
                           long dtlsHandshakes, long dtlsFailures, Map<String, Long> drops, JvmStats jvm,
                           BufferStats buffers, List<EventLoopStats> eventLoops, SignalingStats signaling) {
    public NodeSnapshot {
        drops = Map.copyOf(drops);
        eventLoops = List.copyOf(eventLoops);
    }

    /**
     * @param processCpu          this process's share of all CPUs over the last interval, 0..1; null when unknown
     * @param systemCpu           the machine's CPU use, 0..1; null when unknown
     * @param availableProcessors CPUs the JVM may use
     */
    public record JvmStats(Double processCpu, Double systemCpu, int availableProcessors, long heapUsedBytes,
                           long heapCommittedBytes, long heapMaxBytes, int threads) {
    }

    /**
     * The pooled allocator of the media plane.
     *
     * @param activeAllocations pooled buffers allocated and not yet released (heap and direct arenas)
     */
    public record BufferStats(long activeAllocations, long usedHeapBytes, long usedDirectBytes) {
    }

    /**
     * Load of one event loop.
     *
     * @param busyFraction CPU time of the loop's thread over the last interval, 0..1 (time spent waiting for I/O is
     *                     not counted); null until two samples exist or when the JVM cannot measure thread CPU time
     * @param lagMillis    how long the last probe task waited in the loop's queue before it ran; null before the
     *                     first probe
     * @param pendingTasks tasks queued now; -1 when the loop does not tell
     */
    public record EventLoopStats(String name, Double busyFraction, Double lagMillis, int pendingTasks) {
    }

    /**
     * @param sessions live signaling sessions (WebSockets)
     * @param messages protocol messages handled, by type
     * @param errors   errors answered, by code
     * @param refused  WebSocket handshakes refused, by reason
     */
    public record SignalingStats(int sessions, Map<String, Long> messages, Map<String, Long> errors,
                                 Map<String, Long> refused) {
        public SignalingStats {
            messages = Map.copyOf(messages);
            errors = Map.copyOf(errors);
            refused = Map.copyOf(refused);
        }
    }
}
