package dev.prism.webhooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Checks receiver URLs at startup: {@code http} or {@code https} with a host; a host that is (or resolves to) a
 * loopback, private, link-local, unique-local or wildcard address is refused unless private receivers are allowed
 * ({@code --webhook-allow-private}), so a configured URL cannot make the server post into its own network by mistake.
 */
public final class ReceiverUrls {
    private ReceiverUrls() {
    }

    /**
     * @param resolver the name lookup ({@link InetAddress#getAllByName} in production)
     * @throws IllegalArgumentException naming the first URL refused and why
     */
    public static List<URI> check(List<String> urls, boolean allowPrivate, Resolver resolver) {
        return urls.stream().map(u -> checkOne(u, allowPrivate, resolver)).toList();
    }

    /** Name to addresses. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;

        Resolver SYSTEM = InetAddress::getAllByName;
    }

    private static URI checkOne(String url, boolean allowPrivate, Resolver resolver) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("webhook URL '" + url + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("webhook URL '" + url + "' must be http:// or https://");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("webhook URL '" + url + "' has no host");
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException("webhook URL '" + url + "' must not carry credentials");
        }
        if (allowPrivate) {
            return uri;
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("webhook URL '" + url + "': host '" + host + "' does not resolve");
        }
        for (InetAddress a : addresses) {
            if (isPrivate(a)) {
                throw new IllegalArgumentException("webhook URL '" + url + "' points at a private or loopback "
                        + "address (" + a.getHostAddress() + "); allow it with --webhook-allow-private");
            }
        }
        return uri;
    }

    /** Loopback, wildcard, link-local, RFC 1918 / RFC 4193, carrier-grade NAT (100.64/10). */
    static boolean isPrivate(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
        }
        return (b[0] & 0xfe) == 0xfc; // fc00::/7 unique local
    }
}
