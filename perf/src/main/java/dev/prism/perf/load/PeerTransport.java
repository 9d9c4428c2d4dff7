package dev.prism.perf.load;

import java.util.Locale;

/** How a simulated participant reaches the SFU: UDP (the host candidate) or ICE-TCP (RFC 6544 passive candidate). */
enum PeerTransport {
    UDP,
    TCP;

    /** "udp" or "tcp", as the options and reports spell it. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
