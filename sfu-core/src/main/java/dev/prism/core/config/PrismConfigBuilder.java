package dev.prism.core.config;

import static dev.prism.core.config.ConfigChecks.*;
import static dev.prism.core.config.PrismConfig.*;

import java.util.List;

/**
 * Mutable builder; every setter validates its value at once (throwing {@link IllegalArgumentException} with the
 * setting's name) so the caller can tell the user where a bad value came from. Not thread-safe.
 */
public final class PrismConfigBuilder {
    private int httpPort;
    private String httpHost;
    private int udpPort;
    private String bindAddress;
    private String advertiseAddress;
    private String apiSecret;
    private String adminSecret;
    private long tokenTtlSeconds;
    private int consentTimeoutSeconds;
    private int resumeWindowSeconds;
    private int mediaThreads;
    private int maxParticipantsPerRoom;
    private List<String> allowedOrigins;
    private long maxTokenLifetimeSeconds;
    private String srtpImplementation;
    private int signalingMessagesPerSecond;
    private int shutdownGraceSeconds;
    private String redisUrl;
    private String nodeId;
    private int clusterPort;
    private String clusterSecret;
    private double maxLoad;
    private List<String> turnUrls;
    private String turnSecret;
    private long turnTtlSeconds;
    private boolean iceTcp;
    private int tcpPort;
    private String advertiseAddress6;
    private boolean pacer;
    private List<String> videoCodecs;
    private WebhookSettings webhooks;
    private List<String> apiKeys;
    private int audioTopN;
    private int maxPublishersPerRoom;

    PrismConfigBuilder(PrismConfig c) {
        httpPort = c.httpPort();
        httpHost = c.httpHost();
        udpPort = c.udpPort();
        bindAddress = c.bindAddress();
        advertiseAddress = c.advertiseAddress();
        apiSecret = c.apiSecret();
        adminSecret = c.adminSecret();
        tokenTtlSeconds = c.tokenTtlSeconds();
        consentTimeoutSeconds = c.consentTimeoutSeconds();
        resumeWindowSeconds = c.resumeWindowSeconds();
        mediaThreads = c.mediaThreads();
        maxParticipantsPerRoom = c.maxParticipantsPerRoom();
        allowedOrigins = c.allowedOrigins();
        maxTokenLifetimeSeconds = c.maxTokenLifetimeSeconds();
        srtpImplementation = c.srtpImplementation();
        signalingMessagesPerSecond = c.signalingMessagesPerSecond();
        shutdownGraceSeconds = c.shutdownGraceSeconds();
        redisUrl = c.redisUrl();
        nodeId = c.nodeId();
        clusterPort = c.clusterPort();
        clusterSecret = c.clusterSecret();
        maxLoad = c.maxLoad();
        turnUrls = c.turnUrls();
        turnSecret = c.turnSecret();
        turnTtlSeconds = c.turnTtlSeconds();
        iceTcp = c.iceTcp();
        tcpPort = c.tcpPort();
        advertiseAddress6 = c.advertiseAddress6();
        pacer = c.pacer();
        videoCodecs = c.videoCodecs();
        webhooks = c.webhooks();
        apiKeys = c.apiKeys();
        audioTopN = c.audioTopN();
        maxPublishersPerRoom = c.maxPublishersPerRoom();
    }

    /** Extra API keys, each {@code id=secret} (see {@link ApiKeys}); empty = the API secret only. */
    public PrismConfigBuilder apiKeys(List<String> v) {
        apiKeys = ApiKeys.check(v);
        return this;
    }

    public PrismConfigBuilder httpPort(int v) {
        checkPort("httpPort", v);
        httpPort = v;
        return this;
    }

    public PrismConfigBuilder httpHost(String v) {
        checkLiteral("httpHost", v);
        httpHost = v;
        return this;
    }

    public PrismConfigBuilder udpPort(int v) {
        checkPort("udpPort", v);
        udpPort = v;
        return this;
    }

    public PrismConfigBuilder bindAddress(String v) {
        checkLiteral("bindAddress", v);
        bindAddress = v;
        return this;
    }

    /** {@code null} = auto-detect. */
    public PrismConfigBuilder advertiseAddress(String v) {
        checkAdvertiseAddress(v);
        advertiseAddress = v;
        return this;
    }

    /** {@code null} = development mode. */
    public PrismConfigBuilder apiSecret(String v) {
        checkSecret("API secret", v);
        apiSecret = v;
        return this;
    }

    /** {@code null} = generated in development mode, admin API off otherwise. */
    public PrismConfigBuilder adminSecret(String v) {
        checkSecret("admin secret", v);
        adminSecret = v;
        return this;
    }

    public PrismConfigBuilder tokenTtlSeconds(long v) {
        checkTokenTtl(v);
        tokenTtlSeconds = v;
        return this;
    }

    public PrismConfigBuilder consentTimeoutSeconds(int v) {
        checkConsentTimeout(v);
        consentTimeoutSeconds = v;
        return this;
    }

    public PrismConfigBuilder resumeWindowSeconds(int v) {
        checkResumeWindow(v);
        resumeWindowSeconds = v;
        return this;
    }

    /** 0 = one per core. */
    public PrismConfigBuilder mediaThreads(int v) {
        checkMediaThreads(v);
        mediaThreads = v;
        return this;
    }

    public PrismConfigBuilder maxParticipantsPerRoom(int v) {
        checkMaxParticipants(v);
        maxParticipantsPerRoom = v;
        return this;
    }

    public PrismConfigBuilder maxPublishersPerRoom(int v) {
        checkMaxPublishers(v);
        maxPublishersPerRoom = v;
        return this;
    }

    /** Empty = same origin only (any origin in development mode); {@code *} = any. */
    public PrismConfigBuilder allowedOrigins(List<String> v) {
        allowedOrigins = checkOrigins(v);
        return this;
    }

    public PrismConfigBuilder maxTokenLifetimeSeconds(long v) {
        checkMaxTokenLifetime(v);
        maxTokenLifetimeSeconds = v;
        return this;
    }

    /** {@code prism} or {@code jitsi}. */
    public PrismConfigBuilder srtpImplementation(String v) {
        checkSrtp(v);
        srtpImplementation = v;
        return this;
    }

    public PrismConfigBuilder signalingMessagesPerSecond(int v) {
        checkMessageRate(v);
        signalingMessagesPerSecond = v;
        return this;
    }

    /** 0 = no waiting: the participants are told {@code shutdown} at once. */
    public PrismConfigBuilder shutdownGraceSeconds(int v) {
        checkShutdownGrace(v);
        shutdownGraceSeconds = v;
        return this;
    }

    /** {@code null} = a single node. */
    public PrismConfigBuilder redisUrl(String v) {
        checkRedisUrl(v);
        redisUrl = v;
        return this;
    }

    /** {@code null} = the host name. */
    public PrismConfigBuilder nodeId(String v) {
        checkNodeId(v);
        nodeId = v;
        return this;
    }

    /** 0 = any free port. */
    public PrismConfigBuilder clusterPort(int v) {
        checkPort("clusterPort", v);
        clusterPort = v;
        return this;
    }

    public PrismConfigBuilder clusterSecret(String v) {
        checkSecret("cluster secret", v);
        clusterSecret = v;
        return this;
    }

    public PrismConfigBuilder maxLoad(double v) {
        checkMaxLoad(v);
        maxLoad = v;
        return this;
    }

    public PrismConfigBuilder iceTcp(boolean v) {
        iceTcp = v;
        return this;
    }

    /** {@code on}/{@code off} (or {@code true}/{@code false}), as the command line and environment give it. */
    public PrismConfigBuilder iceTcp(String v) {
        iceTcp = parseOnOff("iceTcp", v);
        return this;
    }

    /** 0 = off. */
    public PrismConfigBuilder audioTopN(int v) {
        checkAudioTopN(v);
        audioTopN = v;
        return this;
    }

    public PrismConfigBuilder pacer(boolean v) {
        pacer = v;
        return this;
    }

    /** {@code on}/{@code off} (or {@code true}/{@code false}), as the command line and environment give it. */
    public PrismConfigBuilder pacer(String v) {
        pacer = parseOnOff("pacer", v);
        return this;
    }

    /** Wire names ({@code vp8}, {@code h264}); the first is the default for new rooms. */
    public PrismConfigBuilder videoCodecs(List<String> v) {
        videoCodecs = checkVideoCodecs(v);
        return this;
    }

    /** 0 = any free port; not calling it keeps the default (each thread's UDP port number). */
    public PrismConfigBuilder tcpPort(int v) {
        checkPort("tcpPort", v);
        tcpPort = v;
        return this;
    }

    /** Empty = no TURN server; needs {@link #turnSecret} (checked by {@link #build()}). */
    public PrismConfigBuilder turnUrls(List<String> v) {
        turnUrls = TurnUrls.check(v);
        return this;
    }

    /** {@code null} = none; required with {@link #turnUrls}. */
    public PrismConfigBuilder turnSecret(String v) {
        checkSecret("TURN secret", v);
        turnSecret = v;
        return this;
    }

    public PrismConfigBuilder turnTtlSeconds(long v) {
        TurnUrls.checkTtl(v);
        turnTtlSeconds = v;
        return this;
    }

    /** {@code null} = IPv4 only. */
    public PrismConfigBuilder advertiseAddress6(String v) {
        checkAdvertiseAddress6(v);
        advertiseAddress6 = v;
        return this;
    }

    /** Webhook receiver URLs; empty = none. */
    public PrismConfigBuilder webhookUrls(List<String> v) {
        webhooks = webhooks.withUrls(v);
        return this;
    }

    /** {@code on}/{@code off}: allow receivers on loopback or private networks. */
    public PrismConfigBuilder webhookAllowPrivate(String v) {
        webhooks = webhooks.withAllowPrivate(parseOnOff("webhookAllowPrivate", v));
        return this;
    }

    public PrismConfigBuilder webhookRetryWindowSeconds(long v) {
        webhooks = webhooks.withRetryWindowSeconds(v);
        return this;
    }

    /** @throws IllegalArgumentException when settings do not fit together (TURN URLs without a secret) */
    public PrismConfig build() {
        return new PrismConfig(httpPort, httpHost, udpPort, bindAddress, advertiseAddress, apiSecret, adminSecret,
                tokenTtlSeconds, consentTimeoutSeconds, resumeWindowSeconds, mediaThreads, maxParticipantsPerRoom,
                allowedOrigins, maxTokenLifetimeSeconds, srtpImplementation, signalingMessagesPerSecond,
                shutdownGraceSeconds, redisUrl, nodeId, clusterPort, clusterSecret, maxLoad, turnUrls, turnSecret,
                turnTtlSeconds, iceTcp, tcpPort, advertiseAddress6, pacer, videoCodecs,
                webhooks, apiKeys, audioTopN, maxPublishersPerRoom);
    }
}
