package dev.prism.rtp.transport;

import dev.prism.core.rtp.IceCandidate;
import java.util.ArrayList;
import java.util.List;

/**
 * The host candidates one media engine offers, in the order every SDP lists them: UDP IPv4 (the default address of
 * {@code m=}/{@code c=}), ICE-TCP IPv4, UDP IPv6, ICE-TCP IPv6 — each present when its socket is.
 */
final class HostCandidates {
    static final long HOST_PRIORITY = 2130706431L;
    /**
     * The IPv6 UDP host candidate's priority: type preference 126 as IPv4's, local preference one lower (65534) so the
     * two differ (RFC 8445 5.1.2.1); browsers pair by family anyway.
     */
    static final long HOST6_PRIORITY = (126L << 24) + (65534L << 8) + 255;
    /**
     * A TCP passive host candidate's priority (RFC 8445 5.1.2.1 with RFC 6544 4.2): type preference 90, below UDP
     * host's 126 so a browser that can use UDP does; local preference (2^13 x direction-pref 4 for passive host + 8191);
     * component 1.
     */
    static final long TCP_PASSIVE_HOST_PRIORITY = (90L << 24) + ((4L << 13) + 8191 << 8) + 255;
    /** The IPv6 TCP passive host candidate's: as IPv4's, local preference one lower (the same rule as UDP's). */
    static final long TCP6_PASSIVE_HOST_PRIORITY = (90L << 24) + ((4L << 13) + 8190 << 8) + 255;

    private HostCandidates() {
    }

    /**
     * @param udpPort  the IPv4 UDP socket's port
     * @param tcp      the ICE-TCP listener, or null when off
     * @param udpPort6 the IPv6 UDP socket's port, or -1 without IPv6
     */
    static List<IceCandidate> of(MediaEngineConfig config, int udpPort, TcpMediaListener tcp, int udpPort6) {
        List<IceCandidate> local = new ArrayList<>(4);
        local.add(new IceCandidate("1", 1, "udp", HOST_PRIORITY, config.advertiseAddress(), udpPort, "host"));
        if (tcp != null) {
            local.add(new IceCandidate("2", 1, "tcp", TCP_PASSIVE_HOST_PRIORITY, config.advertiseAddress(),
                    tcp.localPort(), "host", "passive"));
        }
        if (udpPort6 >= 0) {
            local.add(new IceCandidate("3", 1, "udp", HOST6_PRIORITY, config.advertiseAddress6(), udpPort6, "host"));
            if (tcp != null) {
                local.add(new IceCandidate("4", 1, "tcp", TCP6_PASSIVE_HOST_PRIORITY, config.advertiseAddress6(),
                        tcp.localPort6(), "host", "passive"));
            }
        }
        return List.copyOf(local);
    }
}
