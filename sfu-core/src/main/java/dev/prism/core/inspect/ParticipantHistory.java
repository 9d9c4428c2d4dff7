package dev.prism.core.inspect;

import java.util.List;

/**
 * A participant's recent time series, oldest point first.
 *
 * @param intervalMillis the sampling interval
 */
public record ParticipantHistory(String roomId, String participantId, long intervalMillis, List<Point> points) {
    public ParticipantHistory {
        points = List.copyOf(points);
    }

    /**
     * One sample; each value null when not measured (see {@link ParticipantSnapshot.LinkStats}).
     *
     * @param atMillis wall-clock time (epoch milliseconds)
     */
    public record Point(long atMillis, Double uplinkBps, Double downlinkBps, Double bandwidthEstimateBps,
                        Double lossFraction) {
    }
}
