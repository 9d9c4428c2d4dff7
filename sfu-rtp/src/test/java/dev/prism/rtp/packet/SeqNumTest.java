package dev.prism.rtp.packet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeqNumTest {

    @ParameterizedTest(name = "isNewer({0}, {1}) = {2}, diff = {3}")
    @CsvSource({
            // a,     b,     a newer than b, diff(a, b)
            "1,       0,     true,    1",
            "0,       1,     false,  -1",
            "0,       65535, true,    1",      // wrap: 0 follows 65535
            "65535,   0,     false,  -1",
            "2,       65534, true,    4",
            "65534,   2,     false,  -4",
            "5,       5,     false,   0",
            "32767,   0,     true,    32767",  // just under half the space
            "0,       32767, false,  -32767",
            "32768,   0,     true,   -32768",  // exactly half: broken by raw value
            "0,       32768, false,  -32768",
            "40000,   7232,  true,   -32768",
            "100,     65500, true,    136",
    })
    void comparesAcrossWrap(int a, int b, boolean newer, int diff) {
        assertThat(SeqNum.isNewer(a, b)).isEqualTo(newer);
        assertThat(SeqNum.isOlder(b, a)).isEqualTo(newer);
        assertThat(SeqNum.diff(a, b)).isEqualTo(diff);
        if (a != b) {
            assertThat(SeqNum.isNewer(a, b)).isNotEqualTo(SeqNum.isNewer(b, a)); // exactly one holds
            assertThat(SeqNum.compare(a, b)).isEqualTo(newer ? 1 : -1);
        } else {
            assertThat(SeqNum.compare(a, b)).isZero();
        }
    }

    @ParameterizedTest(name = "add({0}, {1}) = {2}")
    @CsvSource({
            "65535, 1,     0",
            "65535, 2,     1",
            "0,     -1,    65535",
            "100,   65536, 100",
            "10,    -20,   65526",
    })
    void addsModulo(int s, int n, int expected) {
        assertThat(SeqNum.add(s, n)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "unwrap({0}, ref {1}) = {2}")
    @CsvSource({
            "0,     65535,  65536",
            "65534, 65535,  65534",
            "65535, 65536,  65535",
            "3,     131070, 131075",   // second wrap
            "10,    5,      10",
            "65530, 5,      -6",       // before the first wrap
    })
    void unwrapsToNearest(int seq, long ref, long expected) {
        assertThat(SeqNum.unwrap(seq, ref)).isEqualTo(expected);
    }

    @Test
    void usesOnlyLow16Bits() {
        assertThat(SeqNum.isNewer(0x10001, 0xffff)).isTrue();
        assertThat(SeqNum.diff(0x10000, 0xffff)).isEqualTo(1);
    }
}
