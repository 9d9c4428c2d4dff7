package dev.prism.cluster;

/**
 * Turns a node's figures into one load score, and corrects a reported score for the rooms placed on the node since
 * that report. Pure and thread-safe.
 *
 * <p>The score is the largest of the node's normalised figures, so whichever resource runs out first decides: 1.0 means
 * the busiest media loop is saturated (busy ratio 1, or a probe lag of {@code lagAtFullLoadMillis}), or the node reached
 * a configured participant or egress capacity (0 = not limited by that figure).
 *
 * <p>Correction (after Jicofo's "corrected stress"): reports come once a second, so a burst of placements would all see
 * the same low score and herd onto one node. Each room placed on a node since its last report adds an estimated
 * increment: the node's own average cost of a room ({@code score / rooms}), and at least {@code minRoomIncrement} (a
 * fresh or idle node has no average yet). The next report replaces the estimate with the measurement.
 *
 * @param lagAtFullLoadMillis        probe lag that counts as a full loop
 * @param participantCapacity        participants that count as a full node; 0 = not counted
 * @param egressCapacityBitsPerSecond egress that counts as a full node; 0 = not counted
 * @param minRoomIncrement           the least a placed room adds to the score until the next report
 */
public record LoadModel(double lagAtFullLoadMillis, int participantCapacity, long egressCapacityBitsPerSecond,
                        double minRoomIncrement) {

    /** A score above this is reported as this: a stuck loop's growing lag must not overflow anything. */
    public static final double MAX_SCORE = 10.0;

    public static final LoadModel DEFAULTS = new LoadModel(50.0, 0, 0, 0.02);

    public LoadModel {
        if (!(lagAtFullLoadMillis > 0)) {
            throw new IllegalArgumentException("lagAtFullLoadMillis must be positive: " + lagAtFullLoadMillis);
        }
        if (participantCapacity < 0 || egressCapacityBitsPerSecond < 0) {
            throw new IllegalArgumentException("capacities must be >= 0 (0 = not counted)");
        }
        if (!(minRoomIncrement >= 0) || minRoomIncrement > 1) {
            throw new IllegalArgumentException("minRoomIncrement must be in 0..1: " + minRoomIncrement);
        }
    }

    /** The node's load score, 0 (idle) .. {@link #MAX_SCORE}; 1.0 = its bottleneck is full. */
    public double score(NodeLoad load) {
        double score = load.busiestLoopBusyRatio();
        score = Math.max(score, load.busiestLoopLagMillis() / lagAtFullLoadMillis);
        if (participantCapacity > 0) {
            score = Math.max(score, load.participants() / (double) participantCapacity);
        }
        if (egressCapacityBitsPerSecond > 0) {
            score = Math.max(score, load.egressBitsPerSecond() / (double) egressCapacityBitsPerSecond);
        }
        return Math.min(score, MAX_SCORE);
    }

    /** What one more room is expected to add to a node that reported {@code score} with {@code rooms} rooms. */
    public double roomIncrement(double reportedScore, int rooms) {
        return rooms > 0 ? Math.max(minRoomIncrement, reportedScore / rooms) : minRoomIncrement;
    }

    /** The reported score plus the estimated cost of the rooms placed on the node since that report. */
    public double corrected(double reportedScore, int rooms, int placedSinceReport) {
        return Math.min(MAX_SCORE, reportedScore + placedSinceReport * roomIncrement(reportedScore, rooms));
    }
}
