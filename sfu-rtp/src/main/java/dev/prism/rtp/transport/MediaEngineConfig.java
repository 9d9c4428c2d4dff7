package dev.prism.rtp.transport;

import dev.prism.core.clock.MonoClock;
import java.time.Duration;

/**
 * Settings of the media plane.
 *
 * @param bindAddress      local address of the UDP media socket ("0.0.0.0" = all)
 * @param port             UDP port for all media; 0 picks a free one (tests)
 * @param advertiseAddress address written into ICE candidates; what browsers can reach
 * @param consentTimeout   a transport with no valid STUN binding request for this long is closed (RFC 7675: 30 s)
 * @param clock            time source for ICE consent and throttles
 */
public record MediaEngineConfig(String bindAddress, int port, String advertiseAddress, Duration consentTimeout,
                                MonoClock clock) {
    /** The same settings on another port. */
    public MediaEngineConfig withPort(int otherPort) {
        return new MediaEngineConfig(bindAddress, otherPort, advertiseAddress, consentTimeout, clock);
    }
}
