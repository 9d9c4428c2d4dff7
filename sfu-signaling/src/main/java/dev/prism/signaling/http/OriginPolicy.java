package dev.prism.signaling.http;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser pages may open a signaling WebSocket, decided from the upgrade request's {@code Origin} and
 * {@code Host} headers. A WebSocket is not bound by the same-origin policy, so without this check any web page a
 * participant visits could use the participant's browser to talk to Prism.
 *
 * <ul>
 *   <li>no {@code Origin} header: not a browser (a backend, a native SDK, a test client): allowed — the token is what
 *       authenticates it;</li>
 *   <li>{@code *} in the list: any origin;</li>
 *   <li>an origin in the list (scheme, host and port compared case-insensitively, default ports implied): allowed;</li>
 *   <li>an empty list: in development mode any origin; otherwise same origin only — the {@code Origin}'s host and
 *       port equal the request's {@code Host} (the page Prism serves itself, also behind a proxy that keeps
 *       {@code Host}).</li>
 * </ul>
 * Pure and immutable; any thread.
 */
public final class OriginPolicy {
    /** The refusal reason, as the client reads it and as the refusal counter's label. */
    public static final String REFUSED = "origin not allowed";

    private final boolean any;
    private final boolean sameOriginOnly;
    private final Set<String> allowed;

    /**
     * @param allowedOrigins {@code PrismConfig.allowedOrigins()}: entries {@code *} or {@code scheme://host[:port]}
     * @param devMode        development mode: an empty list allows any origin
     */
    public OriginPolicy(List<String> allowedOrigins, boolean devMode) {
        this.any = allowedOrigins.contains("*") || (allowedOrigins.isEmpty() && devMode);
        this.sameOriginOnly = allowedOrigins.isEmpty() && !devMode;
        this.allowed = allowedOrigins.stream().filter(o -> !o.equals("*")).map(OriginPolicy::normalize)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Whether a WebSocket upgrade with these headers (either may be null) may proceed. */
    public boolean allows(String origin, String host) {
        if (origin == null || any) {
            return true;
        }
        String normalized = normalize(origin);
        if (normalized == null) {
            return false; // "null" (sandboxed frames, file: pages) and anything unparsable
        }
        if (sameOriginOnly) {
            return host != null && hostPort(normalized).equals(withDefaultPort(host.toLowerCase(Locale.ROOT),
                    normalized.startsWith("https:") ? 443 : 80));
        }
        return allowed.contains(normalized);
    }

    /** {@code scheme://host:port} in lower case with the port always written; null when not an http(s) origin. */
    static String normalize(String origin) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        int port;
        if (o.startsWith("http://")) {
            port = 80;
        } else if (o.startsWith("https://")) {
            port = 443;
        } else {
            return null;
        }
        int start = o.indexOf("://") + 3;
        String hostPort = o.substring(start);
        if (hostPort.isEmpty() || hostPort.contains("/") || hostPort.contains("@")) {
            return null;
        }
        return o.substring(0, start) + withDefaultPort(hostPort, port);
    }

    private static String hostPort(String normalizedOrigin) {
        return normalizedOrigin.substring(normalizedOrigin.indexOf("://") + 3);
    }

    /** {@code host} or {@code host:port} (IPv6 in brackets) with the port written out. */
    private static String withDefaultPort(String hostPort, int defaultPort) {
        int close = hostPort.lastIndexOf(']');
        int colon = hostPort.lastIndexOf(':');
        boolean hasPort = colon > close;
        return hasPort ? hostPort : hostPort + ":" + defaultPort;
    }
}
