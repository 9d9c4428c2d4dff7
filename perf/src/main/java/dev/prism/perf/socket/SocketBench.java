package dev.prism.perf.socket;

import dev.prism.perf.report.MachineInfo;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.Native;
import io.netty.util.Version;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code perf/run sockets}: measures the UDP socket paths Prism's media loop could use, side by side on loopback
 * with Netty epoll, and writes {@code perf/results/sockets-<time>.json} and {@code .txt}.
 *
 * <p>Bounded: every case run has a window in time and datagrams, every wait a deadline, and a watchdog ends the
 * process if the whole run overruns its estimate by two minutes. Traffic goes only to 127.0.0.1.
 */
public final class SocketBench {
    private SocketBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(e.getMessage().startsWith("perf/run sockets") ? 0 : 2);
            return;
        }
        if (!Epoll.isAvailable()) {
            System.err.println("sockets: needs Netty's native epoll transport (Linux): " + Epoll.unavailabilityCause());
            System.exit(2);
            return;
        }
        List<BenchCase> cases = o.cases();
        if (cases.isEmpty()) {
            System.err.println("sockets: no case matches --only " + o.only());
            System.exit(2);
            return;
        }
        double estimate = o.estimatedSeconds(cases.size());
        startWatchdog((long) estimate + 120);
        System.out.printf(Locale.ROOT, "sockets: %d cases x %d rounds, about %.0f s%n", cases.size(), o.rounds(),
                estimate);
        JsonObject machineBefore = new JsonObject(MachineInfo.facts());
        Report report = run(cases, o, PooledByteBufAllocator.DEFAULT, System.out::println);

        String text = MachineInfo.describe() + "\n" + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                + " " + summary(o) + "\n\n" + report.table() + "\n" + report.notes();
        JsonObject json = new JsonObject()
                .put("benchmark", "sockets")
                .put("date", OffsetDateTime.now().toString())
                .put("machine", new JsonObject(MachineInfo.facts()))
                .put("loadAverageBefore", machineBefore.getString("loadAverage"))
                .put("netty", netty())
                .put("options", options(o))
                .mergeIn(report.toJson());
        Files.createDirectories(o.out());
        String base = "sockets-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path jsonFile = o.out().resolve(base + ".json");
        Files.writeString(jsonFile, json.encodePrettily() + "\n");
        Files.writeString(o.out().resolve(base + ".txt"), text);
        System.out.println();
        System.out.println(text);
        System.out.println("results: " + jsonFile);
        System.exit(0);
    }

    /**
     * Runs the optional warm-up pass and the rounds (odd rounds in order, even rounds reversed) and collects the
     * results. {@code progress} gets a line per case run.
     */
    static Report run(List<BenchCase> cases, BenchOptions o, ByteBufAllocator alloc, Consumer<String> progress)
            throws Exception {
        Report report = new Report(cases);
        long max = o.maxDatagrams();
        if (o.warmupPass()) {
            CaseRunner.Budget pass = new CaseRunner.Budget(0, nanos(BenchOptions.PASS_SECONDS), max);
            for (BenchCase c : cases) {
                CaseRunner.run(c, 0, pass, alloc);
            }
            progress.accept("sockets: warm-up pass done");
        }
        CaseRunner.Budget budget = new CaseRunner.Budget(nanos(o.warmupSeconds()), nanos(o.seconds()), max);
        for (int round = 1; round <= o.rounds(); round++) {
            List<BenchCase> order = new ArrayList<>(cases);
            if (round % 2 == 0) {
                Collections.reverse(order);
            }
            for (BenchCase c : order) {
                RoundResult r;
                try {
                    r = CaseRunner.run(c, round, budget, alloc);
                } catch (Exception e) {
                    // One broken case (a port in use, say) must not cost the other cases' results.
                    r = RoundResult.unsupported(c.name(), round, "failed: " + e);
                }
                report.add(r);
                progress.accept(r.unsupported() != null
                        ? String.format(Locale.ROOT, "sockets: round %d %-34s not run: %s", round, c.name(),
                                r.unsupported())
                        : String.format(Locale.ROOT,
                                "sockets: round %d %-34s %8.0f dg/s  loop %6.2f us/dg  process %6.2f us/dg  lost %d",
                                round, c.name(), r.datagramsPerSecond(), r.loopCpuUs(), r.processCpuUs(), r.lost()));
            }
        }
        return report;
    }

    private static String summary(BenchOptions o) {
        return String.format(Locale.ROOT, "perf/run sockets: %d rounds, %.1f s windows after %.1f s warm-up, "
                        + "%d-byte datagrams, K=%d receivers, send %.0f dg/s, S=%d clients",
                o.rounds(), o.seconds(), o.warmupSeconds(), BenchOptions.DATAGRAM_BYTES, o.receivers(),
                o.sendRate(), o.senders());
    }

    private static JsonObject netty() {
        Version v = Version.identify().get("netty-transport-classes-epoll");
        return new JsonObject()
                .put("version", v == null ? "unknown" : v.artifactVersion())
                .put("epoll", Epoll.isAvailable())
                .put("sendmmsg", Native.IS_SUPPORTING_SENDMMSG)
                .put("udpSegment", EpollDatagramChannel.isSegmentedDatagramPacketSupported())
                .put("leakDetection", System.getProperty("io.netty.leakDetection.level", "default (simple)"));
    }

    private static JsonObject options(BenchOptions o) {
        return new JsonObject().put("rounds", o.rounds()).put("seconds", o.seconds())
                .put("warmupSeconds", o.warmupSeconds()).put("warmupPass", o.warmupPass())
                .put("receivers", o.receivers()).put("sendRate", o.sendRate())
                .put("recvRates", o.recvRates()).put("senders", o.senders()).put("flushBatches", o.flushBatches())
                .put("gsoSegments", o.gsoSegments()).put("recvmmsgBatch", o.recvmmsgBatch())
                .put("maxDatagrams", o.maxDatagrams()).put("only", o.only())
                .put("datagramBytes", BenchOptions.DATAGRAM_BYTES);
    }

    private static long nanos(double seconds) {
        return (long) (seconds * 1e9);
    }

    private static void startWatchdog(long seconds) {
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sockets-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.schedule(() -> {
            System.err.println("sockets: run exceeded " + seconds + " s; stopping");
            System.exit(3);
        }, seconds, TimeUnit.SECONDS);
    }
}
