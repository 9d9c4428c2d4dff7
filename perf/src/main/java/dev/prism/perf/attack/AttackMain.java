package dev.prism.perf.attack;

import dev.prism.perf.load.PrismTarget;
import dev.prism.perf.report.MachineInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code perf/run attack [--scale F] [--only a,b] [--out DIR]}: runs each attack against a fresh Prism process in
 * turn, with a bystander pinging throughout, and prints per attack: what the node did, the bystander's ping round
 * trips during the attack against the quiet baseline, the heap after a full GC and the admin node snapshot's size.
 * {@code --scale} multiplies every count (0.01 for a smoke run). Bounded: every attack has a count and a deadline.
 */
public final class AttackMain {
    private AttackMain() {
    }

    public static void main(String[] args) throws Exception {
        double scale = 1.0;
        List<String> only = List.of();
        Path out = Path.of("perf/results");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scale" -> scale = Double.parseDouble(args[++i]);
                case "--only" -> only = List.of(args[++i].split(","));
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: perf/run attack [--scale F] [--only name,name] [--out DIR]");
                    System.exit(2);
                }
            }
        }
        List<Attack> attacks = new ArrayList<>();
        for (Attack a : List.of(
                SignalingFloods.unknownTypes(count(20_000, scale), 5_000),
                SignalingFloods.malformed(count(100_000, scale)),
                SignalingFloods.oversize(300 * 1024),
                SignalingFloods.oversize(50 * 1024 * 1024),
                HttpHolds.idle(count(3_000, scale), 100),
                HttpHolds.slowloris(count(500, scale), 60))) {
            if (only.isEmpty() || only.contains(a.name())) {
                attacks.add(a);
            }
        }
        JsonObject result = run(attacks, out);
        System.out.println(result.getString("table"));
        System.exit(0);
    }

    private static int count(int full, double scale) {
        return Math.max(1, (int) Math.round(full * scale));
    }

    static JsonObject run(List<Attack> attacks, Path out) throws Exception {
        Files.createDirectories(out.resolve("tmp"));
        byte[] s = new byte[24];
        new SecureRandom().nextBytes(s);
        String adminSecret = HexFormat.of().formatHex(s);
        HttpClient http = HttpClient.newHttpClient();
        StringBuilder table = new StringBuilder(MachineInfo.describe()).append('\n');
        JsonArray rows = new JsonArray();
        try (PrismTarget node = new PrismTarget(List.of("-Xms256m", "-Xmx512m", "-XX:+UseZGC",
                "--add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED"),
                List.of("--admin-secret", adminSecret), out.resolve("tmp"))) {
            node.start();
            Attack.Node target = new Attack.Node() {
                @Override
                public HttpClient http() {
                    return http;
                }

                @Override
                public int httpPort() {
                    return node.httpPort();
                }

                @Override
                public String token(String room, String identity) {
                    return node.token(room, identity);
                }
            };
            try (PingProbe bystander = new PingProbe(http, node.httpPort(), node.token("calm", "bystander"))) {
                Thread.sleep(5_000); // the quiet baseline: a fixed window of pings, not a wait for a condition
                PingProbe.Window quiet = bystander.takeWindow();
                long heap0 = node.jvm().heapUsedAfterGc();
                long admin0 = adminBytes(http, node.httpPort(), adminSecret);
                table.append(String.format("quiet: %s; heap after full GC %.1f MB; admin node %d B%n",
                        quiet.describe(), heap0 / 1e6, admin0));
                rows.add(new JsonObject().put("attack", "quiet").put("pingP50Ms", quiet.p50())
                        .put("pingP99Ms", quiet.p99()).put("heapAfterGcBytes", heap0).put("adminNodeBytes", admin0));
                for (Attack a : attacks) {
                    bystander.takeWindow();
                    String outcome = a.run(target);
                    PingProbe.Window during = bystander.takeWindow();
                    node.jvm().heapUsedAfterGc();
                    Thread.sleep(1_000); // what a closed socket still held is let go of: retained heap, not in flight
                    long heap = node.jvm().heapUsedAfterGc();
                    long admin = adminBytes(http, node.httpPort(), adminSecret);
                    table.append(String.format("%-14s %s%n               bystander %s (x%.1f p99 of quiet)%n"
                                    + "               heap after full GC %.1f MB (%+.1f %% of quiet); admin node %d B;"
                                    + " bystander socket %s%n", a.name(), outcome, during.describe(),
                            during.p99() / quiet.p99(), heap / 1e6, 100.0 * (heap - heap0) / heap0, admin,
                            bystander.open() ? "open" : "CLOSED"));
                    rows.add(new JsonObject().put("attack", a.name()).put("outcome", outcome)
                            .put("pingP50Ms", during.p50()).put("pingP99Ms", during.p99())
                            .put("pingMaxMs", during.max()).put("pingsAnswered", during.answered())
                            .put("pingsSent", during.sent()).put("heapAfterGcBytes", heap)
                            .put("adminNodeBytes", admin));
                }
            }
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        JsonObject result = new JsonObject().put("rows", rows).put("table", table.toString());
        Files.writeString(out.resolve("attack-" + stamp + ".json"), result.encodePrettily());
        Files.writeString(out.resolve("attack-" + stamp + ".txt"), table.toString());
        return result;
    }

    private static long adminBytes(HttpClient http, int port, String secret) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/admin/api/node")).header("Authorization", "Bearer " + secret)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        return r.statusCode() == 200 ? r.body().length : -r.statusCode();
    }
}
