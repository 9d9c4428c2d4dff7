package dev.prism.perf.load;

import dev.prism.perf.report.MachineInfo;
import dev.prism.perf.report.Table;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code perf/run load --scenario 4x10 --seconds 30}: one load run against a server started for it, printed as a
 * table and written to {@code perf/results/load-<target>-<scenario>-<time>.json} (and {@code .txt}).
 *
 * <p>Bounded: a watchdog ends the process (and with it the server, through a shutdown hook) if the run overruns its
 * warm-up + window by more than five minutes.
 */
public final class LoadMain {
    private LoadMain() {
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(e.getMessage().startsWith("perf/run load") ? 0 : 2);
            return;
        }
        int runs = options.target().equals("both") ? 2 : options.legs().size();
        startWatchdog(runs * (options.warmupSeconds() + options.seconds() + 60L) + 240L);
        Path out = options.out();
        Files.createDirectories(out);
        Path work = out.resolve("tmp");
        Files.createDirectories(work);
        String stamp = (options.media().videoKbps() == MediaProfile.DEFAULT.videoKbps() ? ""
                : options.media().videoKbps() + "k-")
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        if (options.transport().equals("both")) {
            Target target = new PrismTarget(options.serverJvm(), options.serverArgs(), work);
            List<LoadResult> legs = new LoadRun(options, target,
                    m -> System.out.println("load: prism: " + m)).runLegs();
            TransportComparison c = new TransportComparison(legs);
            JsonArray each = new JsonArray();
            StringBuilder text = new StringBuilder(MachineInfo.describe()).append('\n');
            for (LoadResult r : legs) {
                each.add(r.toJson());
                text.append(r.table()).append('\n');
            }
            write(out, "transport-" + options.scenario() + "-" + stamp,
                    c.toJson().put("scenario", options.scenario()).put("results", each),
                    text.append(c.table()).toString());
        } else if (options.target().equals("both")) {
            LoadResult prism = run(options.withTarget("prism", options.floor()), work);
            LoadResult janus = run(options.withTarget("janus", false), work);
            String base = "compare-" + options.scenario() + "-" + stamp;
            JsonObject j = new JsonObject().put("scenario", options.scenario())
                    .put("prismToJanusCpu", ratio(prism, janus))
                    .put("prism", prism.toJson()).put("janus", janus.toJson());
            write(out, base, j, MachineInfo.describe() + "\n" + prism.table() + "\n" + janus.table() + "\n"
                    + compare(prism, janus));
        } else {
            LoadResult result = run(options, work);
            String base = "load-" + result.target() + "-" + options.scenario() + "-" + stamp;
            write(out, base, result.toJson(), MachineInfo.describe() + "\n" + result.table());
        }
        System.exit(0);
    }

    private static LoadResult run(LoadOptions options, Path work) throws Exception {
        Target target = options.target().equals("janus") ? new JanusTarget(work)
                : new PrismTarget(options.serverJvm(), options.serverArgs(), work);
        return new LoadRun(options, target, m -> System.out.println("load: " + options.target() + ": " + m)).run();
    }

    private static void write(Path out, String base, JsonObject json, String text) throws java.io.IOException {
        Files.writeString(out.resolve(base + ".json"), json.encodePrettily() + "\n");
        Files.writeString(out.resolve(base + ".txt"), text);
        System.out.println();
        System.out.println(text);
        System.out.println("results: " + out.resolve(base + ".json"));
    }

    private static Double ratio(LoadResult prism, LoadResult janus) {
        double r = prism.serverCpuMicrosPerForward() / janus.serverCpuMicrosPerForward();
        return Double.isNaN(r) || Double.isInfinite(r) ? null : Math.round(r * 100) / 100.0;
    }

    /** Prism and Janus side by side on the figures both have. */
    static String compare(LoadResult prism, LoadResult janus) {
        Table t = new Table("metric", "prism", "janus", "target");
        t.row("forwarded packets/s", f(prism.forwardedPerSecond(), 0), f(janus.forwardedPerSecond(), 0), "");
        t.row("probe/padding packets/s", f(prism.probePaddingPerSecond(), 0),
                f(janus.probePaddingPerSecond(), 0), "");
        t.row("server CPU us/forwarded", f(prism.serverCpuMicrosPerForward(), 2),
                f(janus.serverCpuMicrosPerForward(), 2), "");
        t.row("server CPU us/datagram sent", f(prism.serverCpuMicrosPerDatagram(), 2),
                f(janus.serverCpuMicrosPerDatagram(), 2), "");
        Double r = ratio(prism, janus);
        t.row("prism / janus CPU", r == null ? "n/a" : f(r, 2), "", "<= 0.7");
        t.row("latency p50 ms", f(prism.latencyMillis(50), 3), f(janus.latencyMillis(50), 3), "");
        t.row("latency p99 ms", f(prism.latencyMillis(99), 3), f(janus.latencyMillis(99), 3), "");
        t.row("latency p99.9 ms", f(prism.latencyMillis(99.9), 3), f(janus.latencyMillis(99.9), 3), "");
        t.row("loss %", f(prism.lossPercent(), 3), f(janus.lossPercent(), 3), "");
        t.row("RSS per participant KiB", f(prism.rssPerParticipantKiB(), 0), f(janus.rssPerParticipantKiB(), 0), "");
        t.row("SRTP negotiated", prism.srtpProfiles(), janus.srtpProfiles(), "");
        return "side by side\n" + t.render();
    }

    private static String f(double v, int decimals) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format("%." + decimals + "f", v);
    }

    private static void startWatchdog(long seconds) {
        Thread t = new Thread(() -> {
            try {
                TimeUnit.SECONDS.sleep(seconds);
                System.err.println("load: run exceeded " + seconds + " s; stopping");
                System.exit(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "load-watchdog");
        t.setDaemon(true);
        t.start();
    }
}
