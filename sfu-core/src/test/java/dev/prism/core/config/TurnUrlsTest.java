package dev.prism.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The TURN settings of {@link PrismConfig}: URL syntax (RFC 7065), lifetime range, URLs and secret together. */
class TurnUrlsTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @ParameterizedTest
    @ValueSource(strings = {
        "turn:turn.example.com:3478?transport=udp",
        "turn:turn.example.com:3478?transport=tcp",
        "turns:turn.example.com:443?transport=tcp",
        "turn:203.0.113.7:3478",
        "turn:203.0.113.7",
        "turns:turn.example.com",
        "turn:[2001:db8::1]:3478?transport=udp",
        "turn:localhost:3478",
    })
    void accepts(String url) {
        PrismConfig c = PrismConfig.builder().turnUrls(List.of(url)).turnSecret(SECRET).build();
        assertThat(c.turnUrls()).containsExactly(url);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "stun:turn.example.com:3478 | is not a turn: or turns: URL",
        "https://turn.example.com | is not a turn: or turns: URL",
        "turn:// turn.example.com | is not a turn: or turns: URL",
        "turn:turn.example.com:3478?transport=sctp | has a transport other than udp or tcp",
        "turn:turn.example.com:0 | has a port outside 1-65535",
        "turn:turn.example.com:70000 | has a port outside 1-65535",
        "turn:turn.example.com:3478?transport=UDP | is not a turn: or turns: URL",
        "turns:turn.example.com:443?transport=udp | asks for TLS over udp",
        "turn:user@turn.example.com | is not a turn: or turns: URL",
        "turn:2001:db8::1:3478 | is not a turn: or turns: URL",
        "turn:[not-v6]:3478 | is not a turn: or turns: URL",
        "turn:bad_host!:3478 | has a bad host",
        "turn:turn.example.com:3478/path | is not a turn: or turns: URL",
        "'' | is not a turn: or turns: URL",
    })
    void refusesNamingTheUrl(String url, String problem) {
        assertThatThrownBy(() -> PrismConfig.builder().turnUrls(List.of(url)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("turnUrls entries must look like turn:HOST:3478?transport=udp")
                .hasMessageContaining("'" + url + "' " + problem.strip());
    }

    @Test
    void refusesNullAndTooMany() {
        assertThatThrownBy(() -> PrismConfig.builder().turnUrls(Collections.singletonList(null)))
                .hasMessageContaining("got nothing");
        List<String> nine = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            nine.add("turn:t" + i + ".example:3478");
        }
        assertThatThrownBy(() -> PrismConfig.builder().turnUrls(nine))
                .hasMessage("turnUrls may list at most 8 URLs, got 9");
    }

    @Test
    void urlsAndSecretGoTogether() {
        assertThatThrownBy(() -> PrismConfig.builder().turnUrls(List.of("turn:t.example:3478")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("turnUrls need turnSecret (--turn-secret / PRISM_TURN_SECRET)");
        assertThatThrownBy(() -> PrismConfig.builder().turnSecret(SECRET).build())
                .hasMessageStartingWith("turnSecret is set but turnUrls is empty");
        assertThatThrownBy(() -> PrismConfig.builder().turnSecret("short"))
                .hasMessage("TURN secret must be at least 32 characters");
    }

    @Test
    void lifetimeRange() {
        assertThat(PrismConfig.builder().turnTtlSeconds(60).build().turnTtlSeconds()).isEqualTo(60);
        assertThat(PrismConfig.builder().turnTtlSeconds(604_800).build().turnTtlSeconds()).isEqualTo(604_800);
        assertThatThrownBy(() -> PrismConfig.builder().turnTtlSeconds(59))
                .hasMessage("turnTtlSeconds must be between 60 and 604800, got 59");
        assertThatThrownBy(() -> PrismConfig.builder().turnTtlSeconds(604_801))
                .hasMessageContaining("got 604801");
    }
}
