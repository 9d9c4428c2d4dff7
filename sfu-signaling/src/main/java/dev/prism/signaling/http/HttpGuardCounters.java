package dev.prism.signaling.http;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connections the HTTP server cut, by reason (a fixed set: bounded metric labels), and responses the client hung up
 * on. Thread-safe.
 */
public final class HttpGuardCounters {
    /** Why the server closed a connection itself. */
    public enum Cut {
        /** A WebSocket message or frame over {@link HttpLimits#maxMessageBytes()}: closed with 1009. */
        MESSAGE_TOO_BIG("message_too_big"),
        /** No complete request head within {@link HttpLimits#requestHeadTimeout()} (idle or slowloris). */
        REQUEST_HEAD_TIMEOUT("request_head_timeout"),
        /** A WebSocket that answered no ping for three ping intervals. */
        WEBSOCKET_UNRESPONSIVE("websocket_unresponsive");

        private final String metricName;

        Cut(String metricName) {
            this.metricName = metricName;
        }

        /** The {@code reason} label value. */
        public String metricName() {
            return metricName;
        }
    }

    private final Map<Cut, AtomicLong> cuts = new EnumMap<>(Cut.class);
    private final AtomicLong downloadsAborted = new AtomicLong();

    public HttpGuardCounters() {
        for (Cut c : Cut.values()) {
            cuts.put(c, new AtomicLong());
        }
    }

    void cut(Cut reason) {
        cuts.get(reason).incrementAndGet();
    }

    /** A client hung up while a response was being written. */
    void downloadAborted() {
        downloadsAborted.incrementAndGet();
    }

    public long downloadsAborted() {
        return downloadsAborted.get();
    }

    public long cuts(Cut reason) {
        return cuts.get(reason).get();
    }
}
