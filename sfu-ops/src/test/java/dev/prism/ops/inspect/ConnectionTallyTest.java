package dev.prism.ops.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.inspect.ConnectionPath;
import dev.prism.core.inspect.ParticipantSnapshot;
import dev.prism.core.inspect.ParticipantSnapshot.TransportSnapshot;
import dev.prism.core.inspect.RoomSnapshot;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionTallyTest {
    private static final ParticipantSnapshot.LinkStats LINK = new ParticipantSnapshot.LinkStats(null, null, null,
            null, null, null);

    private static TransportSnapshot t(String state, String protocol, String family, ConnectionPath path) {
        return new TransportSnapshot(state, "192.0.2.7:5000", null, protocol, family, path);
    }

    private static ParticipantSnapshot p(String id, TransportSnapshot pub, TransportSnapshot sub) {
        return new ParticipantSnapshot(id, id, true, true, "connected", pub, sub, LINK, List.of(), null);
    }

    @Test
    void everyCombinationHasItsOwnSlot() {
        Set<Integer> slots = new HashSet<>();
        for (String t : ConnectionTally.TRANSPORTS) {
            for (String f : ConnectionTally.FAMILIES) {
                for (String c : ConnectionTally.CANDIDATES) {
                    slots.add(ConnectionTally.index(t, f, c));
                }
            }
        }
        assertThat(slots).hasSize(ConnectionTally.SIZE).allMatch(i -> i >= 0 && i < ConnectionTally.SIZE);
        assertThat(ConnectionTally.SIZE).isEqualTo(2 * 2 * 7);
        assertThat(ConnectionTally.index("sctp", "ipv4", "host")).isEqualTo(-1);
        assertThat(ConnectionTally.index("udp", null, "host")).isEqualTo(-1);
    }

    /**
     * Bob relayed through TURN over TLS on both connections, carol on ICE-TCP over IPv6 without a report yet, dave
     * still checking (not counted), erin who says TCP where Prism uses UDP (Prism's protocol counts).
     */
    @Test
    void countsConnectedConnectionsByPrismsProtocolTheFamilyAndTheReportedCandidate() {
        ConnectionPath relayTls = new ConnectionPath("udp", "relay", "tls", "ipv4");
        RoomSnapshot room = new RoomSnapshot("r", 0, List.of(
                p("bob", t("connected", "udp", "ipv4", relayTls), t("connected", "udp", "ipv4", relayTls)),
                p("carol", t("connected", "tcp", "ipv6", null), null),
                p("dave", t("checking", "udp", null, null), t("new", "udp", null, null)),
                p("erin", t("connected", "udp", "ipv4", new ConnectionPath("tcp", "host", null, "ipv4")), null)));

        int[] tally = ConnectionTally.count(room);

        assertThat(tally[ConnectionTally.index("udp", "ipv4", "relay_tls")]).isEqualTo(2);
        assertThat(tally[ConnectionTally.index("tcp", "ipv6", "unknown")]).isEqualTo(1);
        assertThat(tally[ConnectionTally.index("udp", "ipv4", "host")]).isEqualTo(1);
        assertThat(java.util.Arrays.stream(tally).sum()).isEqualTo(4);
    }
}
