package dev.prism.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {

    @ParameterizedTest(name = "literal {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0.0.0.0          | 0.0.0.0
            127.0.0.1        | 127.0.0.1
            192.168.1.20     | 192.168.1.20
            255.255.255.255  | 255.255.255.255
            ::               | 0:0:0:0:0:0:0:0
            ::1              | 0:0:0:0:0:0:0:1
            [::1]            | 0:0:0:0:0:0:0:1
            2001:DB8::7      | 2001:db8:0:0:0:0:0:7
            ::ffff:10.0.0.1  | 10.0.0.1
            """)
    void parsesLiterals(String text, String expected) {
        assertThat(IpLiteral.parse(text)).isNotNull();
        assertThat(IpLiteral.parse(text).getHostAddress()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "not a literal: ''{0}''")
    @ValueSource(strings = {
            "",                  // empty
            "localhost",         // a name: never looked up
            "example.com",
            "abc.def",           // starts with hex digits: the JDK would query DNS for this
            "127.1",             // ambiguous short IPv4 form the JDK accepts
            "10.0.0",            // three parts
            "10.0.0.256",        // octet out of range
            "010.0.0.1",         // leading zero (octal in some tools)
            "1.2.3.4.5",
            "1.2.3.-4",
            " 1.2.3.4",          // whitespace
            "[1.2.3.4]",         // brackets are for IPv6 only
            "::g",               // not hex
            "1:2:3:4:5:6:7:8:9", // too many groups
            "fe80::1%",          // empty scope
    })
    void rejectsNonLiterals(String text) {
        assertThat(IpLiteral.parse(text)).isNull();
        assertThat(IpLiteral.isLiteral(text)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void nullIsNotALiteralNorAName() {
        assertThat(IpLiteral.parse(null)).isNull();
        assertThat(IpLiteral.isHostName(null)).isFalse();
    }

    @ParameterizedTest(name = "host name {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            localhost               | true
            sfu.example.com         | true
            sfu.example.com.        | true
            a-b.c1                  | true
            xn--bcher-kva.example   | true
            ''                      | false
            -sfu.example.com        | false
            sfu-.example.com        | false
            sfu..example.com        | false
            sfu_1.example.com       | false
            10.0.0.256              | false
            'sfu example'           | false
            """)
    void hostNames(String text, boolean valid) {
        assertThat(IpLiteral.isHostName(text == null ? "" : text)).isEqualTo(valid);
    }

    @org.junit.jupiter.api.Test
    void hostNameLengthLimits() {
        String label63 = "a".repeat(63);
        assertThat(IpLiteral.isHostName(label63 + ".example")).isTrue();
        assertThat(IpLiteral.isHostName("a" + label63 + ".example")).isFalse();
        String long254 = (label63 + ".").repeat(3) + "a".repeat(62); // 4*63+... = 254 chars
        assertThat(long254).hasSize(254);
        assertThat(IpLiteral.isHostName(long254)).isFalse();
    }
}
