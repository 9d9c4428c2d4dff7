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
 */
public record MediaEngineConfig(String bindAddress, int port, String advertiseAddress, Duration consentTimeout,
                                MonoClock clock, SrtpImplementation srtp, IceTcpConfig iceTcp) {
    public MediaEngineConfig {
        Objects.requireNonNull(srtp, "srtp");
        Objects.requireNonNull(iceTcp, "iceTcp");
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
        return new MediaEngineConfig(bindAddress, otherPort, advertiseAddress, consentTimeout, clock, srtp, iceTcp);
    }

    /** The same settings with another SRTP implementation. */
    public MediaEngineConfig withSrtp(SrtpImplementation implementation) {
        return new MediaEngineConfig(bindAddress, port, advertiseAddress, consentTimeout, clock, implementation, iceTcp);
    }

    /** The same settings with other ICE-TCP settings. */
    public MediaEngineConfig withIceTcp(IceTcpConfig tcp) {
        return new MediaEngineConfig(bindAddress, port, advertiseAddress, consentTimeout, clock, srtp, tcp);
    }
}
