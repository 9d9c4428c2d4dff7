package dev.prism.server.config;

import dev.prism.core.config.PrismConfigBuilder;
import dev.prism.core.config.PrismConfig;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Every setting of the launcher, once: its config file key, command-line option, environment variable, type, help
 * text and how it lands in a {@link PrismConfigBuilder}. Drives the parsing of all three sources and the help text,
 * so an option cannot be parsed without being documented.
 */
enum Setting {
    HTTP_PORT("httpPort", "--http-port", "N", "PRISM_HTTP_PORT", Type.INT,
            "HTTP and WebSocket port", PrismConfig.DEFAULT_HTTP_PORT + "; 0 = any free port",
            (b, v) -> b.httpPort((Integer) v)),
    HTTP_HOST("httpHost", "--http-host", "ADDR", "PRISM_HTTP_HOST", Type.TEXT,
            "HTTP listen address (IP literal)", PrismConfig.DEFAULT_HTTP_HOST,
            (b, v) -> b.httpHost((String) v)),
    UDP_PORT("udpPort", "--udp-port", "N", "PRISM_UDP_PORT", Type.INT,
            "first media UDP port; media thread i uses udpPort + i", PrismConfig.DEFAULT_UDP_PORT + "; 0 = any free port",
            (b, v) -> b.udpPort((Integer) v)),
    BIND_ADDRESS("bindAddress", "--bind", "ADDR", "PRISM_BIND", Type.TEXT,
            "media UDP listen address (IP literal)", PrismConfig.DEFAULT_BIND_ADDRESS,
            (b, v) -> b.bindAddress((String) v)),
    ADVERTISE_ADDRESS("advertiseAddress", "--advertise", "ADDR", "PRISM_ADVERTISE", Type.TEXT,
            "address put in ICE candidates (IP or host name, resolved at start)",
            "auto-detected local IPv4 address",
            (b, v) -> b.advertiseAddress((String) v)),
    ADVERTISE_ADDRESS6("advertiseAddress6", "--advertise6", "ADDR", "PRISM_ADVERTISE6", Type.TEXT,
            "IPv6 dual stack: an IPv6 address media threads also serve UDP (and ICE-TCP) on and put in ICE candidates",
            "none (IPv4 only)",
            (b, v) -> b.advertiseAddress6((String) v)),
    ICE_TCP("iceTcp", "--ice-tcp", "on|off", "PRISM_ICE_TCP", Type.TEXT,
            "ICE-TCP: each media thread also listens on TCP and offers browsers a passive TCP candidate (below UDP), "
                    + "for networks that block UDP",
            "on",
            (b, v) -> b.iceTcp((String) v)),
    TCP_PORT("tcpPort", "--tcp-port", "N", "PRISM_TCP_PORT", Type.INT,
            "first ICE-TCP port; media thread i uses tcpPort + i",
            "each media thread's UDP port number; 0 = any free port",
            (b, v) -> b.tcpPort((Integer) v)),
    API_SECRET("apiSecret", "--api-secret", "S", "PRISM_API_SECRET", Type.SECRET,
            "token signing secret, at least " + PrismConfig.MIN_SECRET_LENGTH + " characters",
            "none: development mode, random per run, dev tokens served",
            (b, v) -> b.apiSecret((String) v)),
    API_KEYS("apiKeys", "--api-key", "ID=SECRET", "PRISM_API_KEYS", Type.LIST,
            "an extra API key for rotation: tokens whose kid header names ID are verified with SECRET (at least "
                    + PrismConfig.MIN_SECRET_LENGTH + " characters); repeat the option for more (env: comma-separated, "
                    + "file: JSON array); tokens without kid use the API secret",
            "none: the API secret only",
            (b, v) -> b.apiKeys(Setting.strings(v))),
    ADMIN_SECRET("adminSecret", "--admin-secret", "S", "PRISM_ADMIN_SECRET", Type.SECRET,
            "admin API secret, at least " + PrismConfig.MIN_SECRET_LENGTH + " characters",
            "random per run in development mode, else admin API off",
            (b, v) -> b.adminSecret((String) v)),
    MEDIA_THREADS("mediaThreads", "--media-threads", "N", "PRISM_MEDIA_THREADS", Type.INT,
            "media event loops, each with its own UDP port (udpPort + i); rooms are spread over them",
            "0 = one per core",
            (b, v) -> b.mediaThreads((Integer) v)),
    ALLOWED_ORIGINS("allowedOrigins", "--allowed-origin", "ORIGIN", "PRISM_ALLOWED_ORIGINS", Type.LIST,
            "WebSocket Origin accepted on signaling, scheme://host[:port] or *; repeat the option for more "
                    + "(env: comma-separated, file: JSON array)",
            "none: same origin only (any origin in development mode)",
            (b, v) -> b.allowedOrigins(Setting.strings(v))),
    MAX_TOKEN_LIFETIME("maxTokenLifetimeSeconds", "--max-token-lifetime", "SECONDS", "PRISM_MAX_TOKEN_LIFETIME",
            Type.LONG, "refuse access tokens whose exp lies further than this past their iat (or past now)",
            PrismConfig.DEFAULT_MAX_TOKEN_LIFETIME_SECONDS + " s (one day)",
            (b, v) -> b.maxTokenLifetimeSeconds((Long) v)),
    PACER("pacer", "--pacer", "on|off", "PRISM_PACER", Type.TEXT,
            "a pacer per subscriber: packets leave at most at 2.5 x the subscriber's downlink estimate (key frames "
                    + "and probes spread out; audio and retransmissions first); off sends each packet at once",
            "off",
            (b, v) -> b.pacer((String) v)),
    VIDEO_CODECS("videoCodecs", "--video-codec", "vp8|h264", "PRISM_VIDEO_CODECS", Type.LIST,
            "a video codec rooms may forward (Prism does not transcode: a room forwards one, chosen by its first "
                    + "join's token claim `codec`); the first named is the default for rooms that ask for none or for "
                    + "one not named; repeat the option for more (env: comma-separated, file: JSON array)",
            "vp8, h264 (VP8 the default)",
            (b, v) -> b.videoCodecs(Setting.strings(v))),
    AUDIO_TOP_N("audioTopN", "--audio-top-n", "N", "PRISM_AUDIO_TOP_N", Type.INT,
            "top-N audio: each subscriber receives only the N loudest audio streams of the others (a token's "
                    + "audioTopN claim sets it per room), 1.." + PrismConfig.MAX_AUDIO_TOP_N,
            "0 = every stream",
            (b, v) -> b.audioTopN((Integer) v)),
    SRTP("srtpImplementation", "--srtp", "prism|jitsi", "PRISM_SRTP", Type.TEXT,
            "SRTP implementation: prism (zero-allocation) or jitsi (jitsi-srtp)",
            PrismConfig.DEFAULT_SRTP_IMPLEMENTATION,
            (b, v) -> b.srtpImplementation((String) v)),
    SHUTDOWN_GRACE("shutdownGraceSeconds", "--shutdown-grace", "SECONDS", "PRISM_SHUTDOWN_GRACE", Type.INT,
            "on SIGTERM refuse new sessions and wait this long for rooms to empty, then tell the rest to reconnect "
                    + "later (close 4010) and exit; a second SIGTERM exits at once",
            PrismConfig.DEFAULT_SHUTDOWN_GRACE_SECONDS + " s; 0 = at once",
            (b, v) -> b.shutdownGraceSeconds((Integer) v)),
    REDIS("redisUrl", "--redis", "URL", "PRISM_REDIS", Type.TEXT,
            "cluster mode: the shared Redis, redis://HOST:PORT; the API, admin and cluster secrets must then be set",
            "none: a single node, no Redis",
            (b, v) -> b.redisUrl((String) v)),
    NODE_ID("nodeId", "--node-id", "ID", "PRISM_NODE_ID", Type.TEXT,
            "cluster mode: this node's name (A-Z a-z 0-9 . _ -, up to 64); a random suffix is added per process",
            "the host name",
            (b, v) -> b.nodeId((String) v)),
    CLUSTER_PORT("clusterPort", "--cluster-port", "N", "PRISM_CLUSTER_PORT", Type.INT,
            "cluster mode: TCP port of the node-to-node link (listens on --http-host)",
            PrismConfig.DEFAULT_CLUSTER_PORT + "; 0 = any free port",
            (b, v) -> b.clusterPort((Integer) v)),
    CLUSTER_SECRET("clusterSecret", "--cluster-secret", "S", "PRISM_CLUSTER_SECRET", Type.SECRET,
            "cluster mode: node-to-node link secret, at least " + PrismConfig.MIN_SECRET_LENGTH
                    + " characters, the same on every node",
            "none (required with --redis)",
            (b, v) -> b.clusterSecret((String) v)),
    MAX_LOAD("maxLoad", "--max-load", "X", "PRISM_MAX_LOAD", Type.DECIMAL,
            "cluster mode: a node whose load score reaches this takes no new rooms (1.0 = busiest media loop full)",
            String.valueOf(PrismConfig.DEFAULT_MAX_LOAD),
            (b, v) -> b.maxLoad((Double) v)),
    TURN_URLS("turnUrls", "--turn-url", "URL", "PRISM_TURN_URLS", Type.LIST,
            "TURN server URL handed to every participant with short-lived credentials: turn:HOST:3478?transport=udp, "
                    + "turn:HOST:3478?transport=tcp, turns:HOST:443?transport=tcp; repeat the option for more (env: "
                    + "comma-separated, file: JSON array); needs --turn-secret",
            "none: no TURN server",
            (b, v) -> b.turnUrls(Setting.strings(v))),
    TURN_SECRET("turnSecret", "--turn-secret", "S", "PRISM_TURN_SECRET", Type.SECRET,
            "secret shared with the TURN server (coturn's static-auth-secret with use-auth-secret), at least "
                    + PrismConfig.MIN_SECRET_LENGTH + " characters",
            "none (required with --turn-url)",
            (b, v) -> b.turnSecret((String) v)),
    TURN_TTL("turnTtlSeconds", "--turn-ttl", "SECONDS", "PRISM_TURN_TTL", Type.LONG,
            "lifetime of a TURN credential; fresh ones are sent when three quarters of it have passed",
            PrismConfig.DEFAULT_TURN_TTL_SECONDS + " s",
            (b, v) -> b.turnTtlSeconds((Long) v)),
    WEBHOOK_URLS("webhookUrls", "--webhook-url", "URL", "PRISM_WEBHOOK_URLS", Type.LIST,
            "receiver of signed room events (docs/WEBHOOKS.md), http:// or https://; repeat the option for more (env: "
                    + "comma-separated, file: JSON array)",
            "none: no webhooks (the replay endpoint still keeps recent events)",
            (b, v) -> b.webhookUrls(Setting.strings(v))),
    WEBHOOK_ALLOW_PRIVATE("webhookAllowPrivate", "--webhook-allow-private", "[on]", "PRISM_WEBHOOK_ALLOW_PRIVATE",
            Type.TEXT, "allow webhook receivers on loopback, private or link-local networks (refused at start "
                    + "otherwise)",
            "off",
            (b, v) -> b.webhookAllowPrivate((String) v)),
    WEBHOOK_RETRY_WINDOW("webhookRetryWindowSeconds", "--webhook-retry-window", "N",
            "PRISM_WEBHOOK_RETRY_WINDOW", Type.LONG,
            "seconds a webhook delivery that fails is retried (backoff 0.5 s doubling to 30 s) before it is dropped",
            dev.prism.core.config.WebhookSettings.DEFAULT_RETRY_WINDOW_SECONDS + " s",
            (b, v) -> b.webhookRetryWindowSeconds((Long) v)),
    TOKEN_TTL("tokenTtlSeconds", null, "N", null, Type.LONG,
            "lifetime of the dev tokens this node issues (<= maxTokenLifetimeSeconds)",
            PrismConfig.DEFAULT_TOKEN_TTL_SECONDS + " s",
            (b, v) -> b.tokenTtlSeconds((Long) v)),
    CONSENT_TIMEOUT("consentTimeoutSeconds", null, "N", null, Type.INT,
            "close a media transport after this long without ICE consent",
            PrismConfig.DEFAULT_CONSENT_TIMEOUT_SECONDS + " s",
            (b, v) -> b.consentTimeoutSeconds((Integer) v)),
    RESUME_WINDOW("resumeWindowSeconds", null, "N", null, Type.INT,
            "keep a disconnected participant this long for a reconnect",
            PrismConfig.DEFAULT_RESUME_WINDOW_SECONDS + " s",
            (b, v) -> b.resumeWindowSeconds((Integer) v)),
    MAX_PARTICIPANTS("maxParticipantsPerRoom", null, "N", null, Type.INT,
            "joins beyond this are refused", String.valueOf(PrismConfig.DEFAULT_MAX_PARTICIPANTS_PER_ROOM),
            (b, v) -> b.maxParticipantsPerRoom((Integer) v)),
    MAX_PUBLISHERS("maxPublishersPerRoom", "--max-publishers-per-room", "N", "PRISM_MAX_PUBLISHERS_PER_ROOM",
            Type.INT, "participants of one room that may publish at once; a publish beyond it is refused "
                    + "(publishers_full)", String.valueOf(PrismConfig.DEFAULT_MAX_PUBLISHERS_PER_ROOM),
            (b, v) -> b.maxPublishersPerRoom((Integer) v)),
    MESSAGE_RATE("signalingMessagesPerSecond", null, "N", null, Type.INT,
            "messages one signaling socket may send a second (bursts of 4x); beyond it they are dropped unread, "
                    + "a socket that keeps flooding is closed (1008)",
            String.valueOf(PrismConfig.DEFAULT_SIGNALING_MESSAGES_PER_SECOND),
            (b, v) -> b.signalingMessagesPerSecond((Integer) v));

    /** How a value is written and converted. */
    enum Type { INT, LONG, DECIMAL, TEXT, SECRET, LIST }

    /** Config file key, also the {@link PrismConfig} component name. */
    final String key;
    /** Command-line option, or {@code null} for a config-file-only setting. */
    final String option;
    final String valueName;
    /** Environment variable, or {@code null}. */
    final String env;
    final Type type;
    final String description;
    final String defaultText;
    private final BiConsumer<PrismConfigBuilder, Object> apply;

    Setting(String key, String option, String valueName, String env, Type type, String description,
            String defaultText, BiConsumer<PrismConfigBuilder, Object> apply) {
        this.key = key;
        this.option = option;
        this.valueName = valueName;
        this.env = env;
        this.type = type;
        this.description = description;
        this.defaultText = defaultText;
        this.apply = apply;
    }

    static Setting byKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        return null;
    }

    /**
     * Sets the converted {@code value} (Integer, Long, Double, String or List of String, after {@link #type}).
     *
     * @param source where the value came from ({@code --udp-port}, {@code PRISM_UDP_PORT}, {@code config file F, key
     *               udpPort}), put in front of the builder's complaint
     * @throws UsageException if the builder refuses the value
     */
    void apply(PrismConfigBuilder builder, Object value, String source) throws UsageException {
        try {
            apply.accept(builder, value);
        } catch (IllegalArgumentException e) {
            // The builder names the setting by its key; the source already says which one it is.
            String message = e.getMessage();
            if (message.startsWith(key + " ")) {
                message = message.substring(key.length() + 1);
            }
            throw new UsageException(source + ": " + message);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object v) {
        return (List<String>) v;
    }
}
