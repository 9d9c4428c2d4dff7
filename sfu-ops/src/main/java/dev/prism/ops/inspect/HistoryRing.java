package dev.prism.ops.inspect;

import dev.prism.core.inspect.ParticipantHistory;
import java.util.ArrayList;
import java.util.List;

/** The last {@code capacity} points of one participant's time series, oldest first. One owner thread. */
final class HistoryRing {
    private final ParticipantHistory.Point[] points;
    private int next;
    private int size;
    /** The owner's mark of the last sample that added a point (the owner drops rings a sample did not reach). */
    long stamp;

    HistoryRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.points = new ParticipantHistory.Point[capacity];
    }

    void add(ParticipantHistory.Point p) {
        points[next] = p;
        next = (next + 1) % points.length;
        size = Math.min(size + 1, points.length);
    }

    List<ParticipantHistory.Point> toList() {
        List<ParticipantHistory.Point> out = new ArrayList<>(size);
        int start = (next - size + points.length) % points.length;
        for (int i = 0; i < size; i++) {
            out.add(points[(start + i) % points.length]);
        }
        return out;
    }

    int size() {
        return size;
    }
}
