package dev.prism.perf.load;

import dev.prism.perf.report.MachineInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
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
        startWatchdog(options.warmupSeconds() + options.seconds() + 300);
        Path out = options.out();
        Files.createDirectories(out);
        Path work = out.resolve("tmp");
        Files.createDirectories(work);
        Target target = options.target().equals("janus") ? new JanusTarget(work) : new PrismTarget(options.serverJvm(),
                work);
        LoadResult result = new LoadRun(options, target, m -> System.out.println("load: " + m)).run();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String base = "load-" + target.name() + "-" + options.scenario() + "-" + stamp;
        Files.writeString(out.resolve(base + ".json"), result.toJson().encodePrettily() + "\n");
        String text = MachineInfo.describe() + "\n" + result.table();
        Files.writeString(out.resolve(base + ".txt"), text);
        System.out.println();
        System.out.println(text);
        System.out.println("results: " + out.resolve(base + ".json"));
        System.exit(0);
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
