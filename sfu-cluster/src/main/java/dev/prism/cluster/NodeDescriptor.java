package dev.prism.cluster;

import java.util.List;

/**
 * The fixed facts a node publishes about itself: where other nodes reach it and where clients send media.
 *
 * @param linkUrl     the node-to-node link's URL (for example {@code wss://10.0.0.5:7443/cluster})
 * @param mediaHost   the advertised media address (the host part of this node's ICE candidates)
 * @param mediaPorts  the UDP port of each media thread, in thread order
 * @param version     Prism's version, so a mixed cluster during an upgrade is visible
 * @param apiUrl      where other nodes send server API calls about this node's rooms ({@code http://10.0.0.5:8080});
 *                    empty when unknown (an older node, or an ephemeral HTTP port): calls are then not forwarded
 */
public record NodeDescriptor(String linkUrl, String mediaHost, List<Integer> mediaPorts, String version,
                             String apiUrl) {
    public NodeDescriptor {
        linkUrl = linkUrl == null ? "" : linkUrl;
        apiUrl = apiUrl == null ? "" : apiUrl;
        mediaHost = mediaHost == null ? "" : mediaHost;
        mediaPorts = List.copyOf(mediaPorts == null ? List.of() : mediaPorts);
        version = version == null ? "" : version;
    }

    /** A node without a server API address. */
    public NodeDescriptor(String linkUrl, String mediaHost, List<Integer> mediaPorts, String version) {
        this(linkUrl, mediaHost, mediaPorts, version, "");
    }
}
