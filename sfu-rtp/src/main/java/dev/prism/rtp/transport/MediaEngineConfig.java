package dev.prism.rtp.transport;

import dev.prism.core.clock.MonoClock;
import dev.prism.srtp.SrtpImplementation;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the media plane.
 *
 * @param bindAddress      local address of the UDP media socket ("0.0.0.0" = all)
 * @param port             UDP port for all media; 0 picks a free one (tests)
 * @param advertiseAddress address written into ICE candidates; what browsers can reach
 * @param consentTimeout   a transport with no valid STUN binding request for this long is closed (RFC 7675: 30 s)
 * @param clock            time source for ICE consent and throttles
 * @param srtp             the SRTP implementation every transport of the engine protects media with
 *                         ({@code PrismConfig.srtpImplementation()})
 * @param iceTcp           ICE-TCP: off unless given (the launcher turns it on from {@code PrismConfig.iceTcp()})
 * @param advertiseAddress6 IPv6 dual stack: an IPv6 literal written into a second UDP host candidate (and a second
 *                         TCP passive one with ICE-TCP), served by a second UDP socket of each engine (and a second
 *                         listening socket of its ICE-TCP listener), bound to that address when it is local, else
 *                         {@code ::}; {@code null} (default): IPv4 only
 * @param pacer            a pacer per subscriber ({@code dev.prism.rtp.pacer}): on in the shorter constructors (and
 *                         so in the test kit); the server passes {@code PrismConfig.pacer()}, off by default for now;
 *                         off sends every packet the moment it is made
 */
public record MediaEngineConfig(String bindAddress, int port, String advertiseAddress, Duration consentTimeout,
                                MonoClock clock, SrtpImplementation srtp, IceTcpConfig iceTcp,
                                String advertiseAddress6, boolean pacer) {
    public MediaEngineConfig {
        Objects.requireNonNull(srtp, "srtp");
        Objects.requireNonNull(iceTcp, "iceTcp");
        if (advertiseAddress6 != null) {
            java.net.InetAddress a = dev.prism.core.config.IpLiteral.parse(advertiseAddress6);
            if (!(a instanceof java.net.Inet6Address) || a.isAnyLocalAddress()) {
                throw new IllegalArgumentException("advertiseAddress6 must be a specific IPv6 address, got '"
                        + advertiseAddress6 + "'");
            }
        }
    }

    /** Settings with the pacer on. */
    public MediaEngineConfig(String bindAddress, int port, String advertiseAddress, Duration consentTimeout,
                             MonoClock clock, SrtpImplementation srtp, IceTcpConfig iceTcp, String advertiseAddress6) {
        this(bindAddress, port, advertiseAddress, consentTimeout, clock, srtp, iceTcp, advertiseAddress6, true);
    }

    /** IPv4-only settings. */
    public MediaEngineConfig(String bindAddress, int port, String advertiseAddress, Duration consentTimeout,
                             MonoClock clock, SrtpImplementation srtp, IceTcpConfig iceTcp) {
        this(bindAddress, port, advertiseAddress, consentTimeout, clock, srtp, iceTcp, null);
    }

    /** Settings without ICE-TCP. */
    public MediaEngineConfig(String bindAddress, int port, String advertiseAddress, Duration consentTimeout,
                             MonoClock clock, SrtpImplementation srtp) {
        this(bindAddress, port, advertiseAddress, consentTimeout, clock, srtp, IceTcpConfig.OFF);
    }

    /** Settings with the {@linkplain SrtpImplementation#DEFAULT default SRTP implementation}. */
    public MediaEngineConfig(String bindAddress, int port, String advertiseAddress, Duration consentTimeout,
                             MonoClock clock) {
        this(bindAddress, port, advertiseAddress, consentTimeout, clock, SrtpImplementation.DEFAULT);
    }

    /** The same settings on another port. */
    public MediaEngineConfig withPort(int otherPort) {
        return new MediaEngineConfig(bindAddress, otherPort, advertiseAddress, consentTimeout, clock, srtp, iceTcp,
                advertiseAddress6, pacer);
    }

    /** The same settings with another SRTP implementation. */
    public MediaEngineConfig withSrtp(SrtpImplementation implementation) {
        return new MediaEngineConfig(bindAddress, port, advertiseAddress, consentTimeout, clock, implementation, iceTcp,
                advertiseAddress6, pacer);
    }

    /** The same settings with other ICE-TCP settings. */
    public MediaEngineConfig withIceTcp(IceTcpConfig tcp) {
        return new MediaEngineConfig(bindAddress, port, advertiseAddress, consentTimeout, clock, srtp, tcp,
                advertiseAddress6, pacer);
    }

    /** The same settings with an IPv6 address advertised too (null: IPv4 only). */
    public MediaEngineConfig withIpv6(String advertise6) {
        return new MediaEngineConfig(bindAddress, port, advertiseAddress, consentTimeout, clock, srtp, iceTcp,
                advertise6, pacer);
    }

    /** The same settings with the pacer on or off. */
    public MediaEngineConfig withPacer(boolean on) {
        return new MediaEngineConfig(bindAddress, port, advertiseAddress, consentTimeout, clock, srtp, iceTcp,
                advertiseAddress6, on);
    }
}
