package dev.prism.core.inspect;

import java.util.List;

/**
 * What a client reports about the selected candidate pair of one of its peer connections (the {@code connectionInfo}
 * message of docs/PROTOCOL.md): facts only the browser knows, such as a path relayed through a TURN server (Prism sees
 * only the relay's address) and the local candidate's type. Every field is one of the fixed values below, so a field
 * can be a metric label; the constructor refuses anything else.
 *
 * @param protocol      {@code udp} or {@code tcp}: the local candidate's protocol as the client sees it (for a relayed
 *                      candidate, the relay's side toward Prism)
 * @param candidateType {@code host}, {@code srflx}, {@code prflx} or {@code relay}
 * @param relayProtocol for a relayed candidate, how the client reaches its TURN server: {@code udp}, {@code tcp} or
 *                      {@code tls}; null when unknown (some browsers do not say) and for every other type
 * @param family        {@code ipv4} or {@code ipv6} of the pair as the client sees it; null when it cannot tell
 */
public record ConnectionPath(String protocol, String candidateType, String relayProtocol, String family) {
    public static final List<String> PROTOCOLS = List.of("udp", "tcp");
    public static final List<String> CANDIDATE_TYPES = List.of("host", "srflx", "prflx", "relay");
    public static final List<String> RELAY_PROTOCOLS = List.of("udp", "tcp", "tls");
    public static final List<String> FAMILIES = List.of("ipv4", "ipv6");
    /** The candidate metric label of a connection: its type, the relay's protocol for relayed ones, or unknown. */
    public static final List<String> CANDIDATE_LABELS = List.of("host", "srflx", "prflx", "relay_udp", "relay_tcp",
            "relay_tls", "unknown");

    /** @throws IllegalArgumentException when a field is not one of the fixed values */
    public ConnectionPath {
        require(PROTOCOLS, protocol, "protocol");
        require(CANDIDATE_TYPES, candidateType, "candidateType");
        if (relayProtocol != null) {
            require(RELAY_PROTOCOLS, relayProtocol, "relayProtocol");
            if (!candidateType.equals("relay")) {
                throw new IllegalArgumentException("relayProtocol is only for a relay candidate");
            }
        }
        if (family != null) {
            require(FAMILIES, family, "family");
        }
    }

    /** The candidate label: {@code host}, {@code srflx}, {@code prflx}, {@code relay_<relayProtocol>}, or unknown. */
    public String candidateLabel() {
        if (!candidateType.equals("relay")) {
            return candidateType;
        }
        return relayProtocol == null ? "unknown" : "relay_" + relayProtocol;
    }

    /** The candidate label of {@code path}; {@code unknown} when the client reported nothing. */
    public static String candidateLabel(ConnectionPath path) {
        return path == null ? "unknown" : path.candidateLabel();
    }

    /** The family label of an address: {@code ipv6} or {@code ipv4} (an IPv4-mapped IPv6 address reads as IPv4). */
    public static String familyOf(java.net.InetAddress address) {
        if (!(address instanceof java.net.Inet6Address)) {
            return "ipv4";
        }
        byte[] b = address.getAddress(); // Inet6Address.getByAddress keeps ::ffff:a.b.c.d as IPv6: check the bytes
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return "ipv6";
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff ? "ipv4" : "ipv6";
    }

    private static void require(List<String> allowed, String value, String field) {
        if (value == null || !allowed.contains(value)) {
            throw new IllegalArgumentException(field + " must be one of " + allowed);
        }
    }
}
