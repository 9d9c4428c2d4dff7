package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What {@code GET /metrics} exposes is a contract with dashboards and alerts: every family's name, type and help text
 * and every series' label keys (and, for Prism's own series, label values) equal a golden list captured from the
 * build before the metrics moved to sfu-ops ({@code src/test/resources/metrics-golden.txt}). A renamed metric, a lost
 * label or a changed help text fails here. Regenerate only for an intended change:
 * {@code -Dprism.metrics.golden.update=true}.
 *
 * <p>Left out: the values of the {@code loop} label (one per media thread, so per machine) and the JVM GC families
 * Micrometer registers at the first GC notification of a kind (their presence depends on the collector's timing).
 */
class MetricsGoldenTest {
    private static final String SECRET = "test-secret-test-secret-test-secret-0123";
    private static final Path GOLDEN = Path.of(System.getProperty("basedir", "."))
            .resolve("src/test/resources/metrics-golden.txt");
    /** Registered when the collector first reports a pause or concurrent phase: timing-dependent. */
    private static final Pattern GC_EVENT_FAMILIES = Pattern.compile("jvm_gc_(pause|concurrent_phase_time)_.*");
    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? \\S+$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    @Test
    void metricNamesTypesHelpAndLabelsAreUnchanged() throws Exception {
        String scrape;
        try (PrismServer server = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0)
                .httpHost("127.0.0.1").bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(SECRET)
                .build())) {
            // Some series only move once a participant is in a room: have one join.
            try (WsTestClient client = WsTestClient.connect(server.httpPort(), token("golden", "alice"))) {
                client.next("welcome", 10);
                scrape = get(server.httpPort(), "/metrics");
            }
        }
        Set<String> actual = shape(scrape);
        if (Boolean.getBoolean("prism.metrics.golden.update")) {
            Files.writeString(GOLDEN, String.join("\n", actual) + "\n");
        }
        List<String> golden = Files.readAllLines(GOLDEN).stream().filter(l -> !l.isBlank()).toList();
        Set<String> missing = new TreeSet<>(golden);
        missing.removeAll(actual);
        Set<String> added = new TreeSet<>(actual);
        golden.forEach(added::remove);
        assertThat(missing).as("in the golden list but not exposed").isEmpty();
        assertThat(added).as("exposed but not in the golden list").isEmpty();
    }

    /** One line per family ({@code # TYPE}, {@code # HELP}) and per distinct series shape. */
    static Set<String> shape(String exposition) {
        Set<String> out = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("# TYPE ") || line.startsWith("# HELP ")) {
                String name = line.substring(7).split(" ", 2)[0];
                if (!GC_EVENT_FAMILIES.matcher(name).matches()) {
                    out.add(line);
                }
                continue;
            }
            Matcher m = SERIES.matcher(line);
            assertThat(m.matches()).as("exposition line: %s", line).isTrue();
            String name = m.group(1);
            if (GC_EVENT_FAMILIES.matcher(name).matches()) {
                continue;
            }
            boolean prisms = name.startsWith("prism_");
            StringBuilder labels = new StringBuilder();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                Set<String> sorted = new TreeSet<>();
                while (l.find()) {
                    String key = l.group(1);
                    sorted.add(prisms && !key.equals("loop") ? key + "=" + l.group(2) : key);
                }
                labels.append(String.join(",", sorted));
            }
            out.add(name + "{" + labels + "}");
        }
        return out;
    }

    private static String token(String room, String identity) {
        TokenService ts = new TokenService(SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return ts.issue(new AccessToken(room, identity, identity, true, true, now, now + 600));
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
