package dev.prism.core.config;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The checks of {@link PrismConfig}'s values, shared by its constructor and its builder so a bad value is reported, with
 * the setting's name, when it is set. Messages never echo a secret. Pure; any thread.
 */
final class ConfigChecks {
    private ConfigChecks() {
    }

    static void checkPort(String name, long port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be between 1 and 65535 (0 = any free port), got " + port);
        }
    }

    static void checkLiteral(String name, String address) {
        if (address == null || !IpLiteral.isLiteral(address)) {
            throw new IllegalArgumentException(name + " must be an IP address such as 0.0.0.0, 127.0.0.1 or ::, got "
                    + quote(address));
        }
    }

    static void checkAdvertiseAddress(String address) {
        if (address != null && !IpLiteral.isLiteral(address) && !IpLiteral.isHostName(address)) {
            throw new IllegalArgumentException("advertiseAddress must be an IP address or a host name, got "
                    + quote(address));
        }
    }

    /** An IPv6 literal of one address (no name: it names a socket this node binds when local), or null. */
    static void checkAdvertiseAddress6(String address) {
        if (address == null) {
            return;
        }
        java.net.InetAddress a = IpLiteral.parse(address);
        if (!(a instanceof java.net.Inet6Address) || a.isAnyLocalAddress() || a.isMulticastAddress()) {
            throw new IllegalArgumentException("advertiseAddress6 must be an IPv6 address such as 2001:db8::10, got "
                    + quote(address));
        }
    }

    static void checkSecret(String what, String secret) {
        if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < PrismConfig.MIN_SECRET_LENGTH) {
            // Never echo the secret itself.
            throw new IllegalArgumentException(what + " must be at least " + PrismConfig.MIN_SECRET_LENGTH + " characters");
        }
    }

    static void checkTokenTtl(long v) {
        checkRange("tokenTtlSeconds", v, 1, Integer.MAX_VALUE);
    }

    static void checkConsentTimeout(long v) {
        checkRange("consentTimeoutSeconds", v, 1, PrismConfig.MAX_TIMEOUT_SECONDS);
    }

    static void checkResumeWindow(long v) {
        checkRange("resumeWindowSeconds", v, 0, PrismConfig.MAX_TIMEOUT_SECONDS);
    }

    static void checkMediaThreads(long v) {
        checkRange("mediaThreads", v, 0, PrismConfig.MAX_MEDIA_THREADS);
    }

    static void checkMaxParticipants(long v) {
        checkRange("maxParticipantsPerRoom", v, 1, PrismConfig.MAX_PARTICIPANTS);
    }

    static void checkMaxPublishers(long v) {
        checkRange("maxPublishersPerRoom", v, 1, PrismConfig.MAX_PARTICIPANTS);
    }

    static List<String> checkOrigins(List<String> origins) {
        if (origins == null) {
            throw new IllegalArgumentException("allowedOrigins must be a list (empty = same origin only)");
        }
        for (String o : origins) {
            if (o == null || !(o.equals("*") || o.matches("https?://[A-Za-z0-9.\\-\\[\\]:]+"))) {
                throw new IllegalArgumentException("allowedOrigins entries must be * or scheme://host[:port] such as "
                        + "https://app.example.com, got " + quote(o));
            }
        }
        return List.copyOf(origins);
    }

    static void checkMaxTokenLifetime(long v) {
        checkRange("maxTokenLifetimeSeconds", v, 60, 366L * 86_400);
    }

    static void checkSrtp(String v) {
        if (!PrismConfig.SRTP_IMPLEMENTATIONS.contains(v)) {
            throw new IllegalArgumentException("srtpImplementation must be one of " + PrismConfig.SRTP_IMPLEMENTATIONS + ", got "
                    + quote(v));
        }
    }

    static void checkMessageRate(long v) {
        checkRange("signalingMessagesPerSecond", v, 1, 1_000_000);
    }

    static void checkShutdownGrace(long v) {
        checkRange("shutdownGraceSeconds", v, 0, PrismConfig.MAX_TIMEOUT_SECONDS);
    }

    static void checkRedisUrl(String v) {
        if (v != null && !v.matches("rediss?://([^@/\\s]*@)?[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5}(/[0-9]{1,2})?")) {
            // A password may sit in the URL: never echo it.
            throw new IllegalArgumentException("redisUrl must look like redis://HOST:PORT (optionally /DB), got "
                    + (v.contains("@") ? "a URL with credentials" : quote(v)));
        }
    }

    static void checkNodeId(String v) {
        if (v != null && !v.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("nodeId must be 1-64 characters of A-Z a-z 0-9 . _ -, got " + quote(v));
        }
    }

    static void checkMaxLoad(double v) {
        if (!(v > 0 && v <= 10)) {
            throw new IllegalArgumentException("maxLoad must be above 0 and at most 10, got " + v);
        }
    }

    static void checkTcpPort(long port) {
        if (port != PrismConfig.TCP_PORT_SAME_AS_UDP) {
            checkPort("tcpPort", port);
        }
    }

    static boolean parseOnOff(String name, String v) {
        if (v != null) {
            switch (v.toLowerCase(java.util.Locale.ROOT)) {
                case "on", "true" -> {
                    return true;
                }
                case "off", "false" -> {
                    return false;
                }
                default -> {
                }
            }
        }
        throw new IllegalArgumentException(name + " must be on or off, got " + quote(v));
    }

    static void checkRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    static String quote(String s) {
        return s == null ? "nothing" : "'" + s + "'";
    }
}
