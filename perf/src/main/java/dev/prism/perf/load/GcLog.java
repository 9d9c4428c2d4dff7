package dev.prism.perf.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stop-the-world pauses from a unified JVM GC log written with {@code -Xlog:gc,gc+phases:file=<f>:uptime}, for
 * example {@code [12.345s] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(256M) 2.345ms} (G1, at
 * {@code gc}) or {@code [201.358s] GC(4) Pause Mark End 0.017ms} (ZGC logs its pauses only at {@code gc+phases}).
 */
final class GcLog {
    /** One pause: when it started (JVM uptime) and how long it took. */
    record Pause(double uptimeSeconds, double millis, String what) {
    }

    private static final Pattern PAUSE =
            Pattern.compile("^\\[(\\d+[.,]\\d+)s\\].*?GC\\(\\d+\\) (Pause .*?)"
                    + "(?: \\d+[KMG]->\\d+[KMG]\\(\\d+[KMG]\\))? (\\d+[.,]\\d+)ms$");

    private GcLog() {
    }

    static List<Pause> pauses(Path log) throws IOException {
        List<Pause> out = new ArrayList<>();
        if (!Files.exists(log)) {
            return out;
        }
        for (String line : Files.readAllLines(log)) {
            Matcher m = PAUSE.matcher(line.trim());
            if (m.matches()) {
                out.add(new Pause(num(m.group(1)), num(m.group(3)), m.group(2).trim()));
            }
        }
        return out;
    }

    /** The pauses that started in {@code [fromSeconds, toSeconds)} of JVM uptime. */
    static List<Pause> between(List<Pause> all, double fromSeconds, double toSeconds) {
        List<Pause> out = new ArrayList<>();
        for (Pause p : all) {
            if (p.uptimeSeconds() >= fromSeconds && p.uptimeSeconds() < toSeconds) {
                out.add(p);
            }
        }
        return out;
    }

    private static double num(String s) {
        return Double.parseDouble(s.replace(',', '.'));
    }
}
