package dev.prism.rtp.transport;

import java.util.Objects;

/**
 * ICE-TCP settings of a media engine (RFC 6544 passive host candidates, RFC 4571 framing).
 *
 * @param enabled whether the engine listens on TCP and advertises a {@code tcptype passive} candidate
 * @param port    the engine's TCP port: {@link #SAME_AS_UDP} (the default: the engine's own UDP port number, so one
 *                port number per media thread for both protocols); 0 = any free port; else the port (a
 *                {@link MediaPlane} gives engine {@code i} this port {@code + i})
 * @param limits  what the listener accepts
 */
public record IceTcpConfig(boolean enabled, int port, TcpLimits limits) {
    /** {@link #port()}: the engine's UDP port number. */
    public static final int SAME_AS_UDP = -1;
    /** No TCP listener, no TCP candidate. */
    public static final IceTcpConfig OFF = new IceTcpConfig(false, SAME_AS_UDP, TcpLimits.DEFAULT);
    /** A TCP listener on the UDP port number of each engine. */
    public static final IceTcpConfig SAME_PORT = new IceTcpConfig(true, SAME_AS_UDP, TcpLimits.DEFAULT);

    public IceTcpConfig {
        Objects.requireNonNull(limits, "limits");
        if (port < SAME_AS_UDP || port > 65535) {
            throw new IllegalArgumentException("ICE-TCP port must be 0..65535 or SAME_AS_UDP, got " + port);
        }
    }

    /** ICE-TCP on {@code port} (0: any free port). */
    public static IceTcpConfig onPort(int port) {
        return new IceTcpConfig(true, port, TcpLimits.DEFAULT);
    }

    /** The same with other limits (tests). */
    public IceTcpConfig withLimits(TcpLimits other) {
        return new IceTcpConfig(enabled, port, other);
    }

    /** The settings of the {@code i}-th engine of a plane: an explicit port moves up by {@code i}. */
    IceTcpConfig forEngine(int i) {
        return port > 0 ? new IceTcpConfig(enabled, port + i, limits) : this;
    }
}
