package dev.prism.signaling.session;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts signaling messages and errors by type/code, for metrics and the admin view. Every key set is bounded: message
 * types by {@link MessageTypes#label} (client text never becomes a key), error codes, refusal reasons and repair
 * actions are server-defined. Thread-safe.
 */
public final class SignalingCounters {
    private final ConcurrentHashMap<String, AtomicLong> messages = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicLong> errors = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<String, AtomicLong> refusals = new ConcurrentHashMap<>();

    /** A WebSocket handshake refused for {@code reason} (bad or missing token). */
    public void handshakeRefused(String reason) {
        refusals.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
    }

    public Map<String, Long> handshakeRefusals() {
        return snapshot(refusals);
    }

    private final AtomicLong detached = new AtomicLong();
    private final AtomicLong resumed = new AtomicLong();
    private final ConcurrentHashMap<String, AtomicLong> repairs = new ConcurrentHashMap<>();

    /** A participant's WebSocket dropped and it was kept for a resume. */
    void detached() {
        detached.incrementAndGet();
    }

    /** A participant came back on a new WebSocket within the resume window. */
    void resumed() {
        resumed.incrementAndGet();
    }

    /** A media repair was done, by action (keyframe, resubscribed, reoffer, ice_restart...). */
    void repair(String action) {
        repairs.computeIfAbsent(action, k -> new AtomicLong()).incrementAndGet();
    }

    public long detachedSessions() {
        return detached.get();
    }

    public long resumedSessions() {
        return resumed.get();
    }

    public Map<String, Long> repairs() {
        return snapshot(repairs);
    }

    private final AtomicLong rejectionLines = new AtomicLong();
    private final ConcurrentHashMap<String, AtomicLong> refusedTracks = new ConcurrentHashMap<>();

    /** A publisher's m-line was refused, by reason (a {@link PublishRefusals#REASONS} value). */
    void trackRefused(String reason) {
        refusedTracks.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
    }

    public Map<String, Long> refusedTracks() {
        return snapshot(refusedTracks);
    }

    /** A message a client sent, counted under {@link MessageTypes#label}: unknown types share one key. */
    void message(String type) {
        messages.computeIfAbsent(MessageTypes.label(type), k -> new AtomicLong()).incrementAndGet();
    }

    /** A rejection was written to the log (most are only counted, see {@link RejectionLog}). */
    void rejectionLogged() {
        rejectionLines.incrementAndGet();
    }

    /** Log lines written about rejected requests, all participants together. */
    public long rejectionLogLines() {
        return rejectionLines.get();
    }

    void error(String code) {
        errors.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
    }

    public Map<String, Long> messages() {
        return snapshot(messages);
    }

    public Map<String, Long> errors() {
        return snapshot(errors);
    }

    public long errors(String code) {
        AtomicLong a = errors.get(code);
        return a == null ? 0 : a.get();
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
