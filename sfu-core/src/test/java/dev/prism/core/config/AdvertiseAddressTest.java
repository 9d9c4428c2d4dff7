package dev.prism.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AdvertiseAddressTest {

    private static AdvertiseAddress.Interface nif(String name, int index, boolean up, boolean loopback, boolean virtual,
                                                  String... addresses) {
        List<InetAddress> list = Arrays.stream(addresses).map(IpLiteral::parse).toList();
        return new AdvertiseAddress.Interface(name, index, up, loopback, virtual, list);
    }

    private static AdvertiseAddress.Interface up(String name, int index, String... addresses) {
        return nif(name, index, true, false, false, addresses);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("nothing at all -> none", List.of(), null),
                Arguments.of("loopback only -> none",
                        List.of(nif("lo", 1, true, true, false, "127.0.0.1", "::1")), null),
                Arguments.of("one ethernet",
                        List.of(nif("lo", 1, true, true, false, "127.0.0.1"), up("eth0", 2, "192.168.1.20")),
                        "192.168.1.20"),
                Arguments.of("down interface skipped",
                        List.of(nif("eth0", 2, false, false, false, "10.0.0.5"), up("wlan0", 3, "192.168.1.20")),
                        "192.168.1.20"),
                Arguments.of("virtual sub-interface skipped",
                        List.of(nif("eth0:1", 2, true, false, true, "10.0.0.9"), up("eth1", 3, "10.0.0.5")),
                        "10.0.0.5"),
                Arguments.of("IPv6 and link-local skipped",
                        List.of(up("eth0", 2, "fe80::1", "2001:db8::5", "169.254.3.4"), up("eth1", 3, "10.1.2.3")),
                        "10.1.2.3"),
                Arguments.of("site-local preferred over public",
                        List.of(up("eth0", 2, "203.0.113.7"), up("eth1", 3, "172.16.4.4")), "172.16.4.4"),
                Arguments.of("public used when it is all there is",
                        List.of(up("eth0", 2, "203.0.113.7")), "203.0.113.7"),
                Arguments.of("docker bridge ranked after a real interface, even a public one",
                        List.of(up("docker0", 2, "172.17.0.1"), up("eth0", 3, "203.0.113.7")), "203.0.113.7"),
                Arguments.of("bridge used when it is all there is",
                        List.of(up("br-1a2b3c", 4, "172.18.0.1")), "172.18.0.1"),
                Arguments.of("lowest index wins among equals",
                        List.of(up("eth1", 5, "10.0.0.2"), up("eth0", 2, "10.0.0.1")), "10.0.0.1"),
                Arguments.of("interface's first address wins",
                        List.of(up("eth0", 2, "10.0.0.7", "10.0.0.3")), "10.0.0.7"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void choose(String description, List<AdvertiseAddress.Interface> interfaces, String expected) {
        Optional<InetAddress> chosen = AdvertiseAddress.choose(interfaces);
        assertThat(chosen.map(InetAddress::getHostAddress).orElse(null)).isEqualTo(expected);
    }

    @Test
    void theDefaultRouteInterfaceWinsOverATestNamespaceVeth() {
        // A bad-network test's veth (site-local 10.x) must not take over from the machine's own address, even when
        // that address is not site-local (documentation or public ranges).
        List<AdvertiseAddress.Interface> nifs = List.of(up("eth0", 2, "192.0.2.2"), up("pnx-h0", 9, "10.213.18.137"));
        assertThat(AdvertiseAddress.choose(nifs, "eth0")).map(a -> a.getHostAddress()).contains("192.0.2.2");
        assertThat(AdvertiseAddress.choose(nifs, null)).map(a -> a.getHostAddress()).contains("10.213.18.137");
        assertThat(AdvertiseAddress.choose(nifs, "gone0")).map(a -> a.getHostAddress()).contains("10.213.18.137");
    }

    @Test
    void detectOnThisMachineGivesAnIpv4AddressThatIsNotWildcard() {
        InetAddress a = AdvertiseAddress.detect();
        assertThat(a).isInstanceOf(Inet4Address.class);
        assertThat(a.isAnyLocalAddress()).isFalse();
    }

    @Test
    void resolveKeepsLiteralsAndDetectsNull() {
        assertThat(AdvertiseAddress.resolve("198.51.100.4").getHostAddress()).isEqualTo("198.51.100.4");
        assertThat(AdvertiseAddress.resolve("::1").getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(AdvertiseAddress.resolve(null)).isEqualTo(AdvertiseAddress.detect());
    }
}
