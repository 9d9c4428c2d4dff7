package dev.prism.netem;

import java.util.Map;

/**
 * A snapshot of one {@link ImpairedPath}'s counters. Hold times are measured from a packet's offer to its release by
 * the path's owner; lateness is how long after its departure time it was released (the relay's own timing error).
 *
 * @param offered       packets offered
 * @param offeredBytes  their bytes
 * @param delivered     packets released
 * @param deliveredBytes their bytes
 * @param dropped       packets dropped, by reason (every reason present)
 * @param held          packets waiting now
 * @param minHoldNanos  shortest hold of a released packet (0 before any)
 * @param maxHoldNanos  longest hold of a released packet
 * @param sumHoldNanos  all released packets' holds added up
 * @param maxLateNanos  the most a packet was released after its departure time
 * @param sumLateNanos  all released packets' lateness added up
 * @param lateOver2ms   packets released more than 2 ms after their departure time
 */
public record PathCounters(long offered, long offeredBytes, long delivered, long deliveredBytes,
                           Map<DropReason, Long> dropped, int held, long minHoldNanos, long maxHoldNanos,
                           long sumHoldNanos, long maxLateNanos, long sumLateNanos, long lateOver2ms) {

    public PathCounters {
        dropped = Map.copyOf(dropped);
    }

    public long dropped(DropReason reason) {
        return dropped.getOrDefault(reason, 0L);
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    public double meanHoldMillis() {
        return delivered == 0 ? 0 : sumHoldNanos / 1e6 / delivered;
    }

    public double meanLateMillis() {
        return delivered == 0 ? 0 : sumLateNanos / 1e6 / delivered;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(delivered).append('/').append(offered).append(" delivered");
        dropped.entrySet().stream().filter(e -> e.getValue() > 0).sorted(Map.Entry.comparingByKey())
                .forEach(e -> s.append(", ").append(e.getValue()).append(' ').append(e.getKey().label()));
        return s.append(String.format(", hold %.1f..%.1f ms (mean %.1f), released late by %.2f ms on average, "
                + "%d over 2 ms, at most %.2f ms, %d held", minHoldNanos / 1e6, maxHoldNanos / 1e6, meanHoldMillis(),
                meanLateMillis(), lateOver2ms, maxLateNanos / 1e6, held)).toString();
    }
}
