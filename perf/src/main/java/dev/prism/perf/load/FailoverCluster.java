package dev.prism.perf.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code perf/run failover} runs on: a {@code redis-server}, three Prism nodes in cluster mode (each
 * {@code dev.prism.server.Main} in its own JVM from this class path, media on loopback, one media thread) and an nginx
 * in front of them (round robin, WebSocket upgrade), all child processes killed on {@link #close()} and by shutdown
 * hooks ({@link ServerProcess}). Each wait is for what the process prints when it happened (Redis and nginx listening,
 * a node's registry view changing), with a deadline.
 *
 * <p>Not thread-safe: the bench's main thread drives it.
 */
final class FailoverCluster implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final Duration READY = Duration.ofSeconds(60);
    private static final Duration LISTENING = Duration.ofSeconds(15);
    private static final Duration VIEW = Duration.ofSeconds(20);
    /** What a node logs when its registry view changes ({@code NodeRegistry}). */
    private static final Pattern LIVE_NODES = Pattern.compile("cluster: node \\S+ sees (\\d+) live nodes: (.*)$");

    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String apiSecret = "perf-api-" + randomHex();
    private final String adminSecret = "perf-admin-" + randomHex();
    private final String clusterSecret = "perf-cluster-" + randomHex();
    private final List<Node> nodes = new ArrayList<>();
    private ServerProcess redis;
    private ServerProcess nginx;
    private int redisPort;
    private int nginxPort;

    /** One Prism node: its fixed ports and its current process. */
    static final class Node {
        final String name;
        final int httpPort;
        final int udpPort;
        ServerProcess process;

        Node(String name, int httpPort, int udpPort) {
            this.name = name;
            this.httpPort = httpPort;
            this.udpPort = udpPort;
        }
    }

    FailoverCluster(Path dir) {
        this.dir = dir.toAbsolutePath(); // nginx resolves relative paths against its prefix
    }

    /** Starts Redis, the nodes (at once) and nginx; waits for each. */
    void start(int nodeCount) throws Exception {
        Files.createDirectories(dir);
        redisPort = ServerProcess.freeTcpPort();
        redis = ServerProcess.start(List.of("redis-server", "--port", Integer.toString(redisPort), "--bind", HOST,
                "--save", "", "--appendonly", "no"), dir.resolve("redis.log"),
                Pattern.compile("Ready to accept connections"));
        redis.awaitLine(0, line -> true, LISTENING, "redis-server on port " + redisPort + " ready");
        for (int n = 1; n <= nodeCount; n++) {
            nodes.add(new Node("node-" + n, ServerProcess.freeTcpPort(), ServerProcess.freeUdpPort(HOST)));
        }
        for (Node node : nodes) {
            launch(node);
        }
        for (Node node : nodes) {
            awaitReady(node);
        }
        startNginx();
        for (Node node : nodes) {
            awaitAllLive(node, 0);
        }
    }

    private void launch(Node node) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "dev.prism.server.Main",
                "--http-host", HOST, "--http-port", Integer.toString(node.httpPort),
                "--udp-port", Integer.toString(node.udpPort), "--bind", HOST, "--advertise", HOST,
                "--media-threads", "1", "--shutdown-grace", "2",
                "--api-secret", apiSecret, "--admin-secret", adminSecret,
                "--redis", "redis://" + HOST + ":" + redisPort, "--node-id", node.name, "--cluster-port", "0",
                "--cluster-secret", clusterSecret));
        node.process = ServerProcess.start(cmd, dir.resolve(node.name + ".log"), LIVE_NODES);
    }

    private void awaitReady(Node node) throws InterruptedException {
        node.process.awaitHttp(http, URI.create("http://" + HOST + ":" + node.httpPort + "/readyz"), READY);
    }

    private void startNginx() throws Exception {
        nginxPort = ServerProcess.freeTcpPort();
        StringBuilder upstream = new StringBuilder();
        for (Node n : nodes) {
            upstream.append("    server ").append(HOST).append(':').append(n.httpPort)
                    .append(" max_fails=0;\n");
        }
        Path temp = Files.createDirectories(dir.resolve("nginx"));
        String conf = """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log stderr notice;
                events { worker_connections 1024; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body; proxy_temp_path %1$s/proxy; fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi; scgi_temp_path %1$s/scgi;
                  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
                  upstream prism {
                %2$s  }
                  server {
                    listen %3$s:%4$d;
                    location / {
                      proxy_pass http://prism;
                      proxy_http_version 1.1;
                      proxy_set_header Upgrade $http_upgrade;
                      proxy_set_header Connection $connection_upgrade;
                      proxy_connect_timeout 1s;
                      proxy_next_upstream error timeout;
                      proxy_read_timeout 3600s;
                    }
                  }
                }
                """.formatted(temp, upstream, HOST, nginxPort);
        Path file = temp.resolve("nginx.conf");
        Files.writeString(file, conf);
        // its master prints this at notice level once the listening sockets are open, before the workers start
        nginx = ServerProcess.start(List.of("nginx", "-p", temp.toString(), "-c", file.toString()),
                dir.resolve("nginx.out"), Pattern.compile("start worker processes"));
        nginx.awaitLine(0, line -> true, LISTENING, "nginx on port " + nginxPort + " listening");
    }

    String apiSecret() {
        return apiSecret;
    }

    /** {@code ws://127.0.0.1:<nginx>/ws}. */
    String nginxWs() {
        return "ws://" + HOST + ":" + nginxPort + "/ws";
    }

    HttpClient http() {
        return http;
    }

    List<Node> nodes() {
        return nodes;
    }

    private List<Node> live() {
        return nodes.stream().filter(n -> n.process.isAlive()).toList();
    }

    /** {@code GET /admin/api/cluster} on the first live node. */
    JsonObject clusterView() throws Exception {
        Node n = live().get(0);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + n.httpPort
                        + "/admin/api/cluster")).header("Authorization", "Bearer " + adminSecret)
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /admin/api/cluster on " + n.name + ": " + r.statusCode());
        }
        return new JsonObject(r.body());
    }

    /** The bench node owning {@code room} now (its registry id is {@code <name>-<hex>}), or null. */
    Node ownerOf(String room) throws Exception {
        JsonArray rooms = clusterView().getJsonArray("rooms", new JsonArray());
        for (int i = 0; i < rooms.size(); i++) {
            JsonObject r = rooms.getJsonObject(i);
            if (room.equals(r.getString("room"))) {
                for (Node n : nodes) {
                    if (r.getString("node", "").startsWith(n.name + "-")) {
                        return n;
                    }
                }
            }
        }
        return null;
    }

    /** SIGKILL, at once. */
    void kill9(Node node) {
        ProcessHandle.of(node.process.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Starts a killed node again on its ports and waits until every node sees all nodes live. */
    void restart(Node node) throws Exception {
        try {
            ProcessHandle.of(node.process.pid()).ifPresent(h -> {
                try {
                    h.onExit().get(10, TimeUnit.SECONDS);
                } catch (InterruptedException | ExecutionException | TimeoutException e) {
                    throw new IllegalStateException(node.name + " (pid " + h.pid() + ") still running 10 s after "
                            + "SIGKILL: " + e, e);
                }
            });
        } finally {
            node.process.close();
        }
        List<Node> others = nodes.stream().filter(n -> n != node).toList();
        int[] marks = others.stream().mapToInt(n -> n.process.watchedLines()).toArray();
        launch(node);
        awaitReady(node);
        awaitAllLive(node, 0);
        for (int i = 0; i < others.size(); i++) {
            awaitAllLive(others.get(i), marks[i]);
        }
    }

    /**
     * Waits until {@code node} logs, after its first {@code mark} view lines, a view with every bench node live once
     * (a restarted node has a new id under the same name; its previous one must have expired).
     */
    private void awaitAllLive(Node node, int mark) throws InterruptedException {
        node.process.awaitLine(mark, this::allLive, VIEW, node.name + " seeing all " + nodes.size() + " nodes live");
    }

    private boolean allLive(String viewLine) {
        Matcher m = LIVE_NODES.matcher(viewLine);
        if (!m.find() || Integer.parseInt(m.group(1)) != nodes.size()) {
            return false;
        }
        List<String> ids = List.of(m.group(2).trim().split(" "));
        return nodes.stream().allMatch(n -> ids.stream().filter(id -> id.startsWith(n.name + "-")).count() == 1);
    }

    /** Kills every process (nodes, nginx, Redis); never throws. */
    @Override
    public void close() {
        for (Node n : nodes) {
            if (n.process != null) {
                n.process.close();
            }
        }
        if (nginx != null) {
            nginx.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static String randomHex() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
