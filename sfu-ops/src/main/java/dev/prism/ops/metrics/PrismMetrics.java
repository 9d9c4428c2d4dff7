package dev.prism.ops.metrics;

import dev.prism.conference.Conference;
import dev.prism.core.room.LeaveReason;
import dev.prism.core.room.RoomEvent;
import dev.prism.core.room.RoomListener;
import dev.prism.core.rtp.MediaKind;
import dev.prism.ops.inspect.ConnectionTally;
import dev.prism.ops.inspect.EventLoopProbe;
import dev.prism.ops.inspect.StatsSampler;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import dev.prism.rtp.transport.MediaPlane;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

/**
 * Every metric of a node, in one Prometheus registry. Names as scraped (Prometheus adds {@code _total} to counters):
 *
 * <ul>
 *   <li>{@code prism_rooms}, {@code prism_participants}, {@code prism_tracks} — gauges;</li>
 *   <li>{@code prism_participants_joined_total}, {@code prism_participants_left_total{reason}},
 *       {@code prism_tracks_published_total{kind}};</li>
 *   <li>{@code prism_media_packets_total{direction=in|out}}, {@code prism_media_bytes_total{direction}} — every
 *       datagram of the media socket; {@code prism_rtp_forwarded_packets_total};
 *       {@code prism_media_drops_total{reason}};</li>
 *   <li>{@code prism_media_transports{transport}} (live, by Prism's protocol), {@code prism_media_tcp_connections},
 *       and {@code prism_media_connections{transport,family,candidate}} — connected peer connections at the last
 *       sample with the candidate type the client reported ({@link ConnectionTally});</li>
 *   <li>{@code prism_rtcp_pli_sent_total} — keyframe requests sent to publishers;
 *       {@code prism_layer_switches_total} — simulcast layer switches of subscribers' streams;</li>
 *   <li>{@code prism_dtls_handshakes_total{result=ok|failed}};</li>
 *   <li>signaling's own figures ({@code prism_signaling_*}, {@code prism_tracks_refused_total},
 *       {@code prism_media_repairs_total}, {@code prism_connections_cut_total},
 *       {@code prism_http_downloads_aborted_total}): a {@link MeterBinder} of sfu-signaling that the launcher
 *       {@linkplain #bind binds} here, with a {@linkplain #beforeScrape refresh before each scrape};</li>
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
    /** Bitrate histogram buckets (bits per second): audio-only through HD video. */
    private static final double[] BITRATE_BUCKETS = {
            32_000, 64_000, 128_000, 256_000, 500_000, 1_000_000, 1_500_000, 2_500_000, 4_000_000, 8_000_000};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
    private final RoomListener roomEvents;

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
    public void bindNode(Conference conference, StatsSampler sampler, List<EventExecutor> mediaLoops) {
        MediaPlane media = conference.media();
        Gauge.builder("prism.rooms", conference, x -> x.rooms().rooms().size()).description("rooms on this node")
                .register(registry);
        Gauge.builder("prism.participants", sampler, StatsSampler::participants)
                .description("participants in all rooms (at the last sample)").register(registry);
        Gauge.builder("prism.tracks", sampler, StatsSampler::tracks)
                .description("published tracks in all rooms (at the last sample)").register(registry);

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
        counter("prism.rtp.audio.forwarded.packets", "audio packets forwarded to subscribers (those top-N audio "
                + "withheld: prism_media_drops reason audio_top_n)", c, MediaCounters::audioForwardedPackets);
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
        counter("prism.pacer.packets", "packets a subscriber's pacer held before sending (--pacer on)", c,
                MediaCounters::pacerWaited, "outcome", "waited");
        counter("prism.pacer.packets", "packets a subscriber's pacer held before sending (--pacer on)", c,
                MediaCounters::pacerSentEarly, "outcome", "sent_early");
        FunctionCounter.builder("prism.pacer.wait", c, x -> x.pacerWaitMicros() / 1e6).baseUnit("seconds")
                .description("time packets waited in subscribers' pacers, summed").register(registry);
        counter("prism.rtp.red.packets", "Opus RED packets to subscribers: as RED, or stripped to Opus", c,
                MediaCounters::redForwardedPackets, "as", "red");
        counter("prism.rtp.red.packets", "Opus RED packets to subscribers: as RED, or stripped to Opus", c,
                MediaCounters::redStrippedPackets, "as", "opus");
        counter("prism.dtls.handshakes", "DTLS handshakes", c, MediaCounters::dtlsHandshakes, "result", "ok");
        counter("prism.dtls.handshakes", "DTLS handshakes", c, MediaCounters::dtlsFailures, "result", "failed");
        // Connections by transport (issue #13): UDP, or ICE-TCP once ICE selected a TCP connection as the path.
        Gauge.builder("prism.media.transports", media, m -> liveTransports(m) - m.counters().transportsOnTcp())
                .description("live peer connections by the protocol of their media path (udp until one is selected)")
                .tag("transport", "udp").register(registry);
        Gauge.builder("prism.media.transports", media, m -> m.counters().transportsOnTcp())
                .description("live peer connections by the protocol of their media path (udp until one is selected)")
                .tag("transport", "tcp").register(registry);
        // What the client reported (issue #13): the candidate type, and how a relayed one reaches its TURN server.
        for (String transport : ConnectionTally.TRANSPORTS) {
            for (String family : ConnectionTally.FAMILIES) {
                for (String candidate : ConnectionTally.CANDIDATES) {
                    Gauge.builder("prism.media.connections", sampler, s -> s.connections(transport, family, candidate))
                            .description("connected peer connections at the last sample, by the protocol Prism uses, "
                                    + "the remote address family and the candidate the client reported (relay_*: "
                                    + "by how it reaches its TURN server; unknown until it reports)")
                            .tags("transport", transport, "family", family, "candidate", candidate)
                            .register(registry);
                }
            }
        }
        Gauge.builder("prism.media.tcp.connections", c, MediaCounters::tcpConnections)
                .description("open ICE-TCP connections, checking or bound to a peer connection").register(registry);
        counter("prism.media.tcp.accepted", "ICE-TCP connections accepted (refused ones count as drops)", c,
                MediaCounters::tcpAccepted);
        for (DropReason r : DropReason.values()) {
            counter("prism.media.drops", "packets dropped by the media plane, by reason", c, x -> x.drops(r),
                    "reason", r.metricName());
        }

        DistributionSummary uplink = bitrate("prism.participant.uplink.bitrate",
                "what each participant sends, one observation per participant per sample");
        DistributionSummary downlink = bitrate("prism.participant.downlink.bitrate",
                "what Prism sends each participant, one observation per participant per sample");
        DistributionSummary estimate = bitrate("prism.bandwidth.estimate",
                "downlink bandwidth estimate per subscribing participant per sample (transport-cc or REMB)");
        sampler.addListener((tracks, up, down, est, subscribes) -> record(tracks, up, down, est, subscribes, uplink,
                downlink, estimate));

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

    private static double liveTransports(MediaPlane plane) {
        long n = 0;
        for (dev.prism.rtp.transport.MediaEngine e : plane.engines()) {
            n += e.liveTransports();
        }
        return n;
    }

    /** Binds meters another module owns (signaling's) to this registry. Once per binder, at startup. */
    public void bind(MeterBinder binder) {
        binder.bindTo(registry);
    }

    /**
     * Runs {@code hook} before each scrape, on the scraping thread: a binder whose label values are open-ended binds
     * the ones it saw since the last scrape (signaling's error codes). Must return at once.
     */
    public void beforeScrape(Runnable hook) {
        beforeScrape.add(hook);
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        beforeScrape.forEach(Runnable::run);
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

    /** One participant's sample: what its snapshot's link figures were recorded as before (NaN: not measured). */
    private static void record(int tracks, double uplinkBps, double downlinkBps, double estimateBps,
                               boolean subscribes, DistributionSummary uplink, DistributionSummary downlink,
                               DistributionSummary estimate) {
        if (!Double.isNaN(uplinkBps) && tracks > 0) {
            uplink.record(uplinkBps);
        }
        if (!Double.isNaN(downlinkBps) && subscribes) {
            downlink.record(downlinkBps);
        }
        if (!Double.isNaN(estimateBps)) {
            estimate.record(estimateBps);
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
