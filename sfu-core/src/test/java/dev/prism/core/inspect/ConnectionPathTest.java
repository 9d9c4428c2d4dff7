package dev.prism.core.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectionPathTest {

    @ParameterizedTest(name = "{0} {1} relay={2} -> {3}")
    @CsvSource(nullValues = "-", textBlock = """
            udp, host,  -,   host
            udp, srflx, -,   srflx
            tcp, prflx, -,   prflx
            udp, relay, udp, relay_udp
            udp, relay, tcp, relay_tcp
            udp, relay, tls, relay_tls
            udp, relay, -,   unknown
            """)
    void candidateLabelIsTheTypeOrTheRelaysProtocol(String protocol, String type, String relay, String label) {
        ConnectionPath p = new ConnectionPath(protocol, type, relay, "ipv4");
        assertThat(p.candidateLabel()).isEqualTo(label);
        assertThat(ConnectionPath.CANDIDATE_LABELS).contains(label);
    }

    @Test
    void noReportIsUnknown() {
        assertThat(ConnectionPath.candidateLabel(null)).isEqualTo("unknown");
        assertThat(new ParticipantSnapshot.TransportSnapshot("connected", null, null).candidate()).isEqualTo("unknown");
    }

    @ParameterizedTest(name = "{0} {1} relay={2} family={3} refused")
    @CsvSource(nullValues = "-", textBlock = """
            UDP,  host,  -,   ipv4
            sctp, host,  -,   ipv4
            -,    host,  -,   ipv4
            udp,  HOST,  -,   ipv4
            udp,  -,     -,   ipv4
            udp,  relay, dtls, ipv4
            udp,  host,  tls, ipv4
            udp,  host,  -,   ipv5
            """)
    void anythingOutsideTheFixedValuesIsRefused(String protocol, String type, String relay, String family) {
        assertThatThrownBy(() -> new ConnectionPath(protocol, type, relay, family))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
            192.0.2.7,           ipv4
            2001:db8::7,         ipv6
            ::1,                 ipv6
            ::ffff:192.0.2.7,    ipv4
            """)
    void familyOfAnAddress(String literal, String family) throws Exception {
        assertThat(ConnectionPath.familyOf(InetAddress.getByName(literal))).isEqualTo(family);
    }

    @Test
    void anIpv4MappedAddressKeptAsIpv6ReadsAsIpv4() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 7};
        InetAddress a = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(a).isInstanceOf(Inet6Address.class);
        assertThat(ConnectionPath.familyOf(a)).isEqualTo("ipv4");
    }

    @Test
    void aClientThatDisagreesWithPrismOnTheProtocolIsNoticed() {
        ConnectionPath tcpRelay = new ConnectionPath("tcp", "host", null, "ipv4");
        assertThat(new ParticipantSnapshot.TransportSnapshot("connected", "192.0.2.7:1", null, "udp", "ipv4",
                tcpRelay).clientDisagrees()).isTrue();
        assertThat(new ParticipantSnapshot.TransportSnapshot("connected", "192.0.2.7:1", null, "tcp", "ipv4",
                tcpRelay).clientDisagrees()).isFalse();
    }
}
