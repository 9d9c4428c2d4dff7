package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which address the media sockets bind for a configured bind and advertised address. */
class MediaBindAddressTest {
    @ParameterizedTest(name = "bind {0}, advertise {1} -> {2}")
    @CsvSource({
            // wildcard + a local advertised address: bind that address, replies leave from it
            "0.0.0.0,     127.0.0.2,         127.0.0.2",
            "::,          127.0.0.2,         127.0.0.2",
            "::,          ::1,               ::1",
            "::,          [::1],             ::1",
            // wildcard + an address not on this host (NAT-mapped public address): keep the wildcard
            "0.0.0.0,     203.0.113.10,      0.0.0.0",
            // wildcard + a host name (not resolved here) or a wildcard: keep the wildcard
            "0.0.0.0,     media.example.org, 0.0.0.0",
            "0.0.0.0,     0.0.0.0,           0.0.0.0",
            // a specific bind address is always kept
            "127.0.0.1,   127.0.0.2,         127.0.0.1",
    })
    void choose(String bind, String advertise, String expected) {
        assertThat(MediaBindAddress.choose(bind, advertise)).isEqualTo(expected);
    }
}
