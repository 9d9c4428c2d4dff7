package dev.prism.core.rtp;

/** One ICE candidate as written in {@code a=candidate}; Prism's own are host candidates (ICE-lite). */
public record IceCandidate(String foundation, int component, String protocol, long priority, String address, int port,
                           String type) {
    /** The SDP attribute value, without "a=candidate:" prefix. */
    public String toSdpValue() {
        return foundation + " " + component + " " + protocol + " " + priority + " " + address + " " + port + " typ " + type;
    }
}
