package dev.prism.core.config;

import static dev.prism.core.config.ConfigChecks.*;

import java.util.List;

/**
 * The settings of one Prism node. Immutable and validated on construction: an instance that exists is usable.
 * Start from {@link #defaults()} and override with {@link #toBuilder()}; the command line, a JSON file and
 * environment variables are layered onto it by {@code dev.prism.server.config.CommandLine}.
 *
 * <p>Addresses are checked without DNS lookups: {@code httpHost} and {@code bindAddress} are sockets Prism binds, so they
 * must be IP literals (the wildcard {@code 0.0.0.0} / {@code ::} or a local interface address). {@code advertiseAddress}
 * may also be a host name; it is resolved once at start-up by {@link AdvertiseAddress#resolve(String)}.
 *
 * <p>{@link #toString()} never prints the secrets.
 *
 * @param httpPort               HTTP and WebSocket port; default {@value #DEFAULT_HTTP_PORT}; 0 = ephemeral (tests)
 * @param httpHost               HTTP listen address, an IP literal; default {@value #DEFAULT_HTTP_HOST}
 * @param udpPort                the first media UDP port: media thread i binds udpPort + i (ICE, DTLS, SRTP of a
 *                               room share its thread's port); default {@value #DEFAULT_UDP_PORT}; 0 = ephemeral
 *                               ports (tests)
 * @param bindAddress            media UDP listen address, an IP literal; default {@value #DEFAULT_BIND_ADDRESS}
 * @param advertiseAddress       address written into ICE candidates (IP literal or host name); {@code null} (default) =
 *                               auto-detect with {@link AdvertiseAddress#detect()}
 * @param apiSecret              HS256 key for access tokens, at least {@value #MIN_SECRET_LENGTH} characters;
 *                               {@code null} (default) = development mode: a random key for this run and the
 *                               {@code /api/dev-token} endpoint is open
 * @param adminSecret            bearer secret for the admin API, at least {@value #MIN_SECRET_LENGTH} characters;
 *                               {@code null} (default) = generated for this run in development mode, admin API
 *                               disabled when an API secret is configured
 * @param tokenTtlSeconds        lifetime of tokens Prism issues itself (dev tokens); default
 *                               {@value #DEFAULT_TOKEN_TTL_SECONDS}
 * @param consentTimeoutSeconds  ICE consent: a transport with no valid check for this long is closed; default
 *                               {@value #DEFAULT_CONSENT_TIMEOUT_SECONDS}
 * @param resumeWindowSeconds    how long a participant whose WebSocket dropped is kept for a reconnect; default
 *                               {@value #DEFAULT_RESUME_WINDOW_SECONDS}; 0 = leave at once
 * @param mediaThreads           media event loops, each with its own UDP port; rooms are spread over them; 0
 *                               (default) = one per available core
 *                               (see {@link #effectiveMediaThreads()})
 * @param maxParticipantsPerRoom join is refused beyond this; default {@value #DEFAULT_MAX_PARTICIPANTS_PER_ROOM}
 * @param allowedOrigins         WebSocket {@code Origin} values accepted on the signaling upgrade, each a scheme, host
 *                               and optional port ({@code https://app.example.com}) or {@code *}; empty (default) =
 *                               same origin only (the page Prism serves itself), and any origin in development mode.
 *                               A request without an {@code Origin} header (not a browser) is not affected.
 * @param maxTokenLifetimeSeconds an access token whose {@code exp} lies further than this past its {@code iat} (or
 *                               past now, without {@code iat}) is refused; default
 *                               {@value #DEFAULT_MAX_TOKEN_LIFETIME_SECONDS} (one day)
 * @param srtpImplementation     which SRTP implementation protects media: {@code prism} (default, Prism's own
 *                               zero-allocation one) or {@code jitsi} (jitsi-srtp)
 * @param signalingMessagesPerSecond messages one signaling socket may send a second (bursts of four times as many);
 *                               beyond it messages are dropped unread and a socket that keeps flooding is closed;
 *                               default {@value #DEFAULT_SIGNALING_MESSAGES_PER_SECOND}
 * @param shutdownGraceSeconds   on SIGTERM the node refuses new sessions and waits this long for its rooms to empty,
 *                               then tells the participants left {@code shutdown} (close 4010) and exits; default
 *                               {@value #DEFAULT_SHUTDOWN_GRACE_SECONDS}; 0 = tell them at once
 * @param redisUrl               {@code redis://HOST:PORT[/DB]} of the cluster's Redis; {@code null} (default) = a single
 *                               node, no Redis, no node-to-node link (see {@link #clusterMode()})
 * @param nodeId                 this node's id in the cluster (1-64 characters of {@code A-Z a-z 0-9 . _ -}), made
 *                               fresh per process by adding a random suffix; {@code null} (default) = the host name
 * @param clusterPort            TCP port of the node-to-node link (cluster mode); default
 *                               {@value #DEFAULT_CLUSTER_PORT}; 0 = any free port
 * @param clusterSecret          the node-to-node link's shared secret, at least {@value #MIN_SECRET_LENGTH}
 *                               characters; required in cluster mode
 * @param maxLoad                a node whose corrected load score reaches this takes no new rooms (1.0 = its busiest
 *                               media loop is saturated); default {@value #DEFAULT_MAX_LOAD}
 * @param turnUrls               TURN server URLs handed to every participant in {@code welcome.iceServers}
 *                               ({@code turn:HOST:3478?transport=udp}, {@code turns:HOST:443?transport=tcp}, ... see
 *                               {@link TurnUrls}); empty (default) = no TURN server
 * @param turnSecret             the secret shared with the TURN server (coturn's {@code static-auth-secret}) that signs
 *                               the participants' short-lived credentials, at least {@value #MIN_SECRET_LENGTH}
 *                               characters; required with {@code turnUrls}, refused without
 * @param turnTtlSeconds         how long a TURN credential is valid; Prism sends fresh ones before they run out;
 *                               default {@value #DEFAULT_TURN_TTL_SECONDS}
 * @param iceTcp                 ICE-TCP (RFC 6544): each media thread also listens on TCP and every SDP Prism writes
 *                               carries a passive TCP host candidate below the UDP one, so browsers whose network
 *                               blocks UDP still connect; default on
 * @param tcpPort                the first ICE-TCP port: media thread i listens on tcpPort + i;
 *                               {@value #TCP_PORT_SAME_AS_UDP} (default) = each thread's UDP port number; 0 = any free
 *                               port
 * @param advertiseAddress6      IPv6 dual stack: an IPv6 address (literal) each media thread also serves UDP (and
 *                               ICE-TCP, when on) on and writes into host candidates beside {@code advertiseAddress}'s;
 *                               {@code null} (default) = IPv4 only
 * @param apiKeys                extra API keys for rotation, each {@code id=secret} (see {@link ApiKeys}): a token whose
 *                               {@code kid} header names one is verified with its secret; a token without {@code kid}
 *                               with {@code apiSecret}; empty (default) = {@code apiSecret} only
 * @param pacer                  a pacer per subscriber: packets toward each subscriber leave at most at 2.5 x its
 *                               downlink estimate (key frames and probes spread out instead of overrunning a narrow
 *                               link; audio and retransmissions first); default off until the on/off load comparison
 *                               is repeated (perf/results/pacer-20261207); off sends each packet at once
 * @param videoCodecs            the video codecs a room may forward, by wire name ({@code vp8}, {@code h264}); the
 *                               first is the default for a room whose first join asks for none (or for one not in
 *                               the list); default {@code [vp8, h264]}
 * @param webhooks               webhook receivers and their retry window ({@link WebhookSettings}); none by default
 * @param audioTopN              top-N audio: each subscriber receives only the N loudest audio streams of the others
 *                               (a room's {@code audioTopN} token claim overrides it); 0 (default) = every stream,
 *                               at most {@value #MAX_AUDIO_TOP_N}
 * @param maxPublishersPerRoom   participants of one room that may publish at once; a publish beyond it is refused
 *                               ({@code publishers_full}); default {@value #DEFAULT_MAX_PUBLISHERS_PER_ROOM}; a token's
 *                               {@code roomMaxPublishers} claim may lower it for the room its join creates
 */
public record PrismConfig(
        int httpPort,
        String httpHost,
        int udpPort,
        String bindAddress,
        String advertiseAddress,
        String apiSecret,
        String adminSecret,
        long tokenTtlSeconds,
        int consentTimeoutSeconds,
        int resumeWindowSeconds,
        int mediaThreads,
        int maxParticipantsPerRoom,
        List<String> allowedOrigins,
        long maxTokenLifetimeSeconds,
        String srtpImplementation,
        int signalingMessagesPerSecond,
        int shutdownGraceSeconds,
        String redisUrl,
        String nodeId,
        int clusterPort,
        String clusterSecret,
        double maxLoad,
        List<String> turnUrls,
        String turnSecret,
        long turnTtlSeconds,
        boolean iceTcp,
        int tcpPort,
        String advertiseAddress6,
        boolean pacer,
        List<String> videoCodecs,
        WebhookSettings webhooks,
        List<String> apiKeys,
        int audioTopN,
        int maxPublishersPerRoom) {

    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final String DEFAULT_HTTP_HOST = "0.0.0.0";
    public static final int DEFAULT_UDP_PORT = 40000;
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    public static final long DEFAULT_TOKEN_TTL_SECONDS = 3600;
    public static final int DEFAULT_CONSENT_TIMEOUT_SECONDS = 30;
    public static final int DEFAULT_RESUME_WINDOW_SECONDS = 20;
    public static final int DEFAULT_MEDIA_THREADS = 0;
    public static final int DEFAULT_MAX_PARTICIPANTS_PER_ROOM = 100;
    /** As many as participants by default: no separate limit unless configured. */
    public static final int DEFAULT_MAX_PUBLISHERS_PER_ROOM = 100;
    public static final long DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 86_400;
    public static final String DEFAULT_SRTP_IMPLEMENTATION = "prism";
    /** Every codec Prism forwards, VP8 first: every WebRTC browser has VP8, not every one H.264 (Firefox ESR here). */
    public static final List<String> DEFAULT_VIDEO_CODECS = List.of("vp8", "h264");
    public static final int DEFAULT_SIGNALING_MESSAGES_PER_SECOND = 50;
    public static final int DEFAULT_SHUTDOWN_GRACE_SECONDS = 30;
    public static final int DEFAULT_CLUSTER_PORT = 7000;
    public static final double DEFAULT_MAX_LOAD = 0.8;
    public static final long DEFAULT_TURN_TTL_SECONDS = 3600;
    /** {@code tcpPort}: each media thread's TCP port is its UDP port number. */
    public static final int TCP_PORT_SAME_AS_UDP = -1;
    /** The SRTP implementations {@code srtpImplementation} may name. */
    public static final List<String> SRTP_IMPLEMENTATIONS = List.of("prism", "jitsi");
    /** Minimum secret length, counted in UTF-8 bytes (the HMAC key is the secret's UTF-8 encoding). */
    public static final int MIN_SECRET_LENGTH = 32;

    static final int MAX_TIMEOUT_SECONDS = 3600;
    static final int MAX_MEDIA_THREADS = 1024;
    static final int MAX_PARTICIPANTS = 100_000;
    /** The largest top-N audio setting (beyond it top-N saves little and a room's ranking is all noise). */
    public static final int MAX_AUDIO_TOP_N = 64;

    private static final PrismConfig DEFAULTS = new PrismConfig(DEFAULT_HTTP_PORT, DEFAULT_HTTP_HOST, DEFAULT_UDP_PORT,
            DEFAULT_BIND_ADDRESS, null, null, null, DEFAULT_TOKEN_TTL_SECONDS, DEFAULT_CONSENT_TIMEOUT_SECONDS,
            DEFAULT_RESUME_WINDOW_SECONDS, DEFAULT_MEDIA_THREADS, DEFAULT_MAX_PARTICIPANTS_PER_ROOM, List.of(),
            DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, DEFAULT_SRTP_IMPLEMENTATION, DEFAULT_SIGNALING_MESSAGES_PER_SECOND,
            DEFAULT_SHUTDOWN_GRACE_SECONDS, null, null, DEFAULT_CLUSTER_PORT, null, DEFAULT_MAX_LOAD, List.of(), null,
            DEFAULT_TURN_TTL_SECONDS, true, TCP_PORT_SAME_AS_UDP, null, false, DEFAULT_VIDEO_CODECS,
            WebhookSettings.NONE, List.of(), 0, DEFAULT_MAX_PUBLISHERS_PER_ROOM);

    /** @throws IllegalArgumentException naming the first invalid setting */
    public PrismConfig {
        checkPort("httpPort", httpPort);
        checkLiteral("httpHost", httpHost);
        checkPort("udpPort", udpPort);
        checkLiteral("bindAddress", bindAddress);
        checkAdvertiseAddress(advertiseAddress);
        checkSecret("API secret", apiSecret);
        checkSecret("admin secret", adminSecret);
        checkTokenTtl(tokenTtlSeconds);
        checkConsentTimeout(consentTimeoutSeconds);
        checkResumeWindow(resumeWindowSeconds);
        checkMediaThreads(mediaThreads);
        checkMaxParticipants(maxParticipantsPerRoom);
        allowedOrigins = checkOrigins(allowedOrigins);
        checkMaxTokenLifetime(maxTokenLifetimeSeconds);
        checkSrtp(srtpImplementation);
        checkMessageRate(signalingMessagesPerSecond);
        checkShutdownGrace(shutdownGraceSeconds);
        checkRedisUrl(redisUrl);
        checkNodeId(nodeId);
        checkPort("clusterPort", clusterPort);
        checkSecret("cluster secret", clusterSecret);
        checkMaxLoad(maxLoad);
        turnUrls = TurnUrls.check(turnUrls);
        checkSecret("TURN secret", turnSecret);
        TurnUrls.checkTtl(turnTtlSeconds);
        String turn = TurnUrls.mismatch(turnUrls, turnSecret);
        if (turn != null) {
            throw new IllegalArgumentException(turn);
        }
        checkTcpPort(tcpPort);
        checkAdvertiseAddress6(advertiseAddress6);
        videoCodecs = checkVideoCodecs(videoCodecs);
        webhooks = webhooks == null ? WebhookSettings.NONE : webhooks;
        apiKeys = ApiKeys.check(apiKeys);
        checkAudioTopN(audioTopN);
        checkMaxPublishers(maxPublishersPerRoom);
    }

    /** @throws IllegalArgumentException unless {@code n} is 0..{@value #MAX_AUDIO_TOP_N} */
    public static void checkAudioTopN(int n) {
        if (n < 0 || n > MAX_AUDIO_TOP_N) {
            throw new IllegalArgumentException("audioTopN must be 0 (off) to " + MAX_AUDIO_TOP_N + ": " + n);
        }
    }

    /** Lower-cased, without repeats, each a codec Prism forwards, at least one. */
    static List<String> checkVideoCodecs(List<String> codecs) {
        if (codecs == null || codecs.isEmpty()) {
            throw new IllegalArgumentException("videoCodecs: name at least one of " + DEFAULT_VIDEO_CODECS);
        }
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (String c : codecs) {
            String name = c == null ? "" : c.trim().toLowerCase(java.util.Locale.ROOT);
            if (dev.prism.core.rtp.VideoCodec.fromWire(name) == null) {
                throw new IllegalArgumentException("videoCodecs: unknown codec '" + c + "' (known: "
                        + DEFAULT_VIDEO_CODECS + ")");
            }
            out.add(name);
        }
        return List.copyOf(out);
    }

    /** All documented defaults: development mode, auto-detected advertise address. */
    public static PrismConfig defaults() {
        return DEFAULTS;
    }

    /** A builder starting from {@link #defaults()}. */
    public static PrismConfigBuilder builder() {
        return DEFAULTS.toBuilder();
    }

    /** A builder starting from this configuration. */
    public PrismConfigBuilder toBuilder() {
        return new PrismConfigBuilder(this);
    }

    /** True when no API secret is configured: tokens are signed with a per-run random key and dev tokens are served. */
    public boolean developmentMode() {
        return apiSecret == null;
    }

    /** True when a Redis URL is configured: the node joins a cluster. */
    public boolean clusterMode() {
        return redisUrl != null;
    }

    /**
     * Why this configuration cannot run in cluster mode, or null when it can (or is not in cluster mode). Every node of
     * a cluster must verify the others' tokens and reach the others' admin view and link, so the API, admin and
     * cluster secrets must be configured (and shared); development mode makes a random secret per process.
     */
    public String clusterModeProblem() {
        if (!clusterMode()) {
            return null;
        }
        List<String> missing = new java.util.ArrayList<>();
        if (apiSecret == null) {
            missing.add("--api-secret");
        }
        if (adminSecret == null) {
            missing.add("--admin-secret");
        }
        if (clusterSecret == null) {
            missing.add("--cluster-secret");
        }
        if (missing.isEmpty()) {
            return null;
        }
        return "cluster mode (--redis) refuses development mode: configure " + String.join(", ", missing)
                + " (at least " + MIN_SECRET_LENGTH + " characters each, the same on every node)";
    }

    /** {@link #mediaThreads()}, with 0 replaced by the number of available processors. */
    public int effectiveMediaThreads() {
        return mediaThreads > 0 ? mediaThreads : Runtime.getRuntime().availableProcessors();
    }

    @Override
    public String toString() {
        return "PrismConfig[httpPort=" + httpPort + ", httpHost=" + httpHost + ", udpPort=" + udpPort
                + ", bindAddress=" + bindAddress + ", advertiseAddress=" + (advertiseAddress == null ? "auto" : advertiseAddress)
                + ", apiSecret=" + (apiSecret == null ? "none (development mode)" : "***")
                + ", adminSecret=" + (adminSecret == null ? "none" : "***")
                + ", tokenTtlSeconds=" + tokenTtlSeconds + ", consentTimeoutSeconds=" + consentTimeoutSeconds
                + ", resumeWindowSeconds=" + resumeWindowSeconds + ", mediaThreads=" + mediaThreads
                + ", maxParticipantsPerRoom=" + maxParticipantsPerRoom + ", allowedOrigins=" + allowedOrigins
                + ", maxTokenLifetimeSeconds=" + maxTokenLifetimeSeconds + ", srtpImplementation=" + srtpImplementation
                + ", signalingMessagesPerSecond=" + signalingMessagesPerSecond
                + ", shutdownGraceSeconds=" + shutdownGraceSeconds
                + ", redisUrl=" + (redisUrl == null ? "none" : redisUrl) + ", nodeId=" + (nodeId == null ? "host name" : nodeId)
                + ", clusterPort=" + clusterPort + ", clusterSecret=" + (clusterSecret == null ? "none" : "***")
                + ", maxLoad=" + maxLoad + ", turnUrls=" + turnUrls + ", turnSecret=" + (turnSecret == null ? "none" : "***")
                + ", turnTtlSeconds=" + turnTtlSeconds + ", iceTcp=" + iceTcp
                + ", tcpPort=" + (tcpPort == TCP_PORT_SAME_AS_UDP ? "same as UDP" : tcpPort)
                + ", advertiseAddress6=" + (advertiseAddress6 == null ? "none" : advertiseAddress6)
                + ", pacer=" + (pacer ? "on" : "off") + ", videoCodecs=" + videoCodecs
                + ", webhooks=" + webhooks
                + ", apiKeys=" + ApiKeys.ids(apiKeys) + ", audioTopN=" + (audioTopN == 0 ? "off" : audioTopN)
                + ", maxPublishersPerRoom=" + maxPublishersPerRoom + "]";
    }
}
