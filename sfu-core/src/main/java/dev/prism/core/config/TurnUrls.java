package dev.prism.core.config;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the TURN server URLs Prism hands to clients ({@link PrismConfig#turnUrls()}): RFC 7065's
 * {@code turn:HOST[:PORT][?transport=udp|tcp]} and {@code turns:HOST[:PORT][?transport=tcp]} (TURN over TLS; browsers
 * have no DTLS transport to a TURN server, so {@code turns} with {@code udp} is refused), HOST an IPv4 address, a host
 * name or a bracketed IPv6 address. Nothing is resolved: the browser looks the name up. Stateless.
 */
public final class TurnUrls {
    /** At most this many URLs: each one makes every participant's browser gather over it. */
    public static final int MAX_URLS = 8;
    /** The shortest credential lifetime accepted: ICE gathering and a restart need a little while. */
    public static final long MIN_TTL_SECONDS = 60;
    /** The longest: a week (a leaked credential is worth at most that). */
    public static final long MAX_TTL_SECONDS = 7 * 86_400L;

    private static final Pattern URL = Pattern.compile(
            "(turns?):(\\[[0-9A-Fa-f:.]+]|[^:?\\[\\]/@\\s]+)(?::([0-9]{1,5}))?(?:\\?transport=([a-z]+))?");

    private TurnUrls() {
    }

    /**
     * @return the URLs, copied
     * @throws IllegalArgumentException naming the first bad URL (setting name {@code turnUrls} first)
     */
    static List<String> check(List<String> urls) {
        if (urls == null) {
            throw new IllegalArgumentException("turnUrls must be a list (empty = no TURN server)");
        }
        if (urls.size() > MAX_URLS) {
            throw new IllegalArgumentException("turnUrls may list at most " + MAX_URLS + " URLs, got " + urls.size());
        }
        for (String url : urls) {
            String problem = problem(url);
            if (problem != null) {
                throw new IllegalArgumentException("turnUrls entries must look like turn:HOST:3478?transport=udp, "
                        + "turn:HOST:3478?transport=tcp or turns:HOST:443?transport=tcp; "
                        + (url == null ? "got nothing" : "'" + url + "' " + problem));
            }
        }
        return List.copyOf(urls);
    }

    /** What is wrong with one URL, or null. */
    private static String problem(String url) {
        if (url == null) {
            return "is missing";
        }
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            return "is not a turn: or turns: URL";
        }
        String host = m.group(2);
        boolean hostOk = host.startsWith("[") ? IpLiteral.isLiteral(host.substring(1, host.length() - 1))
                && host.contains(":")
                : IpLiteral.isLiteral(host) && !host.contains(":") || IpLiteral.isHostName(host);
        if (!hostOk) {
            return "has a bad host";
        }
        if (m.group(3) != null) {
            int port = Integer.parseInt(m.group(3));
            if (port < 1 || port > 65535) {
                return "has a port outside 1-65535";
            }
        }
        String transport = m.group(4);
        if (transport != null && !transport.equals("udp") && !transport.equals("tcp")) {
            return "has a transport other than udp or tcp";
        }
        if (m.group(1).equals("turns") && "udp".equals(transport)) {
            return "asks for TLS over udp, which browsers do not do (use transport=tcp)";
        }
        return null;
    }

    /** Checks a credential lifetime. */
    static void checkTtl(long seconds) {
        if (seconds < MIN_TTL_SECONDS || seconds > MAX_TTL_SECONDS) {
            throw new IllegalArgumentException("turnTtlSeconds must be between " + MIN_TTL_SECONDS + " and "
                    + MAX_TTL_SECONDS + ", got " + seconds);
        }
    }

    /**
     * Why the TURN settings do not fit together, or null: URLs need the shared secret to sign credentials with, and a
     * secret without URLs is a mistake (nothing would use it).
     */
    static String mismatch(List<String> urls, String secret) {
        if (!urls.isEmpty() && secret == null) {
            return "turnUrls need turnSecret (--turn-secret / PRISM_TURN_SECRET): the secret shared with the TURN "
                    + "server (coturn's static-auth-secret) that signs each participant's credentials";
        }
        if (urls.isEmpty() && secret != null) {
            return "turnSecret is set but turnUrls is empty: add --turn-url (or PRISM_TURN_URLS) for each TURN server "
                    + "URL clients should use";
        }
        return null;
    }
}
