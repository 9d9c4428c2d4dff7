package dev.prism.server.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The bookkeeping of a {@link ClusterBench}'s processes outside the JVM's own handles: the {@code pids} file that lets
 * a later bench kill what a SIGKILLed test JVM left behind, {@code pgrep -f} on the bench's directory, and free ports.
 */
final class BenchProcesses {
    /** PID and start time (epoch ms) of every process a bench started, one per line. */
    static final String PIDS_FILE = "pids";

    private final Path dir;

    BenchProcesses(Path dir) {
        this.dir = dir;
    }

    /**
     * Kills processes of earlier benches of this checkout that outlived their test JVM (it was killed with SIGKILL,
     * so no shutdown hook ran): those listed in a bench's {@code pids} file (same PID and start time, so never a
     * reused PID) or naming a bench directory on their command line, whose parent is gone (adopted by init).
     */
    static void reapOrphans(Path base) {
        List<ProcessHandle> orphans = new ArrayList<>();
        try (var benches = Files.exists(base) ? Files.list(base) : java.util.stream.Stream.<Path>empty()) {
            for (Path pids : benches.map(d -> d.resolve(PIDS_FILE)).filter(Files::exists).toList()) {
                for (String line : Files.readAllLines(pids)) {
                    String[] f = line.split(" ");
                    ProcessHandle.of(Long.parseLong(f[0]))
                            .filter(h -> h.info().startInstant().map(t -> t.toEpochMilli() == Long.parseLong(f[1]))
                                    .orElse(false))
                            .ifPresent(orphans::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("[bench] could not read the pids of earlier benches: " + e);
        }
        String marker = base + "/bench-";
        ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .forEach(orphans::add);
        orphans.stream().filter(ProcessHandle::isAlive)
                .filter(p -> p.parent().map(parent -> parent.pid() == 1).orElse(true))
                .distinct()
                .forEach(p -> {
                    System.out.println("[bench] killing pid " + p.pid() + ", left by an earlier bench: "
                            + p.info().command().orElse("?"));
                    p.descendants().forEach(ProcessHandle::destroyForcibly); // nginx's worker
                    p.destroyForcibly();
                });
    }

    /** Notes a started process in the bench's {@code pids} file, for {@link #reapOrphans} of a later bench. */
    void record(long pid) {
        ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).ifPresent(start -> {
            try {
                Files.writeString(dir.resolve(PIDS_FILE), pid + " " + start.toEpochMilli() + "\n",
                        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** PIDs of processes whose command line names the bench's directory ({@code pgrep -f}): nodes and nginx. */
    List<Long> byCommandLine() {
        try {
            Process pgrep = new ProcessBuilder("pgrep", "-f", dir.toString()).redirectErrorStream(true).start();
            String out = new String(pgrep.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!pgrep.waitFor(5, TimeUnit.SECONDS)) {
                pgrep.destroyForcibly();
                throw new AssertionError("pgrep did not answer within 5 s");
            }
            long self = ProcessHandle.current().pid();
            return out.lines().filter(l -> !l.isBlank()).map(l -> Long.parseLong(l.trim()))
                    .filter(pid -> pid != self && pid != pgrep.pid()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("pgrep (procps) is needed to check for leftover processes", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** A free port not in {@code taken} (TCP, or UDP), added to it. Free when chosen; bound by the node later. */
    static int freePort(Set<Integer> taken, boolean udp) {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port;
            try {
                if (udp) {
                    // Free for TCP too: Prism listens for ICE-TCP on its UDP port's number.
                    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                            0))) {
                        port = s.getLocalPort();
                        try (ServerSocket tcp = new ServerSocket(port, 1)) { // the wildcard: some nodes bind 0.0.0.0
                            tcp.getLocalPort();
                        } catch (IOException takenForTcp) {
                            continue;
                        }
                    }
                } else {
                    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                        port = s.getLocalPort();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (taken.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port after 20 attempts");
    }
}
