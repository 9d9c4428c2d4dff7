package dev.prism.server.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away Linux network namespace joined to this machine by a veth pair, for browser tests that need a network
 * they can spoil (nftables loss) without touching anyone else's traffic: a browser runs inside it through
 * {@link #wrap(Path)}, and Prism, in the test JVM, is reached at {@link #hostAddress()}.
 *
 * <p>Every name is unique per instance ({@code prism-<hex>}, veth {@code pv<hex>h/n}, a random /30 in 10.213.0.0/16
 * that no interface here uses), so parallel runs cannot collide. {@link #close()} deletes the namespace (which takes
 * its veth end, the peer and every nftables rule in it along) and the wrapper scripts; a JVM shutdown hook does the
 * same if a test dies before its {@code finally}.
 *
 * <p>Needs root and the {@code ip} and {@code nft} tools: {@link #available()} says whether this machine has them (CI
 * runs as root).
 */
final class NetNamespace implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final String hostIf;
    private final String nsIf;
    private final String hostAddress;
    private volatile String nsAddress;
    private final Path scripts;
    private final Thread cleanupHook;
    private boolean closed;

    private NetNamespace(String name, String hostIf, String nsIf, String hostAddress, String nsAddress, Path scripts) {
        this.name = name;
        this.hostIf = hostIf;
        this.nsIf = nsIf;
        this.hostAddress = hostAddress;
        this.nsAddress = nsAddress;
        this.scripts = scripts;
        this.cleanupHook = new Thread(this::deleteQuietly, "netns-cleanup-" + name);
        Runtime.getRuntime().addShutdownHook(cleanupHook);
    }

    /** Whether network namespaces can be made here: root, {@code ip} and {@code nft}. */
    static boolean available() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/ip"))
                && Files.isExecutable(Path.of("/usr/sbin/nft"));
    }

    /** Creates the namespace and its link; on any failure deletes what was made and throws. */
    static NetNamespace create() {
        String hex = HexFormat.of().formatHex(randomBytes(3));
        String name = "prism-" + hex;
        String hostIf = "pv" + hex + "h";
        String nsIf = "pv" + hex + "n";
        int[] subnet = freeSubnet();
        String prefix = "10.213." + subnet[0] + ".";
        String hostAddress = prefix + (subnet[1] + 1);
        String nsAddress = prefix + (subnet[1] + 2);
        Path scripts;
        try {
            scripts = Files.createTempDirectory("prism-netns-" + hex + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        NetNamespace ns = new NetNamespace(name, hostIf, nsIf, hostAddress, nsAddress, scripts);
        try {
            run("ip", "netns", "add", name);
            run("ip", "link", "add", hostIf, "type", "veth", "peer", "name", nsIf);
            run("ip", "link", "set", nsIf, "netns", name);
            run("ip", "addr", "add", hostAddress + "/30", "dev", hostIf);
            run("ip", "link", "set", hostIf, "up");
            ns.exec("ip", "addr", "add", nsAddress + "/30", "dev", nsIf);
            ns.exec("ip", "link", "set", nsIf, "up");
            ns.exec("ip", "link", "set", "lo", "up");
            return ns;
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /**
     * The same link carrying IPv6 only (issue #13 item 4): a random /64 of unique local addresses
     * ({@code fd00:70:<hex>::/64}, global scope, which browsers gather as host candidates) that no interface here
     * uses, {@code ::1} of it on this machine's end and {@code ::2} inside, a default route inside through this
     * machine's end, and no IPv4 address or route inside: the namespace reaches nothing over IPv4. Addresses are added
     * without duplicate address detection ({@code nodad}, and none for the link-local ones either), so they are usable
     * at once instead of "tentative" for a second or two. {@link #moveAddress()} is for IPv4 namespaces only.
     */
    static NetNamespace createIpv6Only() {
        String hex = HexFormat.of().formatHex(randomBytes(3));
        String name = "prism-" + hex;
        String hostIf = "pv" + hex + "h";
        String nsIf = "pv" + hex + "n";
        String prefix = freeSubnet6();
        Path scripts;
        try {
            scripts = Files.createTempDirectory("prism-netns-" + hex + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        NetNamespace ns = new NetNamespace(name, hostIf, nsIf, prefix + "1", prefix + "2", scripts);
        try {
            run("ip", "netns", "add", name);
            run("ip", "link", "add", hostIf, "type", "veth", "peer", "name", nsIf);
            run("ip", "link", "set", nsIf, "netns", name);
            noDad(hostIf, null);
            run("ip", "-6", "addr", "add", prefix + "1/64", "dev", hostIf, "nodad");
            run("ip", "link", "set", hostIf, "up");
            noDad(nsIf, ns);
            ns.exec("ip", "-6", "addr", "add", prefix + "2/64", "dev", nsIf, "nodad");
            ns.exec("ip", "link", "set", nsIf, "up");
            ns.exec("ip", "link", "set", "lo", "up");
            ns.exec("ip", "-6", "route", "add", "default", "via", prefix + "1", "dev", nsIf);
            return ns;
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    String name() {
        return name;
    }

    /**
     * This machine's end of the link: where a browser inside reaches the test JVM (an IPv6 literal for
     * {@link #createIpv6Only()}).
     */
    String hostAddress() {
        return hostAddress;
    }

    /** The namespace's end of the link (the new one after {@link #moveAddress()}). */
    String nsAddress() {
        return nsAddress;
    }

    private long addressDeletedAtMillis;

    /**
     * A network change as a phone's move from Wi-Fi to cellular looks from inside: the namespace's address is deleted
     * and another, from a fresh /30 no interface here uses, takes its place as a /32, with host routes both ways
     * ({@link #hostAddress()} stays reachable from the new address, and this machine reaches the new address over the
     * link). Every connection bound to the old address dies silently; nothing else changes.
     *
     * @return the new address
     */
    String moveAddress() {
        int[] subnet = freeSubnet();
        String moved = "10.213." + subnet[0] + "." + (subnet[1] + 2);
        run("ip", "route", "add", moved + "/32", "dev", hostIf);
        exec("ip", "addr", "del", nsAddress + "/30", "dev", nsIf);
        addressDeletedAtMillis = System.currentTimeMillis();
        exec("ip", "addr", "add", moved + "/32", "dev", nsIf);
        exec("ip", "route", "add", hostAddress + "/32", "dev", nsIf, "src", moved);
        nsAddress = moved;
        return moved;
    }

    /** Wall-clock time at which {@link #moveAddress()} had deleted the old address (the moment the change bites). */
    long addressDeletedAtMillis() {
        return addressDeletedAtMillis;
    }

    /** Runs a command inside the namespace; throws with its output if it fails. */
    String exec(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    /**
     * Limits traffic from this machine into the namespace with a token bucket on this machine's end of the link
     * ({@code tc qdisc ... tbf}), e.g. {@code ("400kbit", "16kbit", "50ms")}: the namespace's downlink becomes that
     * narrow, with that much burst and queue. Replaces an earlier limit.
     */
    void limitDownlink(String rate, String burst, String latency) {
        run("tc", "qdisc", "replace", "dev", hostIf, "root", "tbf", "rate", rate, "burst", burst, "latency", latency);
    }

    /** Removes the limit of {@link #limitDownlink}. */
    void unlimitDownlink() {
        run("tc", "qdisc", "del", "dev", hostIf, "root");
    }

    /** {@code tc -s qdisc show} of this machine's end of the link (what the limit sent and dropped). */
    String downlinkQdiscStats() {
        return run("tc", "-s", "qdisc", "show", "dev", hostIf);
    }

    /** Whether {@code tc} is installed (for {@link #limitDownlink}). */
    static boolean hasTc() {
        return Files.isExecutable(Path.of("/usr/sbin/tc")) || Files.isExecutable(Path.of("/sbin/tc"));
    }

    /** Drops every UDP packet in and out of the namespace (IPv4 and IPv6), counted: TCP (signaling, ICE-TCP) passes. */
    void dropAllUdp() {
        nft("""
                table inet prism_no_udp {
                  chain output {
                    type filter hook output priority 0; policy accept;
                    meta l4proto udp counter drop
                  }
                  chain input {
                    type filter hook input priority 0; policy accept;
                    meta l4proto udp counter drop
                  }
                }
                """);
    }

    /** The rules {@link #dropAllUdp} installed, with their packet counters. */
    String udpDropRules() {
        return exec("nft", "list", "table", "inet", "prism_no_udp");
    }

    /** Loads an nftables ruleset (nft -f syntax) inside the namespace. */
    void nft(String ruleset) {
        runWithInput(ruleset, "ip", "netns", "exec", name, "nft", "-f", "-");
    }

    /** An executable script that runs {@code program} inside the namespace with the arguments it is given. */
    Path wrap(Path program) {
        Path script = scripts.resolve(program.getFileName() + "-in-" + name);
        String text = "#!/bin/sh\nexec ip netns exec " + name + " " + program + " \"$@\"\n";
        try {
            Files.writeString(script, text, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return script;
    }

    /** Deletes the namespace, the link and the scripts. Idempotent; never throws. */
    @Override
    public void close() {
        deleteQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or ran
        }
    }

    private synchronized void deleteQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        // Processes still inside keep a namespace alive after `ip netns del`: end ours (the browser's) first.
        try {
            String pids = run("ip", "netns", "pids", name).trim();
            for (String pid : pids.split("\\s+")) {
                if (!pid.isEmpty()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        } catch (RuntimeException e) {
            // no namespace, nothing inside
        }
        tryRun("ip", "netns", "del", name);
        tryRun("ip", "link", "del", hostIf); // normally gone with the namespace's end
        try (var files = Files.list(scripts)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(scripts);
        } catch (IOException e) {
            System.err.println("netns: could not delete " + scripts + ": " + e);
        }
    }

    /** A /30 of 10.213.0.0/16 whose addresses no interface here has: {third octet, base of the fourth}. */
    private static int[] freeSubnet() {
        String inUse = run("ip", "-4", "-o", "addr", "show");
        for (int attempt = 0; attempt < 50; attempt++) {
            int third = RANDOM.nextInt(256);
            int base = RANDOM.nextInt(64) * 4;
            String prefix = "10.213." + third + ".";
            boolean taken = false;
            for (int i = 0; i < 4 && !taken; i++) {
                taken = inUse.contains(" " + prefix + (base + i) + "/");
            }
            if (!taken) {
                return new int[] {third, base};
            }
        }
        throw new IllegalStateException("no free /30 in 10.213.0.0/16");
    }

    /**
     * No duplicate address detection on {@code dev} (before it is up: its link-local address too), inside {@code ns}
     * when given. Through /proc rather than the sysctl tool, which a minimal machine may lack.
     */
    private static void noDad(String dev, NetNamespace ns) {
        String file = "/proc/sys/net/ipv6/conf/" + dev + "/accept_dad";
        if (ns == null) {
            try {
                Files.writeString(Path.of(file), "0\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            ns.exec("sh", "-c", "echo 0 > " + file);
        }
    }

    /** A {@code fd00:70:<hex>::} prefix (a /64) that no interface here has an address in. */
    private static String freeSubnet6() {
        String inUse = run("ip", "-6", "-o", "addr", "show");
        for (int attempt = 0; attempt < 50; attempt++) {
            String prefix = "fd00:70:" + Integer.toHexString(RANDOM.nextInt(0xffff) + 1) + "::";
            if (!inUse.contains(" " + prefix)) {
                return prefix;
            }
        }
        throw new IllegalStateException("no free /64 in fd00:70::/32");
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String run(String... command) {
        return runWithInput(null, command);
    }

    private static void tryRun(String... command) {
        try {
            run(command);
        } catch (RuntimeException e) {
            // best effort
        }
    }

    /** Runs a command with optional stdin; returns stdout+stderr; throws when it fails or hangs. */
    private static String runWithInput(String stdin, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + ": timed out");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + ": exit " + p.exitValue() + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }
}
