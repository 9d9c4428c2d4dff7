package dev.prism.rtp.transport;

import dev.prism.core.config.IpLiteral;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Which local address an engine's media sockets bind, so replies leave from the address the peer sent to.
 *
 * <p>A socket on the wildcard answers from whatever source address the kernel's route to the peer names; on a host
 * with several addresses that may not be the advertised one, and a browser ignores a check's answer from an address it
 * did not send to (RFC 8445 7.2.5.2.1). So when {@code --bind} is a wildcard and the advertised address is one of this
 * host's, the engine binds the advertised address instead: one socket per advertised address, as mediasoup's and
 * LiveKit's listen IPs do. An advertised address that is not local (a public address NAT-mapped to this host) leaves
 * the wildcard in place: the host then has one way out and the kernel's choice is the right one.
 *
 * <p>Start-up only (it may open and close a probe socket).
 */
final class MediaBindAddress {
    private MediaBindAddress() {
    }

    /**
     * The address to bind.
     *
     * @param configured the configured bind address (an IP literal; a wildcard means all addresses)
     * @param advertised the address written into candidates (an IP literal, or a name when configured so)
     */
    static String choose(String configured, String advertised) {
        InetAddress bind = IpLiteral.parse(configured);
        if (bind == null || !bind.isAnyLocalAddress()) {
            return configured; // a specific address was asked for
        }
        InetAddress adv = advertised == null ? null : IpLiteral.parse(advertised);
        if (adv == null || adv.isAnyLocalAddress() || !isLocal(adv)) {
            return configured;
        }
        // As written (brackets off an IPv6 literal): log lines then show what the operator typed.
        return advertised.startsWith("[") ? advertised.substring(1, advertised.length() - 1) : advertised;
    }

    /** Whether a socket can bind {@code address} here (any address of an interface, all of 127/8 on Linux). */
    static boolean isLocal(InetAddress address) {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(address, 0))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
