package dev.prism.signaling;

import dev.prism.signaling.auth.TokenException;
import dev.prism.signaling.http.HttpGuardCounters;
import dev.prism.signaling.http.OriginPolicy;
import dev.prism.signaling.route.ProxyCounters;
import dev.prism.signaling.session.MessageTypes;
import dev.prism.signaling.session.PublishRefusals;
import dev.prism.signaling.session.SfuContext;
import dev.prism.signaling.session.SignalingCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Signaling's own figures as Micrometer meters, bound to whatever registry the launcher gives (the node's Prometheus
 * registry in sfu-ops), so the metrics module needs no signaling type. Names as scraped:
 *
 * <ul>
 *   <li>{@code prism_signaling_sessions} (attached sockets), {@code prism_signaling_sessions_detached} (waiting for a
 *       resume) — gauges;</li>
 *   <li>{@code prism_signaling_messages_total{type}} (unknown types as {@code unknown}),
 *       {@code prism_signaling_rejection_log_lines_total}, {@code prism_tracks_refused_total{reason}},
 *       {@code prism_signaling_errors_total{code}}, {@code prism_media_repairs_total{action}},
 *       {@code prism_signaling_refused_total{reason}} (bad token, origin not allowed);</li>
 *   <li>{@code prism_proxy_sessions_opened_total}, {@code prism_proxy_sessions_active} (gauge),
 *       {@code prism_proxy_sessions_closed_total{reason=client|owner|owner_lost}},
 *       {@code prism_proxy_sessions_failed_total{reason=cluster_unavailable|not_owner|owner_unreachable|refused}} — the
 *       edge's proxied sessions (cluster mode); {@code prism_proxy_sessions_accepted_total},
 *       {@code prism_proxy_sessions_refused_total{reason=not_owner|bad_token|bad_request}} — the owner's;</li>
 *   <li>{@code prism_connections_cut_total{reason=message_too_big|request_head_timeout|websocket_unresponsive}} —
 *       connections the HTTP server closed itself; {@code prism_http_downloads_aborted_total} — responses the
 *       client hung up on (a closed tab), not errors.</li>
 * </ul>
 *
 * <p>Every counter is a function over {@link SignalingCounters} / {@link HttpGuardCounters}: nothing is copied. Label
 * sets are bounded; error codes and refusal reasons are server-defined but open-ended, so one not known up front is
 * bound by {@link #refresh()}, which the registry's owner calls before each scrape.
 *
 * <p>Threading: {@link #bindTo} once, on the launcher's thread; {@link #refresh()} from any thread.
 */
public final class SignalingMeters implements MeterBinder {
    /**
     * Message type labels: the types of docs/PROTOCOL.md, and {@code unknown} for anything else a client sends
     * (a bounded set: see {@link MessageTypes}).
     */
    static final List<String> MESSAGE_TYPES = Stream.concat(MessageTypes.KNOWN.stream(),
            Stream.of(MessageTypes.UNKNOWN)).toList();

    /** What a media repair can do (sfu-conference's MediaRepair); each exists at zero from the start. */
    private static final List<String> REPAIR_ACTIONS = List.of("keyframe", "resubscribed", "reoffer", "ice_restart",
            "pending_offer", "publisher_stalled", "muted", "paused", "state", "none", "coalesced", "connecting");

    /**
     * Error codes of docs/PROTOCOL.md, registered at zero so that dashboards see them before the first one; codes
     * added later are bound when first seen.
     */
    static final List<String> ERROR_CODES = List.of("bad_json", "unknown_type", "bad_request", "out_of_order",
            "bad_sdp", "nothing_to_forward", "codec_unsupported", "not_allowed", "unknown_track", "internal", "room_full",
            "sdp_too_large", "too_many_media_sections", "too_many_tracks", "too_many_candidates", "rate_limited",
            "bad_source", "data_too_large", "data_rate_limited", "publishers_full");

    private final SfuContext sfu;
    private final SignalingCounters signaling;
    private final HttpGuardCounters http;
    private final Set<String> boundErrorCodes = ConcurrentHashMap.newKeySet();
    private final Set<String> boundRefusals = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry registry;

    public SignalingMeters(SfuContext sfu, HttpGuardCounters http) {
        this.sfu = sfu;
        this.signaling = sfu.counters();
        this.http = http;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("prism.signaling.sessions", sfu, SfuContext::attachedSessionCount)
                .description("live signaling WebSockets (sessions attached to a socket)").register(registry);
        Gauge.builder("prism.signaling.sessions.detached", sfu, SfuContext::detachedSessionCount)
                .description("sessions whose socket dropped, kept in their room for a resume").register(registry);

        for (String type : MESSAGE_TYPES) {
            counter(registry, "prism.signaling.messages", "signaling messages handled, by type", signaling,
                    s -> s.messages().getOrDefault(type, 0L), "type", type);
        }
        counter(registry, "prism.signaling.rejection.log.lines", "log lines written about rejected requests (the rest "
                + "of a participant's rejections in an interval are only counted)", signaling,
                SignalingCounters::rejectionLogLines);
        for (String action : REPAIR_ACTIONS) {
            counter(registry, "prism.media.repairs", "media repairs after a client reported missing media, by action",
                    signaling, x -> x.repairs().getOrDefault(action, 0L), "action", action);
        }
        for (String reason : PublishRefusals.REASONS) {
            counter(registry, "prism.tracks.refused", "publishers' m-lines refused in the answer, by reason",
                    signaling, x -> x.refusedTracks().getOrDefault(reason, 0L), "reason", reason);
        }
        this.registry = registry;
        ERROR_CODES.forEach(this::bindErrorCode);
        for (TokenException.Kind k : TokenException.Kind.values()) {
            bindRefusal(k.reason());
        }
        bindRefusal(OriginPolicy.REFUSED);
        refresh();

        for (HttpGuardCounters.Cut reason : HttpGuardCounters.Cut.values()) {
            counter(registry, "prism.connections.cut", "connections the HTTP server closed itself, by reason", http,
                    h -> h.cuts(reason), "reason", reason.metricName());
        }
        bindProxy(registry, sfu.proxyCounters());
        bindData(registry, sfu.dataCounters());
        counter(registry, "prism.http.downloads.aborted", "responses the client hung up on before they were written",
                http, HttpGuardCounters::downloadsAborted);
    }

    private static void bindData(MeterRegistry registry, dev.prism.signaling.session.DataCounters data) {
        counter(registry, "prism.data.messages.relayed", "in-room data messages relayed (participants' and the server "
                + "API's)", data, dev.prism.signaling.session.DataCounters::relayed);
        counter(registry, "prism.data.messages.deliveries", "in-room data messages handed to recipients' sockets", data,
                dev.prism.signaling.session.DataCounters::deliveries);
        for (var why : dev.prism.signaling.session.DataCounters.Refusal.values()) {
            counter(registry, "prism.data.messages.refused", "in-room data messages refused to their sender, by reason",
                    data, d -> d.refused(why), "reason", why.label());
        }
    }

    private static void bindProxy(MeterRegistry registry, ProxyCounters proxy) {
        counter(registry, "prism.proxy.sessions.opened", "proxied sessions whose channel to the room's owner opened "
                + "(this node is their edge)", proxy, ProxyCounters::opened);
        Gauge.builder("prism.proxy.sessions.active", proxy, ProxyCounters::active)
                .description("proxied sessions open now (this node is their edge)").register(registry);
        for (ProxyCounters.Closed why : ProxyCounters.Closed.values()) {
            counter(registry, "prism.proxy.sessions.closed", "proxied sessions ended at the edge, by who ended them",
                    proxy, p -> p.closed(why), "reason", why.label());
        }
        for (ProxyCounters.Failed why : ProxyCounters.Failed.values()) {
            counter(registry, "prism.proxy.sessions.failed", "sockets the edge could not proxy to a room's owner "
                    + "(answered cluster_unavailable), by reason", proxy, p -> p.failed(why), "reason", why.label());
        }
        counter(registry, "prism.proxy.sessions.accepted", "proxied sessions this node accepted as the room's owner",
                proxy, ProxyCounters::accepted);
        for (ProxyCounters.Refused why : ProxyCounters.Refused.values()) {
            counter(registry, "prism.proxy.sessions.refused", "proxied sessions this node refused as the room's owner, "
                    + "by reason", proxy, p -> p.refused(why), "reason", why.label());
        }
    }

    /** Binds error codes and refusal reasons seen since the last call. Call before each scrape; any thread. */
    public void refresh() {
        if (registry == null) {
            return;
        }
        signaling.errors().keySet().forEach(this::bindErrorCode);
        signaling.handshakeRefusals().keySet().forEach(this::bindRefusal);
    }

    private void bindErrorCode(String code) {
        if (boundErrorCodes.add(code)) {
            counter(registry, "prism.signaling.errors", "signaling errors answered, by code", signaling,
                    x -> x.errors(code), "code", code);
        }
    }

    private void bindRefusal(String reason) {
        if (boundRefusals.add(reason)) {
            counter(registry, "prism.signaling.refused", "WebSocket handshakes refused, by reason", signaling,
                    x -> x.handshakeRefusals().getOrDefault(reason, 0L), "reason", reason);
        }
    }

    private static <T> void counter(MeterRegistry registry, String name, String description, T source,
                                    ToDoubleFunction<T> f, String... tags) {
        FunctionCounter.builder(name, source, f).description(description).tags(tags).register(registry);
    }
}
