package dev.prism.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.UnaryOperator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrismConfigTest {
    private static final String SECRET_32 = "0123456789abcdef0123456789abcdef";

    @Test
    void defaultsAreTheDocumentedOnes() {
        PrismConfig c = PrismConfig.defaults();
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.httpHost()).isEqualTo("0.0.0.0");
        assertThat(c.udpPort()).isEqualTo(40000);
        assertThat(c.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(c.advertiseAddress()).isNull();
        assertThat(c.apiSecret()).isNull();
        assertThat(c.adminSecret()).isNull();
        assertThat(c.tokenTtlSeconds()).isEqualTo(3600);
        assertThat(c.consentTimeoutSeconds()).isEqualTo(30);
        assertThat(c.resumeWindowSeconds()).isEqualTo(20);
        assertThat(c.mediaThreads()).isZero();
        assertThat(c.maxParticipantsPerRoom()).isEqualTo(100);
        assertThat(c.turnUrls()).isEmpty();
        assertThat(c.turnSecret()).isNull();
        assertThat(c.turnTtlSeconds()).isEqualTo(3600);
        assertThat(c.developmentMode()).isTrue();
        assertThat(c.effectiveMediaThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(PrismConfig.builder().build()).isEqualTo(c);
    }

    @Test
    void builderOverridesAndKeepsTheRest() {
        PrismConfig c = PrismConfig.builder()
                .httpPort(9000).httpHost("127.0.0.1").udpPort(0).bindAddress("::")
                .advertiseAddress("sfu.example.com").apiSecret(SECRET_32).adminSecret(SECRET_32 + "x")
                .tokenTtlSeconds(60).consentTimeoutSeconds(10).resumeWindowSeconds(0).mediaThreads(3)
                .maxParticipantsPerRoom(7).allowedOrigins(List.of("https://app.example.com"))
                .maxTokenLifetimeSeconds(600).srtpImplementation("jitsi").signalingMessagesPerSecond(9)
                .shutdownGraceSeconds(5).redisUrl("redis://10.0.0.9:6379").nodeId("n-1").clusterPort(7001)
                .clusterSecret(SECRET_32 + "c").maxLoad(0.5).turnUrls(List.of("turns:turn.example.com:443?transport=tcp"))
                .turnSecret(SECRET_32 + "t").turnTtlSeconds(900).iceTcp("off").tcpPort(443).videoCodecs(List.of("H264", "vp8", "h264"))
                .audioTopN(3).build();
        assertThat(c).isEqualTo(new PrismConfig(9000, "127.0.0.1", 0, "::", "sfu.example.com", SECRET_32,
                SECRET_32 + "x", 60, 10, 0, 3, 7, List.of("https://app.example.com"), 600, "jitsi", 9, 5,
                "redis://10.0.0.9:6379", "n-1", 7001, SECRET_32 + "c", 0.5,
                List.of("turns:turn.example.com:443?transport=tcp"), SECRET_32 + "t", 900, false, 443, null, false, List.of("h264", "vp8"),
                WebhookSettings.NONE, List.of(), 3, 100));
        assertThat(c.developmentMode()).isFalse();
        assertThat(c.effectiveMediaThreads()).isEqualTo(3);
        assertThat(c.toBuilder().httpPort(1).build()).isEqualTo(new PrismConfig(1, "127.0.0.1", 0, "::",
                "sfu.example.com", SECRET_32, SECRET_32 + "x", 60, 10, 0, 3, 7, List.of("https://app.example.com"), 600,
                "jitsi", 9, 5, "redis://10.0.0.9:6379", "n-1", 7001, SECRET_32 + "c", 0.5,
                List.of("turns:turn.example.com:443?transport=tcp"), SECRET_32 + "t", 900, false, 443, null, false, List.of("h264", "vp8"),
                WebhookSettings.NONE, List.of(), 3, 100));
    }

    @Test
    void clusterModeRefusesDevelopmentMode() {
        assertThat(PrismConfig.defaults().clusterModeProblem()).isNull();
        PrismConfig cluster = PrismConfig.builder().redisUrl("redis://127.0.0.1:6379").build();
        assertThat(cluster.clusterMode()).isTrue();
        assertThat(cluster.clusterModeProblem()).isEqualTo("cluster mode (--redis) refuses development mode: configure "
                + "--api-secret, --admin-secret, --cluster-secret (at least 32 characters each, the same on every node)");
        assertThat(cluster.toBuilder().apiSecret(SECRET_32).adminSecret(SECRET_32).clusterSecret(SECRET_32).build()
                .clusterModeProblem()).isNull();
    }

    @Test
    void toStringHidesSecrets() {
        PrismConfig c = PrismConfig.builder().apiSecret(SECRET_32).adminSecret(SECRET_32).turnSecret(SECRET_32)
                .turnUrls(List.of("turn:t.example:3478")).build();
        assertThat(c.toString()).doesNotContain(SECRET_32).contains("turnSecret=***").contains("apiSecret=***").contains("httpPort=8080");
        assertThat(PrismConfig.defaults().toString()).contains("development mode").contains("advertiseAddress=auto");
    }

    static Stream<Arguments> badValues() {
        return Stream.<Arguments>of(
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.httpPort(-1), "httpPort must be between 1 and 65535"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.httpPort(65536), "got 65536"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.udpPort(70000), "udpPort must be between"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.httpHost("localhost"),
                        "httpHost must be an IP address such as 0.0.0.0, 127.0.0.1 or ::, got 'localhost'"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.httpHost(null), "got nothing"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.bindAddress("eth0.local"), "bindAddress must be an IP"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.advertiseAddress("not a host"),
                        "advertiseAddress must be an IP address or a host name, got 'not a host'"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.apiSecret("short"),
                        "API secret must be at least 32 characters"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.apiSecret(SECRET_32.substring(1)),
                        "API secret must be at least 32 characters"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.adminSecret("short"),
                        "admin secret must be at least 32 characters"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.tokenTtlSeconds(0), "tokenTtlSeconds must be between 1"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.consentTimeoutSeconds(0), "consentTimeoutSeconds"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.resumeWindowSeconds(-1), "resumeWindowSeconds"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.mediaThreads(-1), "mediaThreads"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.maxParticipantsPerRoom(0), "maxParticipantsPerRoom"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.allowedOrigins(List.of("app.example.com")),
                        "allowedOrigins entries must be * or scheme://host[:port]"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.allowedOrigins(List.of("https://a.com/path")),
                        "got 'https://a.com/path'"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.maxTokenLifetimeSeconds(59),
                        "maxTokenLifetimeSeconds must be between 60"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.srtpImplementation("openssl"),
                        "srtpImplementation must be one of [prism, jitsi], got 'openssl'"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.signalingMessagesPerSecond(0),
                        "signalingMessagesPerSecond must be between 1"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.shutdownGraceSeconds(-1),
                        "shutdownGraceSeconds must be between 0 and 3600"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.shutdownGraceSeconds(3601),
                        "shutdownGraceSeconds must be between 0 and 3600"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.redisUrl("http://x:1"),
                        "redisUrl must look like redis://HOST:PORT (optionally /DB), got 'http://x:1'"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.redisUrl("http://u:pw@x:1"),
                        "redisUrl must look like redis://HOST:PORT (optionally /DB), got a URL with credentials"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.nodeId("a b"),
                        "nodeId must be 1-64 characters"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.clusterPort(70000),
                        "clusterPort must be between 1 and 65535"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.clusterSecret("short"),
                        "cluster secret must be at least 32 characters"),
                Arguments.of((UnaryOperator<PrismConfigBuilder>) b -> b.maxLoad(0),
                        "maxLoad must be above 0 and at most 10"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badValues")
    void rejectsBadValuesWithTheirName(UnaryOperator<PrismConfigBuilder> change, String message) {
        assertThatThrownBy(() -> change.apply(PrismConfig.builder()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void iceTcpIsOnByDefaultOnTheUdpPortNumberAndTakesOnOff() {
        assertThat(PrismConfig.defaults().iceTcp()).isTrue();
        assertThat(PrismConfig.defaults().tcpPort()).isEqualTo(PrismConfig.TCP_PORT_SAME_AS_UDP);
        assertThat(PrismConfig.builder().iceTcp("OFF").build().iceTcp()).isFalse();
        assertThat(PrismConfig.builder().iceTcp("true").build().iceTcp()).isTrue();
        assertThat(PrismConfig.builder().tcpPort(0).build().tcpPort()).isZero();
        assertThatThrownBy(() -> PrismConfig.builder().iceTcp("maybe"))
                .hasMessage("iceTcp must be on or off, got 'maybe'");
        assertThatThrownBy(() -> PrismConfig.builder().tcpPort(-2)).hasMessageStartingWith("tcpPort must be between");
        assertThatThrownBy(() -> PrismConfig.builder().tcpPort(65536)).hasMessageStartingWith("tcpPort must be");
    }

    @Test
    void advertiseAddress6TakesOneIpv6AddressAndDefaultsToIpv4Only() {
        assertThat(PrismConfig.defaults().advertiseAddress6()).isNull();
        assertThat(PrismConfig.builder().advertiseAddress6("2001:db8::10").build().advertiseAddress6())
                .isEqualTo("2001:db8::10");
        for (String bad : new String[] {"192.0.2.10", "::", "ff02::1", "media.example.org", "2001:db8::zz"}) {
            assertThatThrownBy(() -> PrismConfig.builder().advertiseAddress6(bad))
                    .hasMessageStartingWith("advertiseAddress6 must be an IPv6 address");
        }
    }

    @Test
    void videoCodecsAreKnownNamesFirstIsTheDefault() {
        assertThat(PrismConfig.defaults().videoCodecs()).containsExactly("vp8", "h264");
        assertThat(PrismConfig.builder().videoCodecs(List.of(" H264 ")).build().videoCodecs()).containsExactly("h264");
        assertThatThrownBy(() -> PrismConfig.builder().videoCodecs(List.of("vp8", "av1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("videoCodecs: unknown codec 'av1' (known: [vp8, h264])");
        assertThatThrownBy(() -> PrismConfig.builder().videoCodecs(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("videoCodecs: name at least one");
    }

    @Test
    void audioTopNIsZeroToSixtyFour() {
        assertThat(PrismConfig.defaults().audioTopN()).isZero();
        assertThat(PrismConfig.builder().audioTopN(64).build().audioTopN()).isEqualTo(64);
        assertThatThrownBy(() -> PrismConfig.builder().audioTopN(-1))
                .hasMessage("audioTopN must be 0 (off) to 64: -1");
        assertThatThrownBy(() -> PrismConfig.builder().audioTopN(65))
                .hasMessage("audioTopN must be 0 (off) to 64: 65");
    }

    @Test
    void constructorValidatesToo() {
        assertThatThrownBy(() -> new PrismConfig(8080, "0.0.0.0", 40000, "0.0.0.0", null, "too-short", null,
                3600, 30, 20, 0, 100, List.of(), 86_400, "prism", 50, 30, null, null, 7000, null, 0.8, List.of(), null, 3600,
                true, -1, null, false, List.of("vp8"), WebhookSettings.NONE, List.of(), 0, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("API secret must be at least 32 characters");
    }

    @Test
    void secretLengthCountsUtf8Bytes() {
        // 16 two-byte characters = 32 bytes of HMAC key.
        assertThat(PrismConfig.builder().apiSecret("é".repeat(16)).build().apiSecret()).hasSize(16);
    }
}
