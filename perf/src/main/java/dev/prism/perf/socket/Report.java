package dev.prism.perf.socket;

import dev.prism.perf.report.Table;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The results of a run: every case's rounds, as one table (one row per case; the CPU figures show each round,
 * so the machine's noise shows) with notes, and as JSON. Cases compare with their baseline by the mean over rounds.
 * Measuring thread only.
 */
final class Report {
    private final List<BenchCase> cases;
    private final Map<String, List<RoundResult>> byCase = new LinkedHashMap<>();

    Report(List<BenchCase> cases) {
        this.cases = List.copyOf(cases);
        for (BenchCase c : cases) {
            byCase.put(c.name(), new ArrayList<>());
        }
    }

    void add(RoundResult r) {
        List<RoundResult> l = byCase.get(r.caseName());
        if (l == null) {
            throw new IllegalArgumentException("not a case of this run: " + r.caseName());
        }
        l.add(r);
        l.sort(Comparator.comparingInt(RoundResult::round));
    }

    /** The measured rounds of a case (unsupported ones left out). */
    List<RoundResult> measured(String caseName) {
        List<RoundResult> l = new ArrayList<>();
        for (RoundResult r : byCase.getOrDefault(caseName, List.of())) {
            if (r.unsupported() == null) {
                l.add(r);
            }
        }
        return l;
    }

    String table() {
        Table t = new Table("case", "dg/s", "loop us/dg", "process us/dg", "peers us/dg", "softirqd us/dg",
                "loop CPU %", "wake-ups/dg", "reads/dg", "B/dg loop", "lost", "vs base loop/proc");
        for (BenchCase c : cases) {
            List<RoundResult> rs = measured(c.name());
            if (rs.isEmpty()) {
                t.row(c.name(), "not run", "", "", "", "", "", "", "", "", "", "");
                continue;
            }
            long lost = 0;
            for (RoundResult r : rs) {
                lost += r.lost();
            }
            t.row(c.name(),
                    fmt(mean(rs, RoundResult::datagramsPerSecond) / 1000, 1) + "k",
                    each(rs, RoundResult::loopCpuUs, 2),
                    each(rs, RoundResult::processCpuUs, 2),
                    fmt(mean(rs, RoundResult::peerCpuUs), 2),
                    fmt(mean(rs, RoundResult::ksoftirqdUs), 3),
                    fmt(mean(rs, RoundResult::loopCpuPercent), 0),
                    fmt(mean(rs, RoundResult::wakeupsPerDg), 3),
                    fmt(mean(rs, RoundResult::readsPerDg), 3),
                    fmt(mean(rs, RoundResult::allocBytesPerDg), 0),
                    lost,
                    c.baseline().equals(c.name()) ? "base"
                            : fmt(vsBaseline(c, RoundResult::loopCpuUs), 2) + " / "
                                    + fmt(vsBaseline(c, RoundResult::processCpuUs), 2));
        }
        return t.render();
    }

    /** What the table cannot show: SO_REUSEPORT's split, losses and anything suspect. */
    String notes() {
        StringBuilder sb = new StringBuilder();
        for (BenchCase c : cases) {
            for (RoundResult r : byCase.get(c.name())) {
                String where = c.name() + " round " + r.round() + ": ";
                if (r.unsupported() != null) {
                    sb.append(where).append("not run: ").append(r.unsupported()).append('\n');
                    continue;
                }
                if (r.receivedPerLoop() != null) {
                    sb.append(where).append("datagrams per loop ").append(split(r.receivedPerLoop())).append('\n');
                }
                if (r.lost() != 0 || r.kernelDrops() > 0) {
                    sb.append(where).append(r.lost()).append(" of ").append(r.sent())
                            .append(" datagrams not received; kernel receive-buffer drops (whole machine) ")
                            .append(r.kernelDrops()).append(", of them in the window ").append(r.windowDrops())
                            .append('\n');
                }
                if (r.wrongSize() != 0 || r.errors() != 0) {
                    sb.append(where).append(r.wrongSize()).append(" datagrams of a wrong size, ")
                            .append(r.errors()).append(" errors\n");
                }
                if (!r.stoppedInTime()) {
                    sb.append(where).append("the driver overran its window: figures suspect\n");
                }
            }
        }
        return sb.toString();
    }

    JsonObject toJson() {
        JsonArray a = new JsonArray();
        for (BenchCase c : cases) {
            JsonArray rounds = new JsonArray();
            for (RoundResult r : byCase.get(c.name())) {
                rounds.add(r.toJson());
            }
            List<RoundResult> rs = measured(c.name());
            JsonObject mean = new JsonObject()
                    .put("datagramsPerSecond", RoundResult.round(mean(rs, RoundResult::datagramsPerSecond), 0))
                    .put("loopCpuMicrosPerDatagram", RoundResult.round(mean(rs, RoundResult::loopCpuUs), 3))
                    .put("processCpuMicrosPerDatagram", RoundResult.round(mean(rs, RoundResult::processCpuUs), 3))
                    .put("peerCpuMicrosPerDatagram", RoundResult.round(mean(rs, RoundResult::peerCpuUs), 3))
                    .put("wakeupsPerDatagram", RoundResult.round(mean(rs, RoundResult::wakeupsPerDg), 4))
                    .put("readCompletesPerDatagram", RoundResult.round(mean(rs, RoundResult::readsPerDg), 4))
                    .put("loopAllocatedBytesPerDatagram",
                            RoundResult.round(mean(rs, RoundResult::allocBytesPerDg), 1));
            a.add(new JsonObject().put("name", c.name()).put("group", c.group()).put("baseline", c.baseline())
                    .put("description", c.description()).put("params", new JsonObject(new LinkedHashMap<>(c.params())))
                    .put("mean", mean)
                    .put("loopCpuVsBaseline", RoundResult.round(vsBaseline(c, RoundResult::loopCpuUs), 3))
                    .put("processCpuVsBaseline", RoundResult.round(vsBaseline(c, RoundResult::processCpuUs), 3))
                    .put("rounds", rounds));
        }
        return new JsonObject().put("cases", a);
    }

    private double vsBaseline(BenchCase c, ToDoubleFunction<RoundResult> f) {
        return mean(measured(c.name()), f) / mean(measured(c.baseline()), f);
    }

    private static double mean(List<RoundResult> rs, ToDoubleFunction<RoundResult> f) {
        double sum = 0;
        int n = 0;
        for (RoundResult r : rs) {
            double v = f.applyAsDouble(r);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static String each(List<RoundResult> rs, ToDoubleFunction<RoundResult> f, int decimals) {
        StringBuilder sb = new StringBuilder();
        for (RoundResult r : rs) {
            sb.append(sb.length() == 0 ? "" : " / ").append(fmt(f.applyAsDouble(r), decimals));
        }
        return sb.toString();
    }

    private static String split(long[] perLoop) {
        long total = 0;
        for (long v : perLoop) {
            total += v;
        }
        StringBuilder sb = new StringBuilder();
        for (long v : perLoop) {
            sb.append(sb.length() == 0 ? "" : " / ").append(v)
                    .append(String.format(Locale.ROOT, " (%.0f %%)", total == 0 ? 0.0 : 100.0 * v / total));
        }
        return sb.toString();
    }

    static String fmt(double v, int decimals) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
