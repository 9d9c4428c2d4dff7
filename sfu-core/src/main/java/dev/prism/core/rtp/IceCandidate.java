package dev.prism.core.rtp;

/**
 * One ICE candidate as written in {@code a=candidate}; Prism's own are host candidates (ICE-lite): UDP, and TCP
 * passive ones (RFC 6544) when ICE-TCP is on.
 *
 * @param tcpType for a TCP candidate its {@code tcptype} ({@code passive} for Prism's: the browser connects);
 *                {@code null} for UDP
 */
public record IceCandidate(String foundation, int component, String protocol, long priority, String address, int port,
                           String type, String tcpType) {
    /** A UDP candidate (no tcptype). */
    public IceCandidate(String foundation, int component, String protocol, long priority, String address, int port,
                        String type) {
        this(foundation, component, protocol, priority, address, port, type, null);
    }

    /** The SDP attribute value, without "a=candidate:" prefix. */
    public String toSdpValue() {
        String value = foundation + " " + component + " " + protocol + " " + priority + " " + address + " " + port
                + " typ " + type;
        return tcpType == null ? value : value + " tcptype " + tcpType;
    }
}
