package dev.prism.cluster.link;

import java.net.URI;
import java.net.URISyntaxException;

/** A peer's link address parsed from the URL a node advertises in the registry. Immutable. */
record LinkAddress(String host, int port) {
    static LinkAddress parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("no link URL");
        }
        String s = url.trim();
        if (!s.contains("://")) {
            s = "link://" + s;
        }
        try {
            URI uri = new URI(s);
            String scheme = uri.getScheme();
            if (!"link".equals(scheme) && !"tcp".equals(scheme)) {
                throw new IllegalArgumentException("link URL scheme must be link:// or tcp://: " + url);
            }
            String host = uri.getHost();
            if (host == null || uri.getPort() < 1 || uri.getPort() > 65535) {
                throw new IllegalArgumentException("link URL needs a host and a port: " + url);
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new LinkAddress(host, uri.getPort());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a link URL: " + url, e);
        }
    }

    String key() {
        return host + ":" + port;
    }
}
