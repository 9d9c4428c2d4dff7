package dev.prism.server.browser;

import dev.prism.netem.LinkProfile;
import dev.prism.netem.RelayCounters;
import dev.prism.netem.UdpRelay;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Puts the participants of a {@link NetNamespace} behind a userspace impairment relay ({@link UdpRelay}, module
 * netem): delay, jitter, bursty loss, a rate limit or an outage on their UDP media, which this kernel's {@code tc}
 * (no netem) cannot do.
 *
 * <p>How: a relay on this machine's end of the namespace link, one listener per Prism media port, each forwarding to
 * that port; inside the namespace an nftables {@code dnat} rule per port sends the browser's UDP for Prism's media port
 * to the listener (its answers come back through the namespace's connection tracking with Prism's port as their
 * source). Prism and the browser are unchanged: the browser selects its host candidate with Prism's, Prism sees the
 * relay's per-client socket as the remote address (as a NAT's); the netem package-info says what follows for ICE.
 * Only UDP is relayed: ICE-TCP goes straight to Prism; {@link #outage} blocks it (and signaling) as well.
 *
 * <p>Install it after the namespace and the server exist and before the participant joins (a flow that began before
 * the rule keeps its untranslated path). {@link #close()} removes the rules and stops the relay; closing the
 * namespace would remove the rules anyway.
 *
 * <pre>{@code
 * try (RelayedLink link = RelayedLink.install(call.ns(), call.server(), 1)) {
 *     link.set(LinkProfile.PERFECT.withDelay(Duration.ofMillis(50)), LinkProfile.PERFECT.withDelay(...));
 *     bob.open(call.server().joinUrl(call.ns().hostAddress(), room, "bob"));
 *     ...
 *     link.counters();  // what the relay took, delivered and dropped each way
 * }
 * }</pre>
 */
final class RelayedLink implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NetNamespace ns;
    private final UdpRelay relay;
    private final String table;
    private final String mediaPorts;
    private final int httpPort;
    private boolean closed;

    private RelayedLink(NetNamespace ns, UdpRelay relay, String table, String mediaPorts, int httpPort) {
        this.ns = ns;
        this.relay = relay;
        this.table = table;
        this.mediaPorts = mediaPorts;
        this.httpPort = httpPort;
    }

    /**
     * Starts a relay for every media port of {@code server} and sends the namespace's UDP to those ports through it.
     * Both directions start {@link LinkProfile#PERFECT}.
     *
     * @param seed the relay's chance (the same seed repeats the same losses and jitter draws)
     */
    static RelayedLink install(NetNamespace ns, PrismTestServer server, long seed) {
        InetAddress host;
        try {
            host = InetAddress.getByName(ns.hostAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        List<Integer> ports = server.server().mediaPorts();
        List<InetSocketAddress> targets = new ArrayList<>();
        for (int port : ports) {
            targets.add(new InetSocketAddress(host, port));
        }
        UdpRelay relay = UdpRelay.builder(host, targets).seed(seed).start();
        String table = "prism_relay_" + HexFormat.of().formatHex(randomBytes());
        RelayedLink link = new RelayedLink(ns, relay, table, server.mediaPortsForNft(), server.httpPort());
        try {
            StringBuilder rules = new StringBuilder();
            for (int i = 0; i < ports.size(); i++) {
                rules.append("    ip daddr ").append(ns.hostAddress()).append(" udp dport ").append(ports.get(i))
                        .append(" counter dnat to ").append(ns.hostAddress()).append(':')
                        .append(relay.listenAddresses().get(i).getPort()).append('\n');
            }
            ns.nft("""
                    table ip %s {
                      chain output {
                        type nat hook output priority -100; policy accept;
                    %s  }
                    }
                    """.formatted(table, rules));
            return link;
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /** Sets what happens to packets toward the participant ({@code toParticipant}) and from it. */
    void set(LinkProfile toParticipant, LinkProfile fromParticipant) {
        relay.setProfile(UdpRelay.Direction.TO_CLIENT, toParticipant);
        relay.setProfile(UdpRelay.Direction.TO_SERVER, fromParticipant);
    }

    /** Sets the participant's downlink only (Prism to the browser). */
    void setDownlink(LinkProfile profile) {
        relay.setProfile(UdpRelay.Direction.TO_CLIENT, profile);
    }

    /** Sets the participant's uplink only (the browser to Prism). */
    void setUplink(LinkProfile profile) {
        relay.setProfile(UdpRelay.Direction.TO_SERVER, profile);
    }

    /**
     * Cuts (true) or restores everything between the participant and Prism, as a network that goes away: the relayed
     * UDP both ways, and in the namespace its TCP to Prism's media ports (ICE-TCP, which would otherwise carry the
     * media instead) and to the HTTP port (signaling). Packets vanish (dropped, not refused).
     */
    void outage(boolean down) {
        if (down) {
            ns.nft("""
                    table inet %s {
                      chain output {
                        type filter hook output priority 0; policy accept;
                        ip daddr %s tcp dport { %s, %d } counter drop
                      }
                    }
                    """.formatted(outageTable(), ns.hostAddress(), mediaPorts, httpPort));
            relay.setOutage(true);
        } else {
            relay.setOutage(false);
            ns.exec("nft", "delete", "table", "inet", outageTable());
        }
    }

    private String outageTable() {
        return table + "_outage";
    }

    /** What the relay took, delivered and dropped each way. */
    RelayCounters counters() {
        return relay.counters();
    }

    /** The relay itself, for what this class does not wrap. */
    UdpRelay relay() {
        return relay;
    }

    /** The namespace's translation rules with their counters (nft's text). */
    String rules() {
        return ns.exec("nft", "list", "table", "ip", table);
    }

    /** Removes the rules and stops the relay. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            ns.exec("nft", "delete", "table", "ip", table);
            ns.exec("sh", "-c", "nft delete table inet " + outageTable() + " 2>/dev/null || true");
        } catch (RuntimeException e) {
            // the namespace is gone already, and its rules with it
        } finally {
            relay.close();
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return b;
    }
}
