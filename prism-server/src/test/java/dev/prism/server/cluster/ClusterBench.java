package dev.prism.server.cluster;

import dev.prism.cluster.testkit.RedisServer;
import dev.prism.server.Nginx;
import dev.prism.server.WsTestClient;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The multi-process test bench of cluster mode (issue #12): a real {@code redis-server}, N Prism nodes each in its own
 * JVM on loopback, and a real nginx in front of them running {@code deploy/nginx/prism.conf} (round robin), all
 * started by this fixture, all stopped by PID on {@link #close()}, by a JVM shutdown hook, or by
 * {@link ClusterBenchExtension} after a failed class. Every wait has a deadline.
 *
 * <pre>{@code
 * try (ClusterBench bench = ClusterBench.builder().nodes(3)
 *         .nodeArgs((n, redis) -> List.of("--redis", redis.url())).start()) {
 *     ClusterBench.Participant alice = bench.joinThroughNginx("demo", "alice");
 *     PrismNode owner = bench.nodeOf("demo", alice.id()).orElseThrow();
 *     owner.kill9();
 * }
 * }</pre>
 *
 * <p>Nodes share one API secret and one admin secret (random per bench, so a token of one bench is refused by the
 * next), run one media thread each, and log to {@code target/cluster-bench/bench-*}/{@code node-N.log}; nginx's
 * files are in that directory's {@code nginx/}. Ports (HTTP, media UDP) are chosen free when the bench starts and kept
 * across {@link PrismNode#restart()}.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public final class ClusterBench implements AutoCloseable {
    /** How long a node may take from launch to {@code /readyz} 200 (three JVMs start at once on two cores). */
    static final Duration READY_DEADLINE = Duration.ofSeconds(60);
    private static final Duration WELCOME_DEADLINE = Duration.ofSeconds(10);

    /** Per-node extra command-line options, decided once per node when the bench starts (kept on restart). */
    @FunctionalInterface
    public interface NodeArgs {
        /**
         * @param number the node's number, 1..N
         * @param redis  the bench's Redis, or null when the bench runs without one
         */
        List<String> forNode(int number, RedisServer redis);
    }

    private final Path dir;
    private final String apiSecret;
    private final String adminSecret;
    private final TokenService tokens;
    private final BenchProcesses processes;
    private final List<PrismNode> nodes = new ArrayList<>();
    private RedisServer redis;
    private Nginx nginx;
    private boolean closed;

    private ClusterBench(Path dir, String apiSecret, String adminSecret) {
        this.dir = dir;
        this.apiSecret = apiSecret;
        this.adminSecret = adminSecret;
        this.tokens = new TokenService(apiSecret, TokenService.SYSTEM_EPOCH_SECONDS);
        this.processes = new BenchProcesses(dir);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What to start; {@link #start()} starts it. */
    public static final class Builder {
        private int nodeCount = 3;
        private boolean withRedis = true;
        private boolean mediaForBrowsers;
        private NodeArgs nodeArgs = (n, redis) -> List.of();
        private List<String> jvmOptions = List.of();

        private Builder() {
        }

        /** How many Prism nodes (default 3). */
        public Builder nodes(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("at least one node");
            }
            this.nodeCount = count;
            return this;
        }

        /** Start a Redis (default: yes). */
        public Builder redis(boolean start) {
            this.withRedis = start;
            return this;
        }

        /** Extra options per node, after the bench's own (the cluster options). */
        public Builder nodeArgs(NodeArgs args) {
            this.nodeArgs = args;
            return this;
        }

        /** Extra JVM options for every node, after the bench's own. */
        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        /**
         * Media on every address, advertised at this machine's own address (the node's automatic choice) instead of
         * 127.0.0.1: Chromium's host candidates are not on loopback. HTTP stays on loopback.
         */
        public Builder mediaForBrowsers() {
            this.mediaForBrowsers = true;
            return this;
        }

        /**
         * Starts Redis, the nodes (all at once) and nginx, waiting for each to be ready, and prints the start-up times.
         * When anything fails to start, prints the logs, stops what did start and throws.
         */
        public ClusterBench start() {
            Path base = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("target/cluster-bench");
            ClusterBench bench;
            BenchProcesses.reapOrphans(base);
            try {
                Files.createDirectories(base);
                byte[] random = new byte[24];
                SecureRandom rng = new SecureRandom();
                rng.nextBytes(random);
                String api = "bench-api-" + HexFormat.of().formatHex(random);
                rng.nextBytes(random);
                String admin = "bench-admin-" + HexFormat.of().formatHex(random);
                bench = new ClusterBench(Files.createTempDirectory(base, "bench-"), api, admin);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                bench.startAll(this);
                return bench;
            } catch (Throwable e) {
                System.out.println(bench.logs());
                try {
                    bench.close();
                } catch (Throwable closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        }
    }



    private void startAll(Builder b) {
        long t0 = System.nanoTime();
        if (b.withRedis) {
            try {
                redis = RedisServer.start();
                processes.record(redis.pid());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Set<Integer> taken = new HashSet<>();
        for (int n = 1; n <= b.nodeCount; n++) {
            int http = BenchProcesses.freePort(taken, false);
            int udp = BenchProcesses.freePort(taken, true);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // as ./prism: Prism's SRTP reaches the JDK's GHASH; jitsi-srtp's native library
                    "--add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                    // small and cheap: three of these share two cores with the test and the browsers
                    "-Xmx256m", "-XX:+UseSerialGC",
                    // names the bench on the command line, for pgrep -f
                    "-Dprism.bench=" + dir.resolve("node-" + n)));
            command.addAll(b.jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.prism.server.Main",
                    "--http-host", "127.0.0.1", "--http-port", Integer.toString(http),
                    "--udp-port", Integer.toString(udp), "--media-threads", "1",
                    // a stop waits this long for rooms to end before telling clients 'shutdown' (4010): short on a bench
                    "--shutdown-grace", "2",
                    "--api-secret", apiSecret, "--admin-secret", adminSecret));
            if (b.mediaForBrowsers) {
                command.addAll(List.of("--bind", "0.0.0.0"));
            } else {
                command.addAll(List.of("--bind", "127.0.0.1", "--advertise", "127.0.0.1"));
            }
            command.addAll(b.nodeArgs.forNode(n, redis));
            nodes.add(new PrismNode("node-" + n, http, udp, command, adminSecret, dir.resolve("node-" + n + ".log"),
                    processes::record));
        }
        long launched = System.nanoTime();
        nodes.forEach(PrismNode::launch); // all at once: the start-ups overlap
        StringBuilder figures = new StringBuilder();
        for (PrismNode node : nodes) {
            Duration took = node.awaitReady(launched, READY_DEADLINE);
            figures.append(String.format(" %s %.2f s (pid %d, http %d, udp %d);", node.name(), took.toMillis() / 1e3,
                    node.pid(), node.httpPort(), node.udpPort()));
        }
        long nodesReady = System.nanoTime();
        try {
            Path nginxDir = Files.createDirectories(dir.resolve("nginx"));
            int listen = BenchProcesses.freePort(taken, false);
            nginx = Nginx.start(nginxDir, Nginx.render(Nginx.operatorsConfig(),
                    nodes.stream().map(PrismNode::httpPort).toList(), listen));
            processes.record(nginx.pid());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("nginx did not start", e);
        }
        System.out.printf("[bench] %s: %d nodes ready in %.2f s (%s ), redis %s, nginx on %d in %.2f s; total %.2f s%n",
                dir.getFileName(), nodes.size(), (nodesReady - launched) / 1e9, figures.toString().trim(),
                redis == null ? "none" : redis.url(), nginx.port(), (System.nanoTime() - nodesReady) / 1e9,
                (System.nanoTime() - t0) / 1e9);
    }

    /** The nodes, node-1 first. */
    public List<PrismNode> nodes() {
        return List.copyOf(nodes);
    }

    /** Node {@code number}, 1..N. */
    public PrismNode node(int number) {
        return nodes.get(number - 1);
    }

    /** The nodes whose process runs and is not paused. */
    public List<PrismNode> liveNodes() {
        return nodes.stream().filter(n -> n.isAlive() && !n.isPaused()).toList();
    }

    /** The bench's Redis; fails when it was started without one. */
    public RedisServer redis() {
        if (redis == null) {
            throw new IllegalStateException("this bench runs without Redis");
        }
        return redis;
    }

    public Nginx nginx() {
        return nginx;
    }

    /** {@code http://127.0.0.1:<nginx port>}: the one public address of the bench. */
    public String nginxUrl() {
        return "http://127.0.0.1:" + nginx.port();
    }

    public String apiSecret() {
        return apiSecret;
    }

    public String adminSecret() {
        return adminSecret;
    }

    /** The directory of this bench's logs and nginx files (under target/cluster-bench). */
    public Path dir() {
        return dir;
    }

    /** An access token for {@code identity} in {@code room}, may publish and subscribe, valid 10 minutes. */
    public String token(String room, String identity) {
        long now = tokens.nowEpochSeconds();
        return tokens.issue(new AccessToken(room, identity, identity, true, true, now, now + 600));
    }

    /** A participant joined by a signaling WebSocket: its id (from the welcome) and the socket. */
    public record Participant(String room, String id, WsTestClient ws, JsonObject welcome) implements AutoCloseable {
        @Override
        public void close() {
            ws.close();
        }
    }

    /** Opens a signaling WebSocket through nginx (round robin) and waits for its welcome (10 s). */
    public Participant joinThroughNginx(String room, String identity) {
        return join(nginx.port(), room, identity);
    }

    /** Opens a signaling WebSocket straight to {@code node} and waits for its welcome (10 s). */
    public Participant joinAt(PrismNode node, String room, String identity) {
        return join(node.httpPort(), room, identity);
    }

    private Participant join(int port, String room, String identity) {
        WsTestClient ws = WsTestClient.connect(port, token(room, identity));
        try {
            JsonObject welcome = ws.next("welcome", (int) WELCOME_DEADLINE.toSeconds());
            return new Participant(room, welcome.getJsonObject("participant").getString("id"), ws, welcome);
        } catch (RuntimeException | Error e) {
            ws.abort();
            throw e;
        }
    }

    /**
     * Which node holds each participant of {@code room}, asking every live node's admin API
     * ({@code GET /admin/api/rooms/{room}}). A participant on two nodes (the bug cluster mode prevents) fails.
     */
    public Map<String, PrismNode> locate(String room) {
        Map<String, PrismNode> where = new LinkedHashMap<>();
        for (PrismNode node : liveNodes()) {
            JsonObject view = node.roomView(room);
            if (view == null) {
                continue;
            }
            JsonArray participants = view.getJsonArray("participants", new JsonArray());
            for (int i = 0; i < participants.size(); i++) {
                String id = participants.getJsonObject(i).getString("id");
                PrismNode before = where.put(id, node);
                if (before != null) {
                    throw new AssertionError("participant " + id + " of room " + room + " is on " + before.name()
                            + " and " + node.name());
                }
            }
        }
        return where;
    }

    /** The node holding participant {@code id} of {@code room}, if a live node has it. */
    public Optional<PrismNode> nodeOf(String room, String participantId) {
        return Optional.ofNullable(locate(room).get(participantId));
    }

    /** How many participants of {@code room} each live node holds (node name to count, nodes without any left out). */
    public Map<String, Integer> distribution(String room) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        locate(room).values().forEach(n -> counts.merge(n.name(), 1, Integer::sum));
        return counts;
    }

    /** Every node's log, then nginx's error log: for failure messages. */
    public String logs() {
        StringBuilder all = new StringBuilder("[bench] logs of " + dir + "\n");
        for (PrismNode node : nodes) {
            all.append(node.logText()).append('\n');
        }
        Path errorLog = dir.resolve("nginx/error.log");
        try {
            if (Files.exists(errorLog)) {
                all.append("--- ").append(errorLog).append(" ---\n").append(Files.readString(errorLog,
                        StandardCharsets.UTF_8)).append("--- end of nginx ---\n");
            }
        } catch (IOException e) {
            all.append("(nginx error log unreadable: ").append(e).append(")\n");
        }
        return all.toString();
    }

    /** Lines of the nodes' logs reporting a Netty buffer leak (a failure of whatever ran on the bench). */
    public List<String> leakReports() {
        List<String> leaks = new ArrayList<>();
        for (PrismNode node : nodes) {
            try {
                if (Files.exists(node.log())) {
                    Files.readAllLines(node.log(), StandardCharsets.UTF_8).stream().filter(l -> l.contains("LEAK:"))
                            .forEach(l -> leaks.add(node.name() + ": " + l));
                }
            } catch (IOException e) {
                leaks.add(node.name() + ": log unreadable: " + e);
            }
        }
        return leaks;
    }


    /**
     * PIDs of processes whose command line names this bench's directory ({@code pgrep -f}): nodes and nginx. Empty
     * after {@link #close()}.
     */
    public List<Long> processesOfBench() {
        return processes.byCommandLine();
    }

    /** A free loopback TCP port (for options the test adds per node, e.g. a cluster link port). */
    public static int freeTcpPort() {
        return BenchProcesses.freePort(new HashSet<>(), false);
    }

    /**
     * Kills every node (SIGKILL, in parallel), nginx and Redis, then checks that no process of the bench is left
     * ({@code pgrep -f}) and that no node logged a buffer leak. Idempotent.
     *
     * @throws AssertionError when a process survived (it is killed) or a node reported a leak
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Long> pids = new ArrayList<>();
        nodes.stream().filter(PrismNode::isAlive).forEach(n -> pids.add(n.pid()));
        for (PrismNode node : nodes) {
            long pid = node.pid();
            if (pid > 0) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // all at once, then wait each
            }
        }
        Throwable failure = null;
        for (PrismNode node : nodes) {
            try {
                node.destroy();
            } catch (Throwable e) {
                failure = add(failure, e);
            }
        }
        try {
            if (nginx != null) {
                pids.add(nginx.pid());
                nginx.close();
            }
        } catch (Throwable e) {
            failure = add(failure, e);
        }
        try {
            if (redis != null) {
                pids.add(redis.pid());
                redis.close();
            }
        } catch (Throwable e) {
            failure = add(failure, e);
        }
        List<Long> left = new ArrayList<>(processes.byCommandLine());
        pids.stream().filter(pid -> pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .filter(pid -> !left.contains(pid)).forEach(left::add);
        if (!left.isEmpty()) {
            left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            failure = add(failure, new AssertionError("processes of " + dir + " left after close (killed): " + left));
        }
        List<String> leaks = leakReports();
        if (!leaks.isEmpty()) {
            failure = add(failure, new AssertionError("buffer leaks reported by the nodes:\n"
                    + String.join("\n", leaks)));
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    private static Throwable add(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

}
