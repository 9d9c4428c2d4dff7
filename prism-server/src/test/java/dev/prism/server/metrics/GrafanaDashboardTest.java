package dev.prism.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.server.PrismServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard in deploy/ queries only metrics a node exports (or the few names reserved for the NACK/RTX
 * work, listed here and in docs/ADMIN.md), so a renamed metric cannot silently empty a panel.
 */
class GrafanaDashboardTest {
    private static final Pattern METRIC = Pattern.compile("\\b((?:prism|jvm|netty|process|system)_[a-z0-9_]+)\\b");

    @Test
    void everyQueriedMetricIsExported() throws Exception {
        Path file = Path.of(System.getProperty("basedir", ".")).resolve("../deploy/grafana/prism-dashboard.json");
        JsonObject dashboard = new JsonObject(Files.readString(file));
        List<String> exprs = new ArrayList<>();
        collectExprs(dashboard.getJsonArray("panels"), exprs);
        assertThat(exprs).hasSizeGreaterThan(20);

        Set<String> queried = new TreeSet<>();
        for (String e : exprs) {
            Matcher m = METRIC.matcher(e);
            while (m.find()) {
                queried.add(m.group(1));
            }
        }
        String scrape;
        try (PrismServer server = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0)
                .httpHost("127.0.0.1").bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").build())) {
            // Micrometer registers the GC pause timer on the first GC notification: make sure one happened.
            System.gc();
            long deadline = System.nanoTime() + 10_000_000_000L;
            scrape = server.metrics().scrape();
            while (!scrape.contains("jvm_gc_pause_seconds") && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                scrape = server.metrics().scrape();
            }
        }
        Set<String> exported = new TreeSet<>();
        scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .forEach(l -> exported.add(l.split("[{ ]", 2)[0]));
        List<String> missing = queried.stream().filter(q -> !exported.contains(q)).toList();
        assertThat(missing).as("queried by the dashboard but not exported (exported: %s)", exported).isEmpty();
    }

    private static void collectExprs(JsonArray panels, List<String> out) {
        for (Object o : panels) {
            JsonObject p = (JsonObject) o;
            JsonArray targets = p.getJsonArray("targets");
            if (targets != null) {
                targets.forEach(t -> out.add(((JsonObject) t).getString("expr")));
            }
            JsonArray nested = p.getJsonArray("panels");
            if (nested != null) {
                collectExprs(nested, out);
            }
        }
    }
}
