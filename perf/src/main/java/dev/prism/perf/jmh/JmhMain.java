package dev.prism.perf.jmh;

import dev.prism.perf.report.MachineInfo;
import dev.prism.perf.report.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@code perf/run jmh [JMH options]}: runs Prism's benchmarks (all of {@code dev.prism.perf.jmh} unless a pattern is
 * given) with the GC profiler, writes JMH's JSON to {@code perf/results/jmh-<time>.json} and prints one table with
 * time and allocation per operation, and per forwarded packet for {@link ForwardingBenchmark}.
 *
 * <p>Any JMH command-line option works ({@code -f}, {@code -wi}, {@code -i}, {@code -p receivers=10}, ...).
 */
public final class JmhMain {
    private JmhMain() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        CommandLineOptions cli;
        try {
            cli = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("jmh: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (cli.shouldHelp()) {
            cli.showHelp();
            return;
        }
        Path dir = Path.of(System.getProperty("prism.perf.results", "perf/results"));
        Files.createDirectories(dir);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path json = dir.resolve("jmh-" + stamp + ".json");
        ChainedOptionsBuilder options = new OptionsBuilder().parent(cli)
                .addProfiler(GCProfiler.class)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString());
        if (cli.getIncludes().isEmpty()) {
            options.include(JmhMain.class.getPackageName() + "\\..*Benchmark");
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        String table = table(results);
        System.out.println();
        System.out.println(MachineInfo.describe());
        System.out.println(table);
        Files.writeString(dir.resolve("jmh-" + stamp + ".txt"), MachineInfo.describe() + "\n" + table);
        System.out.println("JMH JSON: " + json);
    }

    static String table(Collection<RunResult> results) {
        Table t = new Table("benchmark", "params", "ns/op", "+-", "B/op", "ns/fwd", "B/fwd");
        List<RunResult> sorted = new ArrayList<>(results);
        for (RunResult r : sorted) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            StringBuilder params = new StringBuilder();
            int receivers = 0;
            for (String key : r.getParams().getParamsKeys()) {
                String v = r.getParams().getParam(key);
                params.append(params.length() == 0 ? "" : " ").append(key).append('=').append(v);
                if (key.equals("receivers")) {
                    receivers = Integer.parseInt(v);
                }
            }
            Result<?> primary = r.getPrimaryResult();
            double bytes = allocNorm(r.getSecondaryResults());
            boolean perForward = receivers > 0 && !name.endsWith("browserEncrypt");
            t.row(name, params.toString(), fmt(primary.getScore()), fmt(primary.getScoreError()), fmt(bytes),
                    perForward ? fmt(primary.getScore() / receivers) : "",
                    perForward ? fmt(bytes / receivers) : "");
        }
        return t.render();
    }

    /** JMH hands secondary results out as a raw-typed map. */
    private static double allocNorm(Map<String, ?> secondary) {
        for (Map.Entry<String, ?> e : secondary.entrySet()) {
            if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                return ((Result<?>) e.getValue()).getScore();
            }
        }
        return Double.NaN;
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v >= 100 ? String.format("%.0f", v) : String.format("%.1f", v);
    }
}
