package dev.prism.perf.load;

import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import dev.prism.webhooks.WebhookSigner;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Webhook delivery latency of a cold node (issue #16's target: p99 under 1 s after the event, loopback, healthy
 * receiver). Starts a receiver (a Vert.x HTTP server on loopback that checks each signature and each room's seq order
 * and answers 200 at once), then a fresh node ({@code dev.prism.server.Main} in its own JVM, so its first delivery is
 * really its first) posting to it, and drives participants over real signaling WebSockets: two join one room, one
 * publishes (microphone + camera), both leave; then {@code rounds} times a participant joins a room of its own,
 * publishes and leaves, each round after the previous one's {@code room_finished} arrived. Prints p50/p90/p99/max of
 * event {@code createdAt} to arrival over every event, the first included, the first few events' own figures, and the
 * node's per-attempt timing lines (debug) for them. Usage: {@code perf/run webhooks [--rounds 20]}.
 */
public final class WebhookBench {
    private static final String HOST = "127.0.0.1";
    private static final String SECRET = "perf-webhook-api-secret-0123456789abcdef";
    private static final String ADMIN = "perf-webhook-admin-secret-0123456789abcd";
    private static final Pattern ATTEMPT = Pattern.compile("webhook .* seq=\\d+ attempt=");

    private record Received(String roomSid, String room, long seq, String type, long createdAt, long receivedAt) {
        long latency() {
            return receivedAt - createdAt;
        }
    }

    private final List<Received> received = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Long> lastSeq = new HashMap<>();

    public static void main(String[] args) throws Exception {
        int rounds = 20;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds") && i + 1 < args.length) {
                rounds = Integer.parseInt(args[++i]);
            } else {
                System.err.println("perf/run webhooks [--rounds N]   (default 20)");
                System.exit(2);
            }
        }
        new WebhookBench().run(rounds);
    }

    private void run(int rounds) throws Exception {
        Path dir = Path.of("perf/results/tmp");
        Files.createDirectories(dir);
        String offer;
        try (InputStream in = WebhookBench.class.getResourceAsStream("/webhooks/publish-offer.sdp")) {
            offer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpServer receiver = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
                long at = System.currentTimeMillis();
                if (req.path().equals("/hooks")) {
                    record(req.getHeader(WebhookSigner.SIGNATURE_HEADER), body.toString(), at);
                }
                req.response().setStatusCode(200).end();
            })).listen(0, HOST).await(10, TimeUnit.SECONDS);
            warm(http, receiver.actualPort());
            int httpPort = ServerProcess.freeTcpPort();
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString(), "--add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED",
                    "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                    "-Dorg.slf4j.simpleLogger.log.dev.prism.webhooks.WebhookDispatcher=debug",
                    "-cp", System.getProperty("java.class.path"), "dev.prism.server.Main",
                    "--http-host", HOST, "--http-port", Integer.toString(httpPort),
                    "--udp-port", Integer.toString(ServerProcess.freeUdpPort(HOST)), "--bind", HOST, "--advertise",
                    HOST, "--media-threads", "1", "--api-secret", SECRET, "--admin-secret", ADMIN,
                    "--webhook-url", "http://" + HOST + ":" + receiver.actualPort() + "/hooks",
                    "--webhook-allow-private"));
            Path log = dir.resolve("webhooks-node.log");
            long total;
            try (ServerProcess node = ServerProcess.start(cmd, log, ATTEMPT)) {
                node.awaitHttp(http, URI.create("http://" + HOST + ":" + httpPort + "/readyz"), Duration.ofSeconds(60));
                total = drive(http, httpPort, offer, rounds);
                awaitReceived(total, 30);
                report(rounds, node);
            }
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A healthy receiver is a warm one: its HTTP server has answered before (only the node is meant to be cold).
     * Posts to a path the receiver does not record.
     */
    private static void warm(HttpClient http, int port) throws IOException, InterruptedException {
        for (int i = 0; i < 200; i++) {
            http.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + "/warm"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"warm\":" + i + "}")).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    /** Runs the scenario; returns how many events it makes. */
    private long drive(HttpClient http, int port, String offer, int rounds) throws Exception {
        try (WebhookBenchClient alice = join(http, port, "bench", "alice");
             WebhookBenchClient bob = join(http, port, "bench", "bob")) {
            publish(alice, offer);
            bob.send(new JsonObject().put("type", "leave"));
            alice.send(new JsonObject().put("type", "leave"));
        }
        long events = 10; // started, 2 joined, 2 published, left, 2 unpublished, left, finished
        awaitReceived(events, 30);
        for (int r = 0; r < rounds; r++) {
            try (WebhookBenchClient c = join(http, port, "bench-" + r, "p" + r)) {
                publish(c, offer);
                c.send(new JsonObject().put("type", "leave"));
            }
            events += 8; // started, joined, 2 published, 2 unpublished, left, finished
            awaitReceived(events, 30);
        }
        return events;
    }

    private static WebhookBenchClient join(HttpClient http, int port, String room, String identity)
            throws InterruptedException {
        TokenService ts = new TokenService(SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        WebhookBenchClient c = new WebhookBenchClient(http, port,
                ts.issue(new AccessToken(room, identity, identity, true, true, now, now + 600)));
        c.next("welcome", 20);
        return c;
    }

    private static void publish(WebhookBenchClient c, String offer) throws InterruptedException {
        c.send(new JsonObject().put("type", "publishOffer").put("requestId", "p1").put("sdp", offer)
                .put("tracks", new JsonArray().add(new JsonObject().put("mid", "0").put("source", "microphone"))
                        .add(new JsonObject().put("mid", "1").put("source", "camera"))));
        c.next("publishAnswer", 20);
    }

    private synchronized void record(String signature, String body, long at) {
        if (!WebhookSigner.verify(SECRET, signature, body, at / 1000, 60)) {
            problems.add("bad signature: " + body);
        }
        JsonObject e = new JsonObject(body);
        Received r = new Received(e.getString("roomSid"), e.getString("room"), e.getLong("seq"),
                e.getString("event"), e.getLong("createdAt"), at);
        Long last = lastSeq.put(r.roomSid(), r.seq());
        if (r.seq() != (last == null ? 1 : last + 1)) {
            problems.add("room " + r.room() + ": seq " + r.seq() + " after " + last);
        }
        received.add(r);
        notifyAll();
    }

    private synchronized void awaitReceived(long n, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (received.size() < n) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new IllegalStateException("only " + received.size() + " of " + n + " events within " + seconds
                        + " s");
            }
            wait(left);
        }
    }

    private synchronized void report(int rounds, ServerProcess node) throws IOException, InterruptedException {
        List<Long> all = received.stream().map(Received::latency).sorted().toList();
        StringBuilder out = new StringBuilder();
        out.append(String.format("webhook delivery on loopback, cold node, healthy receiver: %d events (2 participants"
                + " in one room, then %d rounds of join/publish/leave)%n", all.size(), rounds));
        out.append(String.format("latency event createdAt -> received (ms), every event incl. the node's first:"
                        + " p50 %d  p90 %d  p99 %d  max %d%n", pct(all, 50), pct(all, 90), pct(all, 99),
                all.get(all.size() - 1)));
        List<Long> rest = received.subList(2, received.size()).stream().map(Received::latency).sorted().toList();
        out.append(String.format("without the first two events: p50 %d  p90 %d  p99 %d  max %d%n", pct(rest, 50),
                pct(rest, 90), pct(rest, 99), rest.get(rest.size() - 1)));
        out.append("first events:\n");
        for (Received r : received.subList(0, Math.min(4, received.size()))) {
            out.append(String.format("  %s seq %d %s: %d ms%n", r.room(), r.seq(), r.type(), r.latency()));
        }
        out.append("the node's timing of its first attempts (ms after createdAt):\n");
        for (int i = 0; i < Math.min(4, node.watchedLines()); i++) {
            final int at = i;
            String line = node.awaitLine(i, l -> true, Duration.ofSeconds(1), "attempt line " + at);
            out.append("  ").append(line.substring(line.indexOf("webhook "))).append('\n');
        }
        out.append(problems.isEmpty() ? "order and signatures: all good\n" : "PROBLEMS: " + problems + "\n");
        System.out.print(out);
        Path file = Path.of("perf/results/webhooks-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".txt");
        Files.writeString(file, out.toString());
        System.out.println("written to " + file);
        if (!problems.isEmpty()) {
            System.exit(1);
        }
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get((int) Math.ceil(sorted.size() * p / 100.0) - 1);
    }
}
