package dev.prism.server;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one sample from a node's Prometheus exposition, for tests that check a counter moved. */
final class Scrape {
    private Scrape() {
    }

    /** The value of {@code series} (name with labels exactly as exposed), 0 when it is absent. */
    static double value(PrismServer server, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(server.metrics().scrape());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
