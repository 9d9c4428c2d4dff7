package dev.prism.core.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the address Prism writes into its ICE host candidates.
 *
 * <p>When none is configured, {@link #detect()} picks an IPv4 address of this machine. Chromium gathers its own host
 * candidates on the machine's interface addresses (never on loopback), so even a browser on the same machine pairs with
 * Prism over such an address; 127.0.0.1 is only the last resort. Called once at start-up; not on any hot path.
 */
public final class AdvertiseAddress {
    /** Interface name prefixes of container and VM bridges: reachable from this host only, so ranked last. */
    private static final List<String> BRIDGE_PREFIXES = List.of(
            "docker", "br-", "veth", "virbr", "vnet", "lxcbr", "lxdbr", "cni", "flannel", "cali", "vmnet", "vboxnet",
            "podman", "kube-", "weave");

    private AdvertiseAddress() {
    }

    /** What {@link #choose(List)} needs to know about one network interface; a plain value so tests can build tables. */
    public record Interface(String name, int index, boolean up, boolean loopback, boolean virtual,
                            List<InetAddress> addresses) {
        public Interface {
            addresses = List.copyOf(addresses);
        }
    }

    /**
     * The address to advertise when none is configured: the first UP, non-loopback, non-virtual IPv4 address of this
     * machine, preferring real interfaces over container/VM bridges and site-local (private) addresses over public ones;
     * {@code 127.0.0.1} if there is none (or the interfaces cannot be listed).
     */
    public static InetAddress detect() {
        return choose(localInterfaces(), defaultRouteInterface()).orElse(loopback());
    }

    /**
     * The address for ICE candidates given the configured value: {@code null} -> {@link #detect()}; an IP literal as is;
     * a host name is resolved once, now, through the system resolver, preferring an IPv4 answer.
     *
     * @throws IllegalArgumentException if a configured host name does not resolve
     */
    public static InetAddress resolve(String configured) {
        if (configured == null) {
            return detect();
        }
        InetAddress literal = IpLiteral.parse(configured);
        if (literal != null) {
            return literal;
        }
        try {
            InetAddress[] all = InetAddress.getAllByName(configured);
            for (InetAddress a : all) {
                if (a instanceof Inet4Address) {
                    return a;
                }
            }
            return all[0];
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("advertise address '" + configured + "' does not resolve", e);
        }
    }

    /**
     * The pure ranking behind {@link #detect()}. Eligible: IPv4, interface UP, not loopback, not virtual (a JDK
     * sub-interface), address not loopback/link-local/wildcard/multicast. Among those, ordered by: real interface before
     * container/VM bridge, site-local before other, then interface index, then the interface's own address order.
     */
    public static Optional<InetAddress> choose(List<Interface> interfaces) {
        return choose(interfaces, null);
    }

    /**
     * Like {@link #choose(List)}, but an address on {@code defaultRouteInterface} (the interface of the default route,
     * when known) comes first: that is where this machine's traffic leaves, whatever test or container interfaces
     * (veth pairs of network namespaces, say) come and go beside it.
     */
    public static Optional<InetAddress> choose(List<Interface> interfaces, String defaultRouteInterface) {
        record Candidate(InetAddress address, boolean notDefaultRoute, boolean bridge, int index, int order) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Interface nif : interfaces) {
            if (!nif.up() || nif.loopback() || nif.virtual()) {
                continue;
            }
            boolean bridge = isBridge(nif.name());
            int order = 0;
            for (InetAddress a : nif.addresses()) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()
                        && !a.isAnyLocalAddress() && !a.isMulticastAddress()) {
                    candidates.add(new Candidate(a, !nif.name().equals(defaultRouteInterface), bridge, nif.index(),
                            order++));
                }
            }
        }
        return candidates.stream()
                .min(Comparator.comparing((Candidate c) -> c.notDefaultRoute())
                        .thenComparing(Candidate::bridge)
                        .thenComparing(c -> !c.address().isSiteLocalAddress())
                        .thenComparingInt(Candidate::index)
                        .thenComparingInt(Candidate::order))
                .map(Candidate::address);
    }

    private static boolean isBridge(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        for (String p : BRIDGE_PREFIXES) {
            if (n.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static List<Interface> localInterfaces() {
        List<Interface> out = new ArrayList<>();
        try {
            Enumeration<NetworkInterface> all = NetworkInterface.getNetworkInterfaces();
            if (all == null) {
                return out; // no interfaces at all (the JDK documents null for this case)
            }
            for (NetworkInterface nif : Collections.list(all)) {
                try {
                    out.add(new Interface(nif.getName(), nif.getIndex(), nif.isUp(), nif.isLoopback(), nif.isVirtual(),
                            Collections.list(nif.getInetAddresses())));
                } catch (SocketException e) {
                    // The interface vanished while we looked at it: skip it.
                }
            }
        } catch (SocketException e) {
            // Listing interfaces can fail in locked-down sandboxes: fall back to loopback.
        }
        return out;
    }

    /** The interface of the IPv4 default route from /proc/net/route (Linux), or null when unknown. */
    static String defaultRouteInterface() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/route"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 2 && f[1].equals("00000000") && !f[0].equals("Iface")) {
                    return f[0];
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // Not Linux, or /proc is hidden: rank without it.
        }
        return null;
    }

    private static InetAddress loopback() {
        return IpLiteral.parse("127.0.0.1");
    }
}
