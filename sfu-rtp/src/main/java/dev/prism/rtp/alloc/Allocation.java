package dev.prism.rtp.alloc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one {@link BitrateAllocator#allocate} round: what each subscription gets. Provisional until passed to
 * {@link BitrateAllocator#commit}; immutable.
 *
 * @param estimateBps  the estimate the round started from
 * @param allocatedBps the sum of what is assigned (audio included)
 * @param desiredBps   what the subscriptions would take without a bandwidth limit (preferences still apply); above
 *                     the estimate, the prober has a reason to probe
 * @param assignments  in the order of the input subscriptions
 */
public record Allocation(long estimateBps, long allocatedBps, long desiredBps, List<Assignment> assignments) {
    public Allocation {
        assignments = List.copyOf(assignments);
    }

    /** The assignment of {@code id}, or null. */
    public Assignment get(String id) {
        for (Assignment a : assignments) {
            if (a.id().equals(id)) {
                return a;
            }
        }
        return null;
    }

    /** True when some subscription got less than its preferences allow because of the estimate. */
    public boolean limitedByBandwidth() {
        for (Assignment a : assignments) {
            if (a.state() == Assignment.State.LIMITED || a.state() == Assignment.State.PAUSED_NO_BANDWIDTH) {
                return true;
            }
        }
        return false;
    }

    /** Assignments by id, for lookups in bulk. */
    public Map<String, Assignment> byId() {
        Map<String, Assignment> m = new LinkedHashMap<>();
        for (Assignment a : assignments) {
            m.put(a.id(), a);
        }
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        return "Allocation[estimate=" + estimateBps + " allocated=" + allocatedBps + " desired=" + desiredBps + " "
                + assignments + "]";
    }
}
