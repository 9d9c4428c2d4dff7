package dev.prism.signaling.metrics;

import dev.prism.core.inspect.ParticipantSnapshot;
import dev.prism.core.inspect.RoomSnapshot;
import dev.prism.core.room.LeaveReason;
import dev.prism.core.room.RoomEvent;
import dev.prism.core.room.RoomListener;
import dev.prism.core.rtp.MediaKind;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import dev.prism.rtp.transport.MediaPlane;
import dev.prism.signaling.auth.TokenException;
import dev.prism.signaling.http.HttpGuardCounters;
import dev.prism.signaling.http.OriginPolicy;
import dev.prism.signaling.inspect.EventLoopProbe;
import dev.prism.signaling.inspect.StatsSampler;
import dev.prism.signaling.session.MessageTypes;
import dev.prism.signaling.session.PublishRefusals;
import dev.prism.signaling.session.SfuContext;
import dev.prism.signaling.session.SignalingCounters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.concurrent.EventExecutor;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Every metric of a node, in one Prometheus registry. Names as scraped (Prometheus adds {@code _total} to counters):
 *
 * <ul>
 *   <li>{@code prism_rooms}, {@code prism_participants}, {@code prism_tracks}, {@code prism_signaling_sessions}
 *       (attached sockets), {@code prism_signaling_sessions_detached} (waiting for a resume) — gauges;</li>
 *   <li>{@code prism_participants_joined_total}, {@code prism_participants_left_total{reason}},
 *       {@code prism_tracks_published_total{kind}};</li>
 *   <li>{@code prism_media_packets_total{direction=in|out}}, {@code prism_media_bytes_total{direction}} — every
 *       datagram of the media socket; {@code prism_rtp_forwarded_packets_total};
 *       {@code prism_media_drops_total{reason}};</li>
 *   <li>{@code prism_rtcp_pli_sent_total} — keyframe requests sent to publishers;
 *       {@code prism_layer_switches_total} — simulcast layer switches of subscribers' streams;</li>
 *   <li>{@code prism_dtls_handshakes_total{result=ok|failed}};</li>
 *   <li>{@code prism_signaling_messages_total{type}} (unknown types as {@code unknown}),
 *       {@code prism_signaling_rejection_log_lines_total}, {@code prism_tracks_refused_total{reason}},
 *       {@code prism_signaling_errors_total{code}},
 *       {@code prism_signaling_refused_total{reason}} (bad token, origin not allowed);</li>
 *   <li>{@code prism_connections_cut_total{reason=message_too_big|request_head_timeout|websocket_unresponsive}} —
 *       connections the HTTP server closed itself; {@code prism_http_downloads_aborted_total} — responses the
 *       client hung up on (a closed tab), not errors;</li>
 *   <li>{@code prism_participant_uplink_bitrate_bps}, {@code prism_participant_downlink_bitrate_bps},
 *       {@code prism_bandwidth_estimate_bps} — distributions (histogram buckets), one observation per participant
 *       per sample; the estimate only for participants whose downlink Prism estimates (transport-cc or REMB);</li>
 *   <li>{@code prism_event_loop_busy_ratio{loop}}, {@code prism_event_loop_lag_seconds{loop}}, Netty's
 *       {@code netty_allocator_*} and {@code netty_eventexecutor_tasks_pending}, and the JVM's
 *       {@code jvm_*}, {@code process_*}, {@code system_*}.</li>
 * </ul>
 *
 * <p>Threading: construction and binding on the launcher's thread; scraping from any thread.
 */
public final class PrismMetrics implements AutoCloseable {
    /**
     * Message type labels: the types of docs/PROTOCOL.md, and {@code unknown} for anything else a client sends
     * (a bounded set: see {@link MessageTypes}).
     */
    static final List<String> MESSAGE_TYPES = java.util.stream.Stream.concat(MessageTypes.KNOWN.stream(),
            java.util.stream.Stream.of(MessageTypes.UNKNOWN)).toList();

    /**
     * Error codes of docs/PROTOCOL.md, registered at zero so that dashboards see them before the first one; codes
     * added later are bound when first seen.
     */
    /** What a media repair can do (sfu-conference's MediaRepair); each exists at zero from the start. */
    private static final List<String> REPAIR_ACTIONS = List.of("keyframe", "resubscribed", "reoffer", "ice_restart",
            "pending_offer", "publisher_stalled", "muted", "state", "none", "coalesced", "connecting");

    static final List<String> ERROR_CODES = List.of("bad_json", "unknown_type", "bad_request", "out_of_order",
            "bad_sdp", "nothing_to_forward", "not_allowed", "unknown_track", "internal", "room_full",
            "sdp_too_large", "too_many_media_sections", "too_many_tracks", "too_many_candidates", "rate_limited");

    /** Bitrate histogram buckets (bits per second): audio-only through HD video. */
    private static final double[] BITRATE_BUCKETS = {
            32_000, 64_000, 128_000, 256_000, 500_000, 1_000_000, 1_500_000, 2_500_000, 4_000_000, 8_000_000};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Set<String> boundErrorCodes = ConcurrentHashMap.newKeySet();
    private final Set<String> boundRefusals = ConcurrentHashMap.newKeySet();
    private final RoomListener roomEvents;
    private SignalingCounters signaling;

    public PrismMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // Every label value of these is known: registered at zero up front (Prometheus sees series from the start).
        Counter joined = Counter.builder("prism.participants.joined").description("participants that joined a room")
                .register(registry);
        Map<LeaveReason, Counter> left = new EnumMap<>(LeaveReason.class);
        for (LeaveReason r : LeaveReason.values()) {
            left.put(r, Counter.builder("prism.participants.left")
                    .description("participants that left a room, by reason").tag("reason", r.wireName())
                    .register(registry));
        }
        Map<MediaKind, Counter> published = new EnumMap<>(MediaKind.class);
        for (MediaKind k : MediaKind.values()) {
            published.put(k, Counter.builder("prism.tracks.published").description("tracks published, by kind")
                    .tag("kind", k.sdpName()).register(registry));
        }
        roomEvents = event -> {
            if (event instanceof RoomEvent.ParticipantJoined) {
                joined.increment();
            } else if (event instanceof RoomEvent.ParticipantLeft e) {
                left.get(e.reason()).increment();
            } else if (event instanceof RoomEvent.TrackPublished e) {
                published.get(e.track().kind()).increment();
            }
        };
    }

    /** Counts joins, leaves and publications; give it to the room registry as an observer of every room. */
    public RoomListener roomEvents() {
        return roomEvents;
    }

    /** Binds the node's live objects. Once, after they exist. */
    public void bindNode(MediaPlane media, SfuContext sfu, StatsSampler sampler, List<EventExecutor> mediaLoops) {
        Gauge.builder("prism.rooms", sfu, s -> s.rooms().rooms().size()).description("rooms on this node")
                .register(registry);
        Gauge.builder("prism.participants", sampler, StatsSampler::participants)
                .description("participants in all rooms (at the last sample)").register(registry);
        Gauge.builder("prism.tracks", sampler, StatsSampler::tracks)
                .description("published tracks in all rooms (at the last sample)").register(registry);
        Gauge.builder("prism.signaling.sessions", sfu, SfuContext::attachedSessionCount)
                .description("live signaling WebSockets (sessions attached to a socket)").register(registry);
        Gauge.builder("prism.signaling.sessions.detached", sfu, SfuContext::detachedSessionCount)
                .description("sessions whose socket dropped, kept in their room for a resume").register(registry);

        MediaCounters c = media.counters();
        counter("prism.media.packets", "datagrams on the media socket", c, MediaCounters::packetsIn, "direction", "in");
        counter("prism.media.packets", "datagrams on the media socket", c, MediaCounters::packetsOut, "direction",
                "out");
        FunctionCounter.builder("prism.media", c, MediaCounters::bytesIn).baseUnit("bytes").tag("direction", "in")
                .description("bytes on the media socket").register(registry);
        FunctionCounter.builder("prism.media", c, MediaCounters::bytesOut).baseUnit("bytes").tag("direction", "out")
                .description("bytes on the media socket").register(registry);
        counter("prism.rtp.forwarded.packets", "RTP packets forwarded to subscribers", c,
                MediaCounters::rtpForwarded);
        counter("prism.rtcp.pli.sent", "keyframe requests (PLI) sent to publishers", c,
                MediaCounters::keyframeRequests);
        counter("prism.rtcp.nacks.received", "sequence numbers subscribers asked for again (NACK)", c,
                MediaCounters::nacksReceived);
        counter("prism.rtcp.nacks.sent", "sequence numbers Prism asked publishers for again (NACK)", c,
                MediaCounters::nacksSent);
        counter("prism.rtp.retransmitted.packets", "retransmissions (RTX) sent to subscribers", c,
                MediaCounters::retransmissions);
        counter("prism.rtp.rtx.received.packets", "retransmissions (RTX) received from publishers", c,
                MediaCounters::rtxReceived);
        counter("prism.layer.switches", "simulcast layer switches of subscribers' video streams", c,
                MediaCounters::layerSwitches);
        counter("prism.dtls.handshakes", "DTLS handshakes", c, MediaCounters::dtlsHandshakes, "result", "ok");
        counter("prism.dtls.handshakes", "DTLS handshakes", c, MediaCounters::dtlsFailures, "result", "failed");
        for (DropReason r : DropReason.values()) {
            counter("prism.media.drops", "packets dropped by the media plane, by reason", c, x -> x.drops(r),
                    "reason", r.metricName());
        }

        signaling = sfu.counters();
        for (String type : MESSAGE_TYPES) {
            counter("prism.signaling.messages", "signaling messages handled, by type", signaling,
                    s -> s.messages().getOrDefault(type, 0L), "type", type);
        }
        counter("prism.signaling.rejection.log.lines", "log lines written about rejected requests (the rest of a "
                + "participant's rejections in an interval are only counted)", signaling,
                SignalingCounters::rejectionLogLines);
        ERROR_CODES.forEach(code -> bindErrorCode(signaling, code));
        for (String action : REPAIR_ACTIONS) {
            counter("prism.media.repairs", "media repairs after a client reported missing media, by action", signaling,
                    x -> x.repairs().getOrDefault(action, 0L), "action", action);
        }
        for (String reason : PublishRefusals.REASONS) {
            counter("prism.tracks.refused", "publishers' m-lines refused in the answer, by reason", signaling,
                    x -> x.refusedTracks().getOrDefault(reason, 0L), "reason", reason);
        }
        for (TokenException.Kind k : TokenException.Kind.values()) {
            bindRefusal(signaling, k.reason());
        }
        bindRefusal(signaling, OriginPolicy.REFUSED);
        refreshSignaling();

        DistributionSummary uplink = bitrate("prism.participant.uplink.bitrate",
                "what each participant sends, one observation per participant per sample");
        DistributionSummary downlink = bitrate("prism.participant.downlink.bitrate",
                "what Prism sends each participant, one observation per participant per sample");
        DistributionSummary estimate = bitrate("prism.bandwidth.estimate",
                "downlink bandwidth estimate per subscribing participant per sample (transport-cc or REMB)");
        sampler.addListener(room -> record(room, uplink, downlink, estimate));

        for (EventLoopProbe p : sampler.loops()) {
            Gauge.builder("prism.event.loop.busy", p, nullable(EventLoopProbe::busyFraction)).baseUnit("ratio")
                    .description("CPU time of the media event loop's thread per second").tag("loop", p.name())
                    .register(registry);
            Gauge.builder("prism.event.loop.lag", p, nullable(x -> x.lagMillis() == null ? null
                            : x.lagMillis() / 1000.0)).baseUnit("seconds")
                    .description("queue wait of a probe task on the media event loop").tag("loop", p.name())
                    .register(registry);
        }
        if (media.allocator() instanceof ByteBufAllocatorMetricProvider provider) {
            new NettyAllocatorMetrics(provider).bindTo(registry);
        }
        new NettyEventExecutorMetrics(mediaLoops).bindTo(registry);
    }

    /** Binds the HTTP server's cut connections, by reason. Once. */
    public void bindHttp(HttpGuardCounters http) {
        for (HttpGuardCounters.Cut reason : HttpGuardCounters.Cut.values()) {
            counter("prism.connections.cut", "connections the HTTP server closed itself, by reason", http,
                    h -> h.cuts(reason), "reason", reason.metricName());
        }
        counter("prism.http.downloads.aborted", "responses the client hung up on before they were written", http,
                HttpGuardCounters::downloadsAborted);
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        refreshSignaling();
        return registry.scrape();
    }

    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    /** Error codes and refusal reasons are server-defined but open-ended: bind each the first time it is seen. */
    private void refreshSignaling() {
        SignalingCounters s = signaling;
        if (s == null) {
            return;
        }
        s.errors().keySet().forEach(code -> bindErrorCode(s, code));
        s.handshakeRefusals().keySet().forEach(reason -> bindRefusal(s, reason));
    }

    private void bindErrorCode(SignalingCounters s, String code) {
        if (boundErrorCodes.add(code)) {
            counter("prism.signaling.errors", "signaling errors answered, by code", s, x -> x.errors(code), "code",
                    code);
        }
    }

    private void bindRefusal(SignalingCounters s, String reason) {
        if (boundRefusals.add(reason)) {
            counter("prism.signaling.refused", "WebSocket handshakes refused, by reason", s,
                    x -> x.handshakeRefusals().getOrDefault(reason, 0L), "reason", reason);
        }
    }

    private static void record(RoomSnapshot room, DistributionSummary uplink, DistributionSummary downlink,
                               DistributionSummary estimate) {
        for (ParticipantSnapshot p : room.participants()) {
            if (p.link().uplinkBps() != null && !p.tracks().isEmpty()) {
                uplink.record(p.link().uplinkBps());
            }
            if (p.link().downlinkBps() != null && p.subscriber() != null) {
                downlink.record(p.link().downlinkBps());
            }
            if (p.link().bandwidthEstimateBps() != null) {
                estimate.record(p.link().bandwidthEstimateBps());
            }
        }
    }

    private DistributionSummary bitrate(String name, String description) {
        return DistributionSummary.builder(name).baseUnit("bps").description(description)
                .serviceLevelObjectives(BITRATE_BUCKETS).register(registry);
    }

    private <T> void counter(String name, String description, T source, ToDoubleFunction<T> f, String... tags) {
        FunctionCounter.builder(name, source, f).description(description).tags(tags).register(registry);
    }

    /** A gauge function that reports NaN (Prometheus: no value) for null. */
    private static <T> ToDoubleFunction<T> nullable(java.util.function.Function<T, Double> f) {
        return x -> {
            Double v = f.apply(x);
            return v == null ? Double.NaN : v;
        };
    }
}
