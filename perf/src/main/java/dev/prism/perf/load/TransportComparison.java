package dev.prism.perf.load;

import dev.prism.perf.report.Table;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The legs of a {@code --transport both} run side by side: server CPU per forwarded packet over UDP and over ICE-TCP
 * (the mean of each transport's legs, and every leg), the TCP/UDP ratio of those means, and the latency of each
 * transport over all its legs' packets (histograms merged) with what TCP adds at each percentile. Pure: built from
 * finished results.
 */
final class TransportComparison {
    private static final double[] PERCENTILES = {50, 90, 99, 99.9};

    private final List<LoadResult> legs;

    TransportComparison(List<LoadResult> legs) {
        this.legs = List.copyOf(legs);
    }

    /** Mean server CPU (us) per forwarded packet over the legs of {@code t}; NaN without any. */
    double cpuMicrosPerForward(PeerTransport t) {
        return legs.stream().filter(r -> r.transport() == t).mapToDouble(LoadResult::serverCpuMicrosPerForward)
                .average().orElse(Double.NaN);
    }

    /** Mean load generator CPU (us) per forwarded packet over the legs of {@code t}; NaN without any. */
    double loadGeneratorCpuMicrosPerForward(PeerTransport t) {
        return legs.stream().filter(r -> r.transport() == t)
                .mapToDouble(LoadResult::loadGeneratorCpuMicrosPerForward).average().orElse(Double.NaN);
    }

    /** TCP's mean CPU per forwarded packet / UDP's. */
    double tcpToUdpCpu() {
        return cpuMicrosPerForward(PeerTransport.TCP) / cpuMicrosPerForward(PeerTransport.UDP);
    }

    /** Latency percentile (ms) over every media packet of the legs of {@code t}; NaN without samples. */
    double latencyMillis(PeerTransport t, double percentile) {
        Histogram merged = null;
        for (LoadResult r : legs) {
            Histogram h = r.latencyNanos();
            if (r.transport() != t || h == null) {
                continue;
            }
            if (merged == null) {
                merged = h.copy();
            } else {
                merged.add(h);
            }
        }
        return merged == null ? Double.NaN : LoadRun.percentileMillis(merged, percentile);
    }

    JsonObject toJson() {
        JsonObject j = new JsonObject().put("tcpToUdpCpu", round(tcpToUdpCpu(), 3));
        JsonObject added = new JsonObject();
        for (PeerTransport t : PeerTransport.values()) {
            JsonObject latency = new JsonObject();
            for (double p : PERCENTILES) {
                latency.put("p" + label(p), round(latencyMillis(t, p), 4));
            }
            j.put(t.label(), new JsonObject().put("cpuMicrosPerForwarded", round(cpuMicrosPerForward(t), 3))
                    .put("loadGeneratorCpuMicrosPerForwarded", round(loadGeneratorCpuMicrosPerForward(t), 3))
                    .put("latencyMillis", latency));
        }
        for (double p : PERCENTILES) {
            added.put("p" + label(p), round(latencyMillis(PeerTransport.TCP, p)
                    - latencyMillis(PeerTransport.UDP, p), 4));
        }
        j.put("tcpAddedLatencyMillis", added);
        JsonArray each = new JsonArray();
        for (LoadResult r : legs) {
            each.add(new JsonObject().put("leg", r.leg()).put("transport", r.transport().label())
                    .put("serverMicrosPerForwarded", round(r.serverCpuMicrosPerForward(), 3))
                    .put("loadGeneratorMicrosPerForwarded", round(r.loadGeneratorCpuMicrosPerForward(), 3))
                    .put("allocatedBytesPerForwarded", round(r.allocatedPerForward(), 1))
                    .put("forwardedPerSecond", round(r.forwardedPerSecond(), 1))
                    .put("lossPercent", round(r.lossPercent(), 4))
                    .put("latencyP99Millis", round(r.latencyMillis(99), 4)));
        }
        return j.put("legs", each);
    }

    String table() {
        Table legsTable = new Table("leg", "transport", "forwarded/s", "server CPU us/forwarded",
                "load gen. CPU us/fwd", "server B/fwd", "loss %", "latency p50 ms", "p99 ms", "p99.9 ms");
        for (LoadResult r : legs) {
            legsTable.row(Integer.toString(r.leg()), r.transport().label(), f(r.forwardedPerSecond(), 0),
                    f(r.serverCpuMicrosPerForward(), 2), f(r.loadGeneratorCpuMicrosPerForward(), 2),
                    f(r.allocatedPerForward(), 0), f(r.lossPercent(), 3), f(r.latencyMillis(50), 3),
                    f(r.latencyMillis(99), 3), f(r.latencyMillis(99.9), 3));
        }
        Table t = new Table("metric", "udp", "tcp", "tcp / udp or tcp - udp");
        double udp = cpuMicrosPerForward(PeerTransport.UDP);
        double tcp = cpuMicrosPerForward(PeerTransport.TCP);
        t.row("server CPU us/forwarded (mean of legs)", f(udp, 2), f(tcp, 2), f(tcpToUdpCpu(), 3) + " x");
        double lu = loadGeneratorCpuMicrosPerForward(PeerTransport.UDP);
        double lt = loadGeneratorCpuMicrosPerForward(PeerTransport.TCP);
        t.row("load generator CPU us/forwarded (mean)", f(lu, 2), f(lt, 2), f(lt / lu, 3) + " x");
        for (double p : PERCENTILES) {
            double u = latencyMillis(PeerTransport.UDP, p);
            double c = latencyMillis(PeerTransport.TCP, p);
            t.row("latency p" + label(p) + " ms (all legs)", f(u, 3), f(c, 3), signed(c - u) + " ms");
        }
        return "legs\n" + legsTable.render() + "\nudp against tcp\n" + t.render();
    }

    private static String label(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }

    private static Double round(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return null;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }

    private static String signed(double v) {
        return Double.isNaN(v) ? "n/a" : String.format("%+.3f", v);
    }

    private static String f(double v, int decimals) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format("%." + decimals + "f", v);
    }
}
