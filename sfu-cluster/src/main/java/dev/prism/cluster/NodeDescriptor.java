package dev.prism.cluster;

import java.util.List;

/**
 * The fixed facts a node publishes about itself: where other nodes reach it and where clients send media.
 *
 * @param linkUrl     the node-to-node link's URL (for example {@code wss://10.0.0.5:7443/cluster})
 * @param mediaHost   the advertised media address (the host part of this node's ICE candidates)
 * @param mediaPorts  the UDP port of each media thread, in thread order
 * @param version     Prism's version, so a mixed cluster during an upgrade is visible
 */
public record NodeDescriptor(String linkUrl, String mediaHost, List<Integer> mediaPorts, String version) {
    public NodeDescriptor {
        linkUrl = linkUrl == null ? "" : linkUrl;
        mediaHost = mediaHost == null ? "" : mediaHost;
        mediaPorts = List.copyOf(mediaPorts == null ? List.of() : mediaPorts);
        version = version == null ? "" : version;
    }
}
