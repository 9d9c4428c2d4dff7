package dev.prism.server.browser;

import dev.prism.core.inspect.ParticipantSnapshot;
import dev.prism.core.inspect.ParticipantSnapshot.TransportSnapshot;
import dev.prism.core.inspect.RoomSnapshot;
import dev.prism.server.PrismServer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Prism shows about a participant's two connections once its browser reported their selected pairs
 * (PROTOCOL.md {@code connectionInfo}): the admin read model and the {@code prism_media_connections} gauge.
 */
final class ConnectionPaths {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private ConnectionPaths() {
    }

    /** Both connections of the participant named {@code name} as the admin read model shows them. */
    record Both(TransportSnapshot publisher, TransportSnapshot subscriber) {
        @Override
        public String toString() {
            return "publisher " + text(publisher) + ", subscriber " + text(subscriber);
        }

        private static String text(TransportSnapshot t) {
            return t == null ? "none" : t.state() + " " + t.protocol() + " " + t.family() + " " + t.candidate()
                    + " (client: " + t.clientPath() + ")";
        }
    }

    /**
     * Waits (polling through {@code browser}'s deadline wait) until both connections of {@code name} in {@code room}
     * satisfy {@code ready} and the gauge {@code prism_media_connections} with these labels reads at least
     * {@code atLeast} (it is refreshed once a second; others in the room may share the labels); returns the
     * connections.
     */
    static Both await(ChromeBrowser browser, PrismServer server, String room, String name,
                      Predicate<TransportSnapshot> ready, String transport, String family, String candidate,
                      double atLeast) {
        AtomicReference<String> last = new AtomicReference<>();
        return browser.waitUntil(name + "'s connections reported to Prism", TIMEOUT, b -> {
            Both both = read(server, room, name);
            double gauge = gauge(server, transport, family, candidate);
            last.set(both + "; prism_media_connections{" + transport + "," + family + "," + candidate + "} = "
                    + gauge);
            return both != null && ready.test(both.publisher()) && ready.test(both.subscriber()) && gauge >= atLeast
                    ? both : null;
        }, last::get);
    }

    static Both read(PrismServer server, String room, String name) {
        try {
            Optional<RoomSnapshot> snapshot = server.inspector().room(room).get(5, TimeUnit.SECONDS);
            return snapshot.flatMap(r -> r.participants().stream().filter(p -> p.name().equals(name)).findFirst())
                    .map((ParticipantSnapshot p) -> new Both(p.publisher(), p.subscriber())).orElse(null);
        } catch (Exception e) {
            throw new AssertionError("reading room " + room, e);
        }
    }

    /** The gauge's value for these labels, 0 when absent. */
    static double gauge(PrismServer server, String transport, String family, String candidate) {
        String series = "prism_media_connections{candidate=\"" + candidate + "\",family=\"" + family
                + "\",transport=\"" + transport + "\"}";
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(server.metrics().scrape());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
