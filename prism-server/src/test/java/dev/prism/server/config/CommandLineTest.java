package dev.prism.server.config;

import dev.prism.core.config.PrismConfigBuilder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.prism.core.config.PrismConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandLineTest {
    private static final String S1 = "secret-one-0123456789abcdefghijklmnop";
    private static final String S2 = "secret-two-0123456789abcdefghijklmnop";
    private static final String S3 = "secret-three-0123456789abcdefghijklmnop";
    private static final String TURN_UDP = "turn:turn.example.com:3478?transport=udp";
    private static final String TURN_TCP = "turn:turn.example.com:3478?transport=tcp";
    private static final String TURNS = "turns:turn.example.com:443?transport=tcp";
    /** Stands for the temporary config file's path in the rows below. */
    private static final String FILE = "@FILE";

    @TempDir
    Path dir;

    /** One scenario: arguments, environment, and the config file's content (null = no file written). */
    private record Input(List<String> args, Map<String, String> env, String file) {
        static Input of(String... args) {
            return new Input(List.of(args), Map.of(), null);
        }

        Input env(String... keyValues) {
            Map<String, String> m = new java.util.HashMap<>();
            for (int i = 0; i < keyValues.length; i += 2) {
                m.put(keyValues[i], keyValues[i + 1]);
            }
            return new Input(args, m, file);
        }

        Input file(String json) {
            return new Input(args, env, json);
        }
    }

    private PrismConfig parse(Input in) throws UsageException {
        return CommandLine.parse(resolve(in), in.env());
    }

    private String[] resolve(Input in) {
        Path path = dir.resolve("prism.json");
        if (in.file() != null) {
            try {
                Files.writeString(path, in.file(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return in.args().stream().map(a -> a.replace(FILE, path.toString())).toArray(String[]::new);
    }

    private static PrismConfigBuilder defaults() {
        return PrismConfig.builder();
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("no arguments: defaults", Input.of(), defaults()),
                Arguments.of("null environment", new Input(List.of(), null, null), defaults()),
                // each option
                Arguments.of("--http-port", Input.of("--http-port", "9000"), defaults().httpPort(9000)),
                Arguments.of("--http-port=N", Input.of("--http-port=9000"), defaults().httpPort(9000)),
                Arguments.of("--http-port 0 (ephemeral)", Input.of("--http-port", "0"), defaults().httpPort(0)),
                Arguments.of("--http-host", Input.of("--http-host", "127.0.0.1"), defaults().httpHost("127.0.0.1")),
                Arguments.of("--udp-port", Input.of("--udp-port", "50000"), defaults().udpPort(50000)),
                Arguments.of("--udp-port 0 (ephemeral)", Input.of("--udp-port", "0"), defaults().udpPort(0)),
                Arguments.of("--udp-port 65535", Input.of("--udp-port", "65535"), defaults().udpPort(65535)),
                Arguments.of("--ice-tcp off", Input.of("--ice-tcp", "off"), defaults().iceTcp(false)),
                Arguments.of("--ice-tcp=on", Input.of("--ice-tcp=on"), defaults().iceTcp(true)),
                Arguments.of("--tcp-port", Input.of("--tcp-port", "443"), defaults().tcpPort(443)),
                Arguments.of("--tcp-port 0 (ephemeral)", Input.of("--tcp-port", "0"), defaults().tcpPort(0)),
                Arguments.of("env PRISM_ICE_TCP", Input.of().env("PRISM_ICE_TCP", "false"), defaults().iceTcp(false)),
                Arguments.of("env PRISM_TCP_PORT", Input.of().env("PRISM_TCP_PORT", "40100"), defaults().tcpPort(40100)),
                Arguments.of("file iceTcp and tcpPort",
                        Input.of("--config", FILE).file("{\"iceTcp\": \"off\", \"tcpPort\": 8443}"),
                        defaults().iceTcp(false).tcpPort(8443)),
                Arguments.of("--ice-tcp beats env", Input.of("--ice-tcp", "on").env("PRISM_ICE_TCP", "off"),
                        defaults().iceTcp(true)),
                Arguments.of("--audio-top-n 3", Input.of("--audio-top-n", "3"), defaults().audioTopN(3)),
                Arguments.of("env PRISM_AUDIO_TOP_N", Input.of().env("PRISM_AUDIO_TOP_N", "5"), defaults().audioTopN(5)),
                Arguments.of("file audioTopN", Input.of("--config", FILE).file("{\"audioTopN\": 4}"),
                        defaults().audioTopN(4)),
                Arguments.of("--pacer on", Input.of("--pacer", "on"), defaults().pacer(true)),
                Arguments.of("--pacer off", Input.of("--pacer", "off"), defaults().pacer(false)),
                Arguments.of("--video-codec h264 --video-codec vp8",
                        Input.of("--video-codec", "h264", "--video-codec", "vp8"),
                        defaults().videoCodecs(List.of("h264", "vp8"))),
                Arguments.of("env PRISM_PACER", Input.of().env("PRISM_PACER", "on"), defaults().pacer(true)),
                Arguments.of("file pacer", Input.of("--config", FILE).file("{\"pacer\": \"on\"}"),
                        defaults().pacer(true)),
                Arguments.of("--webhook-url twice", Input.of("--webhook-url", "https://a.example.com/h", "--webhook-url",
                        "https://b.example.com/h"), defaults().webhookUrls(List.of("https://a.example.com/h",
                        "https://b.example.com/h"))),
                Arguments.of("--webhook-allow-private alone", Input.of("--webhook-allow-private"),
                        defaults().webhookAllowPrivate("on")),
                Arguments.of("env webhooks", Input.of().env("PRISM_WEBHOOK_URLS", "https://a.example.com/h",
                        "PRISM_WEBHOOK_RETRY_WINDOW", "60"), defaults().webhookUrls(List.of(
                        "https://a.example.com/h")).webhookRetryWindowSeconds(60)),
                Arguments.of("file webhooks", Input.of("--config", FILE).file("{\"webhookUrls\": [\"http://127.0.0.1:9/h\"],"
                        + " \"webhookAllowPrivate\": \"on\"}"), defaults().webhookUrls(List.of("http://127.0.0.1:9/h"))
                        .webhookAllowPrivate("on")),
                Arguments.of("--media-threads", Input.of("--media-threads", "3"), defaults().mediaThreads(3)),
                Arguments.of("--media-threads 0 (one per core)", Input.of("--media-threads", "0"),
                        defaults().mediaThreads(0)),
                Arguments.of("--bind IPv4", Input.of("--bind", "10.0.0.5"), defaults().bindAddress("10.0.0.5")),
                Arguments.of("--bind IPv6", Input.of("--bind", "::"), defaults().bindAddress("::")),
                Arguments.of("--advertise IP", Input.of("--advertise", "203.0.113.5"),
                        defaults().advertiseAddress("203.0.113.5")),
                Arguments.of("--advertise host name", Input.of("--advertise", "sfu.example.com"),
                        defaults().advertiseAddress("sfu.example.com")),
                Arguments.of("--advertise6", Input.of("--advertise6", "2001:db8::10"),
                        defaults().advertiseAddress6("2001:db8::10")),
                Arguments.of("--api-secret", Input.of("--api-secret", S1), defaults().apiSecret(S1)),
                Arguments.of("--admin-secret", Input.of("--admin-secret", S2), defaults().adminSecret(S2)),
                Arguments.of("secret with '=' and leading '-'", Input.of("--api-secret=-" + S1 + "=="),
                        defaults().apiSecret("-" + S1 + "==")),
                Arguments.of("all options together",
                        Input.of("--http-port", "1", "--http-host", "::1", "--udp-port", "2", "--bind", "127.0.0.1",
                                "--advertise", "192.0.2.1", "--api-secret", S1, "--admin-secret", S2),
                        defaults().httpPort(1).httpHost("::1").udpPort(2).bindAddress("127.0.0.1")
                                .advertiseAddress("192.0.2.1").apiSecret(S1).adminSecret(S2)),
                Arguments.of("repeated option: last wins", Input.of("--udp-port", "1", "--udp-port", "2"),
                        defaults().udpPort(2)),
                Arguments.of("--shutdown-grace", Input.of("--shutdown-grace", "5"), defaults().shutdownGraceSeconds(5)),
                Arguments.of("--shutdown-grace 0 (at once)", Input.of("--shutdown-grace=0"),
                        defaults().shutdownGraceSeconds(0)),
                Arguments.of("env PRISM_SHUTDOWN_GRACE", Input.of().env("PRISM_SHUTDOWN_GRACE", "90"),
                        defaults().shutdownGraceSeconds(90)),
                Arguments.of("file shutdownGraceSeconds", Input.of("--config", FILE).file("{\"shutdownGraceSeconds\": 7}"),
                        defaults().shutdownGraceSeconds(7)),
                Arguments.of("--shutdown-grace beats env", Input.of("--shutdown-grace", "3")
                        .env("PRISM_SHUTDOWN_GRACE", "90"), defaults().shutdownGraceSeconds(3)),
                // environment
                Arguments.of("env PRISM_HTTP_PORT", Input.of().env("PRISM_HTTP_PORT", "8081"), defaults().httpPort(8081)),
                Arguments.of("env PRISM_HTTP_HOST", Input.of().env("PRISM_HTTP_HOST", "127.0.0.1"),
                        defaults().httpHost("127.0.0.1")),
                Arguments.of("env PRISM_UDP_PORT", Input.of().env("PRISM_UDP_PORT", "40001"), defaults().udpPort(40001)),
                Arguments.of("env PRISM_MEDIA_THREADS", Input.of().env("PRISM_MEDIA_THREADS", "2"),
                        defaults().mediaThreads(2)),
                Arguments.of("env PRISM_BIND", Input.of().env("PRISM_BIND", "::"), defaults().bindAddress("::")),
                Arguments.of("env PRISM_ADVERTISE", Input.of().env("PRISM_ADVERTISE", "198.51.100.1"),
                        defaults().advertiseAddress("198.51.100.1")),
                Arguments.of("env PRISM_API_SECRET", Input.of().env("PRISM_API_SECRET", S1), defaults().apiSecret(S1)),
                Arguments.of("env PRISM_ADMIN_SECRET", Input.of().env("PRISM_ADMIN_SECRET", S2),
                        defaults().adminSecret(S2)),
                Arguments.of("empty env var = unset", Input.of().env("PRISM_API_SECRET", "", "PRISM_HTTP_PORT", ""),
                        defaults()),
                Arguments.of("unrelated env ignored", Input.of().env("PATH", "/bin", "PRISM_OTHER", "x"), defaults()),
                // file
                Arguments.of("file with every key", Input.of("--config", FILE).file("""
                                {"httpPort": 1, "httpHost": "127.0.0.1", "udpPort": 2, "bindAddress": "::",
                                 "advertiseAddress": "sfu.example.com", "apiSecret": "%s", "adminSecret": "%s",
                                 "tokenTtlSeconds": 60, "consentTimeoutSeconds": 5, "resumeWindowSeconds": 0,
                                 "mediaThreads": 2, "maxParticipantsPerRoom": 8}""".formatted(S1, S2)),
                        defaults().httpPort(1).httpHost("127.0.0.1").udpPort(2).bindAddress("::")
                                .advertiseAddress("sfu.example.com").apiSecret(S1).adminSecret(S2).tokenTtlSeconds(60)
                                .consentTimeoutSeconds(5).resumeWindowSeconds(0).mediaThreads(2)
                                .maxParticipantsPerRoom(8)),
                Arguments.of("--config=FILE", Input.of("--config=" + FILE).file("{\"udpPort\": 3}"), defaults().udpPort(3)),
                Arguments.of("empty file object", Input.of("--config", FILE).file("{}"), defaults()),
                Arguments.of("whole number written as 8080.0", Input.of("--config", FILE).file("{\"httpPort\": 9090.0}"),
                        defaults().httpPort(9090)),
                // precedence: defaults < env < file < command line
                Arguments.of("env beats default", Input.of().env("PRISM_HTTP_PORT", "1000"), defaults().httpPort(1000)),
                Arguments.of("file beats env", Input.of("--config", FILE).env("PRISM_HTTP_PORT", "1000")
                        .file("{\"httpPort\": 2000}"), defaults().httpPort(2000)),
                Arguments.of("option beats file and env",
                        Input.of("--http-port", "3000", "--config", FILE).env("PRISM_HTTP_PORT", "1000")
                                .file("{\"httpPort\": 2000}"), defaults().httpPort(3000)),
                Arguments.of("option before or after --config: same result",
                        Input.of("--config", FILE, "--http-port", "3000").file("{\"httpPort\": 2000}"),
                        defaults().httpPort(3000)),
                Arguments.of("layers merge setting by setting",
                        Input.of("--udp-port", "3", "--config", FILE)
                                .env("PRISM_HTTP_PORT", "1", "PRISM_UDP_PORT", "1", "PRISM_BIND", "10.0.0.1")
                                .file("{\"udpPort\": 2, \"bindAddress\": \"10.0.0.2\", \"mediaThreads\": 4}"),
                        defaults().httpPort(1).udpPort(3).bindAddress("10.0.0.2").mediaThreads(4)),
                Arguments.of("null in file = absent: env value kept",
                        Input.of("--config", FILE).env("PRISM_API_SECRET", S1).file("{\"apiSecret\": null}"),
                        defaults().apiSecret(S1)),
                // --allowed-origin: repeatable; env comma-separated; file JSON array; each layer replaces the list
                Arguments.of("--allowed-origin", Input.of("--allowed-origin", "https://app.example.com"),
                        defaults().allowedOrigins(List.of("https://app.example.com"))),
                Arguments.of("--allowed-origin repeated: all kept, in order",
                        Input.of("--allowed-origin", "https://a.example", "--allowed-origin=http://b.example:8443"),
                        defaults().allowedOrigins(List.of("https://a.example", "http://b.example:8443"))),
                Arguments.of("--allowed-origin *", Input.of("--allowed-origin", "*"),
                        defaults().allowedOrigins(List.of("*"))),
                Arguments.of("env PRISM_ALLOWED_ORIGINS, comma-separated, spaces trimmed",
                        Input.of().env("PRISM_ALLOWED_ORIGINS", "https://a.example, https://b.example"),
                        defaults().allowedOrigins(List.of("https://a.example", "https://b.example"))),
                Arguments.of("file allowedOrigins", Input.of("--config", FILE)
                                .file("{\"allowedOrigins\": [\"https://a.example\", \"*\"]}"),
                        defaults().allowedOrigins(List.of("https://a.example", "*"))),
                Arguments.of("file allowedOrigins [] replaces the env list",
                        Input.of("--config", FILE).env("PRISM_ALLOWED_ORIGINS", "https://a.example")
                                .file("{\"allowedOrigins\": []}"), defaults()),
                Arguments.of("option list replaces the file list, not appended to it",
                        Input.of("--config", FILE, "--allowed-origin", "https://c.example")
                                .file("{\"allowedOrigins\": [\"https://a.example\", \"https://b.example\"]}"),
                        defaults().allowedOrigins(List.of("https://c.example"))),
                // --max-token-lifetime
                Arguments.of("--max-token-lifetime", Input.of("--max-token-lifetime", "3600"),
                        defaults().maxTokenLifetimeSeconds(3600)),
                Arguments.of("env PRISM_MAX_TOKEN_LIFETIME", Input.of().env("PRISM_MAX_TOKEN_LIFETIME", "7200"),
                        defaults().maxTokenLifetimeSeconds(7200)),
                Arguments.of("file maxTokenLifetimeSeconds", Input.of("--config", FILE)
                        .file("{\"maxTokenLifetimeSeconds\": 604800}"), defaults().maxTokenLifetimeSeconds(604_800)),
                Arguments.of("tokenTtlSeconds up to the maximum lifetime", Input.of("--config", FILE, "--max-token-lifetime",
                        "7200").file("{\"tokenTtlSeconds\": 7200}"),
                        defaults().maxTokenLifetimeSeconds(7200).tokenTtlSeconds(7200)),
                // --srtp
                Arguments.of("--srtp jitsi", Input.of("--srtp", "jitsi"), defaults().srtpImplementation("jitsi")),
                Arguments.of("--srtp=prism", Input.of("--srtp=prism"), defaults()),
                Arguments.of("env PRISM_SRTP", Input.of().env("PRISM_SRTP", "jitsi"), defaults().srtpImplementation("jitsi")),
                Arguments.of("file srtpImplementation", Input.of("--config", FILE).file("{\"srtpImplementation\": \"jitsi\"}"),
                        defaults().srtpImplementation("jitsi")),
                Arguments.of("option beats file and env for the new settings",
                        Input.of("--srtp", "prism", "--max-token-lifetime", "60", "--config", FILE)
                                .env("PRISM_SRTP", "jitsi", "PRISM_MAX_TOKEN_LIFETIME", "600")
                                .file("{\"srtpImplementation\": \"jitsi\", \"maxTokenLifetimeSeconds\": 900,"
                                        + " \"tokenTtlSeconds\": 60}"),
                        defaults().maxTokenLifetimeSeconds(60).tokenTtlSeconds(60)),
                // cluster mode: --redis needs every secret
                Arguments.of("--redis with the three secrets", Input.of("--redis", "redis://127.0.0.1:6379",
                                "--api-secret", S1, "--admin-secret", S2, "--cluster-secret", S3),
                        defaults().redisUrl("redis://127.0.0.1:6379").apiSecret(S1).adminSecret(S2).clusterSecret(S3)),
                Arguments.of("every cluster option", Input.of("--redis=redis://[::1]:6380/2", "--node-id", "eu-1.a_b",
                                "--cluster-port", "7100", "--max-load", "0.65", "--api-secret", S1, "--admin-secret", S2,
                                "--cluster-secret", S3),
                        defaults().redisUrl("redis://[::1]:6380/2").nodeId("eu-1.a_b").clusterPort(7100).maxLoad(0.65)
                                .apiSecret(S1).adminSecret(S2).clusterSecret(S3)),
                Arguments.of("cluster settings from the environment", Input.of().env("PRISM_REDIS", "redis://redis:6379",
                                "PRISM_NODE_ID", "n2", "PRISM_CLUSTER_PORT", "0", "PRISM_CLUSTER_SECRET", S3,
                                "PRISM_MAX_LOAD", "1", "PRISM_API_SECRET", S1, "PRISM_ADMIN_SECRET", S2),
                        defaults().redisUrl("redis://redis:6379").nodeId("n2").clusterPort(0).clusterSecret(S3)
                                .maxLoad(1.0).apiSecret(S1).adminSecret(S2)),
                Arguments.of("cluster settings from the file", Input.of("--config", FILE).file(("{\"redisUrl\": "
                                + "\"redis://10.0.0.2:6379\", \"nodeId\": \"a\", \"clusterPort\": 7001, "
                                + "\"clusterSecret\": \"%s\", \"maxLoad\": 0.9, \"apiSecret\": \"%s\", "
                                + "\"adminSecret\": \"%s\"}").formatted(S3, S1, S2)),
                        defaults().redisUrl("redis://10.0.0.2:6379").nodeId("a").clusterPort(7001).clusterSecret(S3)
                                .maxLoad(0.9).apiSecret(S1).adminSecret(S2)),
                Arguments.of("cluster options without --redis: a single node still", Input.of("--node-id", "x",
                        "--max-load", "2"), defaults().nodeId("x").maxLoad(2.0)),
                Arguments.of("--max-load beats PRISM_MAX_LOAD", Input.of("--max-load", "0.3").env("PRISM_MAX_LOAD", "0.9"),
                        defaults().maxLoad(0.3)),
                // TURN: --turn-url repeatable, env comma-separated, file JSON array; the secret goes with them
                Arguments.of("--turn-url and --turn-secret", Input.of("--turn-url", TURN_UDP, "--turn-secret", S1),
                        defaults().turnUrls(List.of(TURN_UDP)).turnSecret(S1)),
                Arguments.of("--turn-url repeated: all kept, in order, with --turn-ttl",
                        Input.of("--turn-url", TURN_UDP, "--turn-url=" + TURN_TCP, "--turn-url", TURNS,
                                "--turn-secret=" + S1, "--turn-ttl", "900"),
                        defaults().turnUrls(List.of(TURN_UDP, TURN_TCP, TURNS)).turnSecret(S1).turnTtlSeconds(900)),
                Arguments.of("TURN from the environment", Input.of().env("PRISM_TURN_URLS", TURN_UDP + ", " + TURNS,
                                "PRISM_TURN_SECRET", S2, "PRISM_TURN_TTL", "7200"),
                        defaults().turnUrls(List.of(TURN_UDP, TURNS)).turnSecret(S2).turnTtlSeconds(7200)),
                Arguments.of("TURN from the file", Input.of("--config", FILE).file(("{\"turnUrls\": [\"%s\"], "
                                + "\"turnSecret\": \"%s\", \"turnTtlSeconds\": 600}").formatted(TURNS, S3)),
                        defaults().turnUrls(List.of(TURNS)).turnSecret(S3).turnTtlSeconds(600)),
                Arguments.of("--turn-url replaces the env list; secret from env", Input.of("--turn-url", TURN_TCP)
                                .env("PRISM_TURN_URLS", TURN_UDP, "PRISM_TURN_SECRET", S1),
                        defaults().turnUrls(List.of(TURN_TCP)).turnSecret(S1)),
                Arguments.of("--turn-ttl alone changes nothing else", Input.of("--turn-ttl", "60"),
                        defaults().turnTtlSeconds(60)),
                // picocli wiring keeps values as values
                Arguments.of("secret after the option starting with one '-'", Input.of("--api-secret", "-" + S1),
                        defaults().apiSecret("-" + S1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parses(String description, Input in, PrismConfigBuilder expected) throws UsageException {
        assertThat(parse(in)).isEqualTo(expected.build());
    }

    static Stream<Arguments> invalid() {
        String portRange = "must be between 1 and 65535 (0 = any free port), got ";
        String origins = "entries must be * or scheme://host[:port] such as https://app.example.com, got ";
        return Stream.of(
                Arguments.of(Input.of("--foo"), "unknown option '--foo' (see --help)"),
                Arguments.of(Input.of("--foo=1"), "unknown option '--foo' (see --help)"),
                Arguments.of(Input.of("-x"), "unknown option '-x' (see --help)"),
                Arguments.of(Input.of("--HTTP-PORT", "1"), "unknown option '--HTTP-PORT' (see --help)"),
                Arguments.of(Input.of("serve"), "unexpected argument 'serve' (see --help)"),
                Arguments.of(Input.of("--http-port", "1", "2"), "unexpected argument '2' (see --help)"),
                Arguments.of(Input.of("--http-port"), "--http-port needs a value"),
                Arguments.of(Input.of("--bind", "--http-port", "1"), "--bind needs a value"),
                Arguments.of(Input.of("--config"), "--config needs a value"),
                Arguments.of(Input.of("--config="), "--config needs a value"),
                Arguments.of(Input.of("--http-port", "70000"), "--http-port: " + portRange + "70000"),
                Arguments.of(Input.of("--http-port", "65536"), "--http-port: " + portRange + "65536"),
                Arguments.of(Input.of("--udp-port", "-1"), "--udp-port: " + portRange + "-1"),
                Arguments.of(Input.of("--udp-port", "abc"), "--udp-port: 'abc' is not a whole number"),
                Arguments.of(Input.of("--ice-tcp", "maybe"), "--ice-tcp: must be on or off, got 'maybe'"),
                Arguments.of(Input.of("--pacer", "fast"), "--pacer: must be on or off, got 'fast'"),
                Arguments.of(Input.of("--webhook-url", "ftp://a.example.com/"),
                        "--webhook-url: must be http:// or https:// URLs: ftp://a.example.com/"),
                Arguments.of(Input.of("--audio-top-n", "65"), "--audio-top-n: must be 0 (off) to 64: 65"),
                Arguments.of(Input.of().env("PRISM_ICE_TCP", "1"), "PRISM_ICE_TCP: must be on or off, got '1'"),
                Arguments.of(Input.of("--tcp-port", "65536"), "--tcp-port: " + portRange + "65536"),
                Arguments.of(Input.of("--tcp-port", "-1"), "--tcp-port: " + portRange + "-1"),
                Arguments.of(Input.of("--media-threads", "-1"), "--media-threads: must be between 0 and 1024, got -1"),
                Arguments.of(Input.of("--udp-port", "1.5"), "--udp-port: '1.5' is not a whole number"),
                Arguments.of(Input.of("--udp-port="), "--udp-port: '' is not a whole number"),
                Arguments.of(Input.of("--http-port", "99999999999999999999"),
                        "--http-port: '99999999999999999999' is not a whole number"),
                Arguments.of(Input.of("--bind", "localhost"),
                        "--bind: must be an IP address such as 0.0.0.0, 127.0.0.1 or ::, got 'localhost'"),
                Arguments.of(Input.of("--bind", "10.0.0.256"),
                        "--bind: must be an IP address such as 0.0.0.0, 127.0.0.1 or ::, got '10.0.0.256'"),
                Arguments.of(Input.of("--http-host", "example.com"),
                        "--http-host: must be an IP address such as 0.0.0.0, 127.0.0.1 or ::, got 'example.com'"),
                Arguments.of(Input.of("--advertise", "not a host"),
                        "--advertise: must be an IP address or a host name, got 'not a host'"),
                Arguments.of(Input.of("--advertise="), "--advertise: must be an IP address or a host name, got ''"),
                Arguments.of(Input.of("--advertise6", "192.0.2.10"),
                        "--advertise6: must be an IPv6 address such as 2001:db8::10, got '192.0.2.10'"),
                Arguments.of(Input.of("--api-secret", "too-short"),
                        "--api-secret: API secret must be at least 32 characters"),
                Arguments.of(Input.of("--admin-secret", "too-short"),
                        "--admin-secret: admin secret must be at least 32 characters"),
                Arguments.of(Input.of().env("PRISM_HTTP_PORT", "abc"), "PRISM_HTTP_PORT: 'abc' is not a whole number"),
                Arguments.of(Input.of().env("PRISM_UDP_PORT", "65536"), "PRISM_UDP_PORT: " + portRange + "65536"),
                Arguments.of(Input.of().env("PRISM_BIND", "eth0"),
                        "PRISM_BIND: must be an IP address such as 0.0.0.0, 127.0.0.1 or ::, got 'eth0'"),
                Arguments.of(Input.of().env("PRISM_API_SECRET", "too-short"),
                        "PRISM_API_SECRET: API secret must be at least 32 characters"),
                Arguments.of(Input.of("--config", FILE + ".missing"), "config file " + FILE + ".missing: no such file"),
                Arguments.of(Input.of("--config", FILE).file("{\"httpport\": 1}"),
                        "config file " + FILE + ": unknown key 'httpport'"),
                Arguments.of(Input.of("--config", FILE).file("{\"http-port\": 1}"),
                        "config file " + FILE + ": unknown key 'http-port'"),
                Arguments.of(Input.of("--config", FILE).file("[1, 2]"),
                        "config file " + FILE + ": not a JSON object ("),
                Arguments.of(Input.of("--config", FILE).file("httpPort=1"),
                        "config file " + FILE + ": not a JSON object ("),
                Arguments.of(Input.of("--config", FILE).file(""), "config file " + FILE + ": not a JSON object"),
                Arguments.of(Input.of("--config", FILE).file("null"), "config file " + FILE + ": not a JSON object"),
                Arguments.of(Input.of("--config", FILE).file("{\"httpPort\": \"8080\"}"),
                        "config file " + FILE + ", key httpPort: must be a whole number, got the string \"8080\""),
                Arguments.of(Input.of("--config", FILE).file("{\"udpPort\": 1.5}"),
                        "config file " + FILE + ", key udpPort: must be a whole number, got 1.5"),
                Arguments.of(Input.of("--config", FILE).file("{\"udpPort\": true}"),
                        "config file " + FILE + ", key udpPort: must be a whole number, got true"),
                Arguments.of(Input.of("--config", FILE).file("{\"udpPort\": 99999999999}"),
                        "config file " + FILE + ", key udpPort: must be a whole number, got 99999999999"),
                Arguments.of(Input.of("--config", FILE).file("{\"httpPort\": 70000}"),
                        "config file " + FILE + ", key httpPort: " + portRange + "70000"),
                Arguments.of(Input.of("--config", FILE).file("{\"bindAddress\": 0}"),
                        "config file " + FILE + ", key bindAddress: must be a string, got 0"),
                Arguments.of(Input.of("--config", FILE).file("{\"advertiseAddress\": [\"a\"]}"),
                        "config file " + FILE + ", key advertiseAddress: must be a string, got an array"),
                Arguments.of(Input.of("--config", FILE).file("{\"apiSecret\": 12345}"),
                        "config file " + FILE + ", key apiSecret: must be a string"),
                Arguments.of(Input.of("--config", FILE).file("{\"apiSecret\": \"too-short\"}"),
                        "config file " + FILE + ", key apiSecret: API secret must be at least 32 characters"),
                Arguments.of(Input.of("--config", FILE).file("{\"mediaThreads\": -1}"),
                        "config file " + FILE + ", key mediaThreads: must be between 0 and 1024, got -1"),
                Arguments.of(Input.of("--config", FILE).file("{\"tokenTtlSeconds\": 0}"),
                        "config file " + FILE + ", key tokenTtlSeconds: must be between 1 and 2147483647, got 0"),
                Arguments.of(Input.of("--config", FILE, "--http-port", "1").file("{\"nope\": 1}"),
                        "config file " + FILE + ": unknown key 'nope'"),
                // new settings
                Arguments.of(Input.of("--allowed-origin", "ftp://x.example"), "--allowed-origin: " + origins + "'ftp://x.example'"),
                Arguments.of(Input.of("--allowed-origin", "https://a.example/path"),
                        "--allowed-origin: " + origins + "'https://a.example/path'"),
                Arguments.of(Input.of("--allowed-origin"), "--allowed-origin needs a value"),
                Arguments.of(Input.of("--allowed-origin", "https://a.example", "--allowed-origin", "--srtp", "jitsi"),
                        "--allowed-origin needs a value"),
                Arguments.of(Input.of().env("PRISM_ALLOWED_ORIGINS", "https://a.example,,https://b.example"),
                        "PRISM_ALLOWED_ORIGINS: " + origins + "''"),
                Arguments.of(Input.of("--config", FILE).file("{\"allowedOrigins\": \"https://a.example\"}"),
                        "config file " + FILE + ", key allowedOrigins: must be an array of strings, got the string "
                                + "\"https://a.example\""),
                Arguments.of(Input.of("--config", FILE).file("{\"allowedOrigins\": [\"https://a.example\", 1]}"),
                        "config file " + FILE + ", key allowedOrigins: must be an array of strings, got an element 1"),
                Arguments.of(Input.of("--config", FILE).file("{\"allowedOrigins\": [null]}"),
                        "config file " + FILE + ", key allowedOrigins: must be an array of strings, got an element null"),
                Arguments.of(Input.of("--shutdown-grace", "-1"), "--shutdown-grace: must be between 0 and 3600, got -1"),
                Arguments.of(Input.of("--shutdown-grace", "3601"),
                        "--shutdown-grace: must be between 0 and 3600, got 3601"),
                Arguments.of(Input.of("--shutdown-grace", "30s"), "--shutdown-grace: '30s' is not a whole number"),
                Arguments.of(Input.of().env("PRISM_SHUTDOWN_GRACE", "x"), "PRISM_SHUTDOWN_GRACE: 'x' is not a whole number"),
                Arguments.of(Input.of("--max-token-lifetime", "59"),
                        "--max-token-lifetime: must be between 60 and 31622400, got 59"),
                Arguments.of(Input.of("--max-token-lifetime", "-1"),
                        "--max-token-lifetime: must be between 60 and 31622400, got -1"),
                Arguments.of(Input.of("--max-token-lifetime", "1h"), "--max-token-lifetime: '1h' is not a whole number"),
                Arguments.of(Input.of("--max-token-lifetime", "99999999999999999999999"),
                        "--max-token-lifetime: '99999999999999999999999' is not a whole number"),
                Arguments.of(Input.of().env("PRISM_MAX_TOKEN_LIFETIME", "1e9"),
                        "PRISM_MAX_TOKEN_LIFETIME: '1e9' is not a whole number"),
                Arguments.of(Input.of("--config", FILE).file("{\"maxTokenLifetimeSeconds\": 1e30}"),
                        "config file " + FILE + ", key maxTokenLifetimeSeconds: must be a whole number, got 1.0E30"),
                Arguments.of(Input.of("--config", FILE).file("{\"maxTokenLifetimeSeconds\": 9223372036854775808}"),
                        "config file " + FILE + ", key maxTokenLifetimeSeconds: must be a whole number, got "
                                + "9223372036854775808"),
                Arguments.of(Input.of("--config", FILE).file("{\"tokenTtlSeconds\": 86401}"),
                        "tokenTtlSeconds (86401) must not exceed maxTokenLifetimeSeconds (86400): this node would "
                                + "refuse the tokens it issues"),
                Arguments.of(Input.of("--srtp", "openssl"), "--srtp: must be one of [prism, jitsi], got 'openssl'"),
                Arguments.of(Input.of("--srtp", "JITSI"), "--srtp: must be one of [prism, jitsi], got 'JITSI'"),
                Arguments.of(Input.of("--srtp="), "--srtp: must be one of [prism, jitsi], got ''"),
                Arguments.of(Input.of().env("PRISM_SRTP", "bouncy"), "PRISM_SRTP: must be one of [prism, jitsi], got 'bouncy'"),
                Arguments.of(Input.of("--config", FILE).file("{\"srtpImplementation\": 1}"),
                        "config file " + FILE + ", key srtpImplementation: must be a string, got 1"),
                // cluster mode refuses development mode, and checks its own values
                Arguments.of(Input.of("--redis", "redis://127.0.0.1:6379"), "cluster mode (--redis) refuses development "
                        + "mode: configure --api-secret, --admin-secret, --cluster-secret (at least 32 characters each, "
                        + "the same on every node)"),
                Arguments.of(Input.of("--redis", "redis://127.0.0.1:6379", "--api-secret", S1, "--admin-secret", S2),
                        "cluster mode (--redis) refuses development mode: configure --cluster-secret"),
                Arguments.of(Input.of().env("PRISM_REDIS", "redis://r:1", "PRISM_CLUSTER_SECRET", S3),
                        "cluster mode (--redis) refuses development mode: configure --api-secret, --admin-secret ("),
                Arguments.of(Input.of("--redis", "localhost:6379"),
                        "--redis: must look like redis://HOST:PORT (optionally /DB), got 'localhost:6379'"),
                Arguments.of(Input.of("--redis", "tcp://user:too-short@h:1"),
                        "--redis: must look like redis://HOST:PORT (optionally /DB), got a URL with credentials"),
                Arguments.of(Input.of("--node-id", "has space"),
                        "--node-id: must be 1-64 characters of A-Z a-z 0-9 . _ -, got 'has space'"),
                Arguments.of(Input.of("--cluster-port", "65536"), "--cluster-port: " + portRange + "65536"),
                Arguments.of(Input.of("--cluster-secret", "too-short"),
                        "--cluster-secret: cluster secret must be at least 32 characters"),
                Arguments.of(Input.of("--max-load", "0"), "--max-load: must be above 0 and at most 10, got 0.0"),
                Arguments.of(Input.of("--max-load", "11"), "--max-load: must be above 0 and at most 10, got 11.0"),
                Arguments.of(Input.of("--max-load", "80%"), "--max-load: '80%' is not a decimal number"),
                Arguments.of(Input.of("--max-load", "1e3"), "--max-load: '1e3' is not a decimal number"),
                Arguments.of(Input.of().env("PRISM_MAX_LOAD", "NaN"), "PRISM_MAX_LOAD: 'NaN' is not a decimal number"),
                Arguments.of(Input.of("--config", FILE).file("{\"maxLoad\": \"0.5\"}"),
                        "config file " + FILE + ", key maxLoad: must be a number, got the string \"0.5\""),
                Arguments.of(Input.of("--config", FILE).file("{\"clusterSecret\": 12345}"),
                        "config file " + FILE + ", key clusterSecret: must be a string"),
                // TURN
                Arguments.of(Input.of("--turn-url", TURN_UDP), "turnUrls need turnSecret (--turn-secret / "
                        + "PRISM_TURN_SECRET): the secret shared with the TURN server"),
                Arguments.of(Input.of("--turn-secret", S1), "turnSecret is set but turnUrls is empty: add --turn-url"),
                Arguments.of(Input.of("--turn-url", "stun:turn.example.com:3478", "--turn-secret", S1),
                        "--turn-url: entries must look like turn:HOST:3478?transport=udp, turn:HOST:3478?transport=tcp "
                                + "or turns:HOST:443?transport=tcp; 'stun:turn.example.com:3478' is not a turn: or "
                                + "turns: URL"),
                Arguments.of(Input.of("--turn-url", "turns:t.example:443?transport=udp"),
                        "--turn-url: entries must look like"),
                Arguments.of(Input.of().env("PRISM_TURN_URLS", TURN_UDP + ",,"), "PRISM_TURN_URLS: entries must look "
                        + "like turn:HOST:3478?transport=udp, turn:HOST:3478?transport=tcp or "
                        + "turns:HOST:443?transport=tcp; '' is not a turn: or turns: URL"),
                Arguments.of(Input.of("--turn-secret", "too-short"),
                        "--turn-secret: TURN secret must be at least 32 characters"),
                Arguments.of(Input.of("--turn-ttl", "59"), "--turn-ttl: must be between 60 and 604800, got 59"),
                Arguments.of(Input.of("--turn-ttl", "1h"), "--turn-ttl: '1h' is not a whole number"),
                Arguments.of(Input.of("--config", FILE).file("{\"turnUrls\": \"" + TURN_UDP + "\"}"),
                        "config file " + FILE + ", key turnUrls: must be an array of strings"),
                Arguments.of(Input.of("--config", FILE).file("{\"turnSecret\": 12345}"),
                        "config file " + FILE + ", key turnSecret: must be a string"),
                // picocli wiring: no argument files, no end-of-options marker, no abbreviations
                Arguments.of(Input.of("--advertise", "@hosts.txt"),
                        "--advertise: must be an IP address or a host name, got '@hosts.txt'"),
                Arguments.of(Input.of("@args.txt"), "unexpected argument '@args.txt' (see --help)"),
                Arguments.of(Input.of("--", "--http-port", "1"), "unknown option '--' (see --help)"),
                Arguments.of(Input.of("--http", "1"), "unknown option '--http' (see --help)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalid")
    void refuses(Input in, String expectedMessage) {
        UsageException e = catchThrowableOfType(UsageException.class, () -> parse(in));
        assertThat(e).as("should be refused").isNotNull();
        String path = dir.resolve("prism.json").toString();
        assertThat(e.getMessage()).startsWith(expectedMessage.replace(FILE, path));
        assertThat(e.helpRequested()).isFalse();
        assertThat(e.getMessage()).doesNotContain("too-short").doesNotContain("12345"); // never echo secrets
    }

    static Stream<Arguments> helpRows() {
        return Stream.of(
                Arguments.of((Object) new String[] {"--help"}),
                Arguments.of((Object) new String[] {"-h"}),
                Arguments.of((Object) new String[] {"--http-port", "1", "-h"}),
                Arguments.of((Object) new String[] {"--bogus", "--help"}), // help wins over errors
                Arguments.of((Object) new String[] {"--http-port", "70000", "--help"}));
    }

    @ParameterizedTest
    @MethodSource("helpRows")
    void helpIsRequested(String[] args) {
        UsageException e = catchThrowableOfType(UsageException.class, () -> CommandLine.parse(args, Map.of()));
        assertThat(e).isNotNull();
        assertThat(e.helpRequested()).isTrue();
    }

    @Test
    void nullArgsAreNoArgs() throws UsageException {
        assertThat(CommandLine.parse(null, Map.of())).isEqualTo(PrismConfig.defaults());
    }

    @Test
    void helpListsEveryOptionVariableKeyAndDefault() {
        String help = CommandLine.help();
        assertThat(help).contains("--http-port N", "--http-host ADDR", "--udp-port N", "--bind ADDR", "--advertise ADDR", "--advertise6 ADDR",
                "--config FILE", "--api-secret S", "--admin-secret S", "-h, --help");
        assertThat(help).contains("PRISM_HTTP_PORT", "PRISM_HTTP_HOST", "PRISM_UDP_PORT", "PRISM_BIND", "PRISM_ADVERTISE",
                "PRISM_API_SECRET", "PRISM_ADMIN_SECRET");
        assertThat(help).contains("\"httpPort\"", "\"httpHost\"", "\"udpPort\"", "\"bindAddress\"",
                "\"advertiseAddress\"", "\"apiSecret\"", "\"adminSecret\"", "\"tokenTtlSeconds\"",
                "\"consentTimeoutSeconds\"", "\"resumeWindowSeconds\"", "\"mediaThreads\"", "\"maxParticipantsPerRoom\"");
        assertThat(help).contains("default: 8080", "default: 0.0.0.0", "default: 40000", "default: 3600 s",
                "default: 30 s", "default: 20 s", "default: 0 = one per core", "default: 100", "development mode");
        assertThat(help).contains("--allowed-origin ORIGIN", "--max-token-lifetime SECONDS", "--srtp prism|jitsi",
                "PRISM_ALLOWED_ORIGINS", "PRISM_MAX_TOKEN_LIFETIME", "PRISM_SRTP", "\"allowedOrigins\"",
                "--shutdown-grace SECONDS", "PRISM_SHUTDOWN_GRACE", "\"shutdownGraceSeconds\"",
                "\"maxTokenLifetimeSeconds\"", "\"srtpImplementation\"", "default: 86400 s", "default: prism");
        assertThat(help).contains("--redis URL", "--node-id ID", "--cluster-port N", "--cluster-secret S",
                "--max-load X", "PRISM_REDIS", "PRISM_NODE_ID", "PRISM_CLUSTER_PORT", "PRISM_CLUSTER_SECRET",
                "PRISM_MAX_LOAD", "\"redisUrl\"", "\"nodeId\"", "\"clusterPort\"", "\"clusterSecret\"", "\"maxLoad\"",
                "default: 7000", "default: 0.8");
        assertThat(help).contains("--turn-url URL", "--turn-secret S", "--turn-ttl SECONDS", "PRISM_TURN_URLS",
                "PRISM_TURN_SECRET", "PRISM_TURN_TTL", "\"turnUrls\"", "\"turnSecret\"", "\"turnTtlSeconds\"");
        assertThat(help).startsWith("Usage: prism [options]");
    }

    /** Every option the parser knows is in the help and in README's option table, and nothing else is. */
    @Test
    void helpAndReadmeListTheSameOptions() throws IOException {
        java.util.regex.Pattern option = java.util.regex.Pattern.compile("(?m)^\\s+(?:-h, )?(--[a-z0-9-]+)");
        List<String> inHelp = option.matcher(CommandLine.help()).results().map(m -> m.group(1)).toList();
        assertThat(inHelp).containsExactly("--http-port", "--http-host", "--udp-port", "--bind", "--advertise",
                "--advertise6", "--ice-tcp", "--tcp-port", "--api-secret", "--api-key", "--admin-secret", "--media-threads", "--allowed-origin", "--max-token-lifetime",
                "--pacer", "--video-codec", "--audio-top-n", "--srtp", "--shutdown-grace", "--redis", "--node-id", "--cluster-port", "--cluster-secret", "--max-load",
                "--turn-url", "--turn-secret", "--turn-ttl", "--webhook-url", "--webhook-allow-private",
                "--webhook-retry-window", "--max-publishers-per-room", "--config", "--help");
        Path readme = Path.of("..", "README.md");
        List<String> inReadme = java.util.regex.Pattern.compile("(?m)^\\| `(--[a-z0-9-]+)").matcher(Files.readString(readme))
                .results().map(m -> m.group(1)).toList();
        assertThat(inReadme).containsExactlyInAnyOrderElementsOf(
                inHelp.stream().filter(o -> !o.equals("--help")).toList());
    }

    @Test
    void eachOptionIsAppliedInTheOrderGivenAndEveryValueChecked() {
        // The last --udp-port wins, but an earlier bad one is still reported (as before picocli).
        UsageException e = catchThrowableOfType(UsageException.class,
                () -> CommandLine.parse(new String[] {"--udp-port", "abc", "--udp-port", "2"}, Map.of()));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo("--udp-port: 'abc' is not a whole number");
    }
}
