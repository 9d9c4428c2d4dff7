package dev.prism.ops.inspect;

import dev.prism.core.inspect.ConnectionPath;
import dev.prism.core.inspect.ParticipantSnapshot;
import dev.prism.core.inspect.ParticipantSnapshot.TransportSnapshot;
import dev.prism.core.inspect.RoomSnapshot;
import java.util.List;

/**
 * Live peer connections counted by transport ({@code udp}, {@code tcp}: what Prism's transport uses), address family
 * ({@code ipv4}, {@code ipv6}: of the remote address Prism sends to) and candidate (what the client reported, see
 * {@link ConnectionPath#CANDIDATE_LABELS}; {@code unknown} until it reports). Every label set is fixed, so the tally is
 * a flat array with one slot per combination. A connection counts while it is connected. Pure.
 */
public final class ConnectionTally {
    public static final List<String> TRANSPORTS = ConnectionPath.PROTOCOLS;
    public static final List<String> FAMILIES = ConnectionPath.FAMILIES;
    public static final List<String> CANDIDATES = ConnectionPath.CANDIDATE_LABELS;
    /** Slots of a tally: one per (transport, family, candidate). */
    public static final int SIZE = TRANSPORTS.size() * FAMILIES.size() * CANDIDATES.size();

    private ConnectionTally() {
    }

    /** The slot of a combination, or -1 when a label is not one of the fixed values. */
    public static int index(String transport, String family, String candidate) {
        if (transport == null || family == null || candidate == null) {
            return -1; // List.of(..).indexOf(null) throws
        }
        int t = TRANSPORTS.indexOf(transport);
        int f = FAMILIES.indexOf(family);
        int c = CANDIDATES.indexOf(candidate);
        if (t < 0 || f < 0 || c < 0) {
            return -1;
        }
        return (t * FAMILIES.size() + f) * CANDIDATES.size() + c;
    }

    /** The connected peer connections of one room, both connections of every participant. */
    public static int[] count(RoomSnapshot room) {
        int[] out = new int[SIZE];
        for (ParticipantSnapshot p : room.participants()) {
            add(out, p.publisher());
            add(out, p.subscriber());
        }
        return out;
    }

    private static void add(int[] tally, TransportSnapshot t) {
        if (t == null || !"connected".equals(t.state())) {
            return;
        }
        int i = index(t.protocol(), t.family(), t.candidate());
        if (i >= 0) {
            tally[i]++;
        }
    }
}
