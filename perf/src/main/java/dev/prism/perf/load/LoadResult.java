package dev.prism.perf.load;

import dev.prism.perf.report.MachineInfo;
import dev.prism.perf.report.Table;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The numbers of one load run, as JSON (for perf/results) and as a printed table. Built by {@link LoadRun}.
 * Derived figures are NaN when their inputs were not measured (no JVM for Janus, no floor run).
 */
final class LoadResult {
    private static final double MIB = 1024.0 * 1024.0;

    private final Builder b;

    private LoadResult(Builder b) {
        this.b = b;
    }

    /** Media packets the subscribers received in the window (not retransmissions, probes or anything else). */
    long forwarded() {
        return b.received;
    }

    double forwardedPerSecond() {
        return perSecond(b.received);
    }

    /** Padding-only probe packets the subscribers received in the window. */
    long probePadding() {
        return b.padding;
    }

    double probePaddingPerSecond() {
        return perSecond(b.padding);
    }

    /** RTX packets (retransmissions and probe copies) the subscribers received in the window. */
    long retransmissions() {
        return b.retransmissions;
    }

    /** Of {@link #retransmissions()}, those whose original had not arrived. */
    long repaired() {
        return b.repaired;
    }

    /** Packets the subscribers could not place: an SSRC no offer announced, or none of media, RTX and padding. */
    long unknown() {
        return b.unknownSsrc + b.unrecognised;
    }

    /** Every RTP packet the subscribers decrypted in the window. */
    long subscriberRtpPackets() {
        return b.rtp;
    }

    /** Of those, what the subscribers sorted: media + retransmissions + padding + unknown. */
    long sortedPackets() {
        return b.sorted;
    }

    /** Media sequence numbers the server sent in the window that never arrived (not even repaired). */
    long sequenceGaps() {
        return Math.max(0, b.expectedBySequence - b.distinct);
    }

    /** Every datagram the participants received from the server in the window (RTP, RTCP, STUN, DTLS). */
    long serverDatagrams() {
        return b.datagrams;
    }

    double serverCpuMicrosPerForward() {
        return b.received == 0 ? Double.NaN : b.serverCpuNanos / 1000.0 / b.received;
    }

    /** Server CPU per datagram it sent, of any kind: with probing and feedback, not only forwarding. */
    double serverCpuMicrosPerDatagram() {
        return b.datagrams == 0 ? Double.NaN : b.serverCpuNanos / 1000.0 / b.datagrams;
    }

    private double perSecond(long n) {
        return n / (b.wallNanos / 1e9);
    }

    double floorMicrosPerForward() {
        return b.floor == null ? Double.NaN : b.floor.cpuNanosPerForward() / 1000.0;
    }

    double ratioToFloor() {
        return serverCpuMicrosPerForward() / floorMicrosPerForward();
    }

    /** Packets the publishers sent (times subscribers) that no subscriber got, in percent. */
    double lossPercent() {
        return b.expected == 0 ? Double.NaN : 100.0 * Math.max(0, b.expected - b.received) / b.expected;
    }

    /**
     * Gaps in the media sequence numbers the subscribers saw, in percent, after retransmissions (misses drops an SFU
     * hides by renumbering).
     */
    double sequenceGapPercent() {
        return b.expectedBySequence == 0 ? Double.NaN : 100.0 * sequenceGaps() / b.expectedBySequence;
    }

    double allocatedPerForward() {
        return b.jvm && b.received > 0 ? (double) b.allocated / b.received : Double.NaN;
    }

    /** The media event loop's share: the forwarding path itself, without signaling, stats or JMX threads. */
    double mediaLoopAllocatedPerForward() {
        return b.jvm && b.received > 0 ? (double) b.mediaLoopAllocated / b.received : Double.NaN;
    }

    int participants() {
        return b.options.rooms() * (b.options.publishers() + b.options.subscribers());
    }

    double heapPerParticipantKiB() {
        return b.jvm ? (b.heapWith - b.heapBaseline) / 1024.0 / participants() : Double.NaN;
    }

    double rssPerParticipantKiB() {
        return (b.rssWith - b.rssBaseline) / 1024.0 / participants();
    }

    String target() {
        return b.target;
    }

    double latencyMillis(double percentile) {
        return LoadRun.percentileMillis(b.all, percentile);
    }

    String srtpProfiles() {
        return b.srtpProfiles.toString();
    }

    /** The latency samples: one per media packet received in the window (an out-of-range one is counted apart). */
    long latencySamples() {
        return b.all == null ? 0 : b.all.getTotalCount();
    }

    long latencyOutOfRange() {
        return b.latencyOutOfRange;
    }

    double maxPauseMillis() {
        return windowPauses().stream().mapToDouble(GcLog.Pause::millis).max().orElse(0);
    }

    List<GcLog.Pause> windowPauses() {
        return b.pauses == null ? List.of() : GcLog.between(b.pauses, b.up0, b.up1);
    }

    /**
     * The load generator's own CPU (this process, all threads: participants, DTLS, the run) over the window /
     * forwarded packets; NaN when not measured. It competes with the server for the same cores.
     */
    double loadGeneratorCpuMicrosPerForward() {
        return b.received == 0 || b.loadCpuNanos < 0 ? Double.NaN : b.loadCpuNanos / 1000.0 / b.received;
    }

    /** How the participants reached the server. */
    PeerTransport transport() {
        return b.transport;
    }

    /** The leg of a {@code --transport both} run, from 1; 0 for a run of one leg. */
    int leg() {
        return b.leg;
    }

    /** Latency of every media packet in the window (nanoseconds; read only), or null when none was recorded. */
    Histogram latencyNanos() {
        return b.all;
    }

    JsonObject toJson() {
        LoadOptions o = b.options;
        JsonObject j = new JsonObject()
                .put("target", b.target)
                .put("transport", b.transport.label())
                .put("leg", b.leg)
                .put("scenario", o.scenario())
                .put("publishers", o.publishers())
                .put("subscribers", o.subscribers())
                .put("rooms", o.rooms())
                .put("seconds", o.seconds())
                .put("warmupSeconds", o.warmupSeconds())
                .put("clientThreads", o.clientThreads())
                .put("time", OffsetDateTime.now().toString())
                .put("machine", new JsonObject(MachineInfo.facts()))
                .put("media", new JsonObject().put("videoKbps", o.media().videoKbps()).put("fps", o.media().fps())
                        .put("keyframeSeconds", o.media().keyframeSeconds())
                        .put("pacingFactor", o.media().pacingFactor())
                        .put("audioPayloadBytes", o.media().audioPayload())
                        .put("maxVideoPayloadBytes", o.media().maxPayload()))
                .put("server", new JsonObject().put("command", b.command).put("jvmArgs", b.jvmArgs)
                        .put("extraArgs", new JsonArray(new ArrayList<>(o.serverArgs()))));
        j.put("forwarded", new JsonObject()
                .put("packets", b.received)
                .put("audioPackets", b.audioForwarded)
                .put("speakers", o.speakers())
                .put("perSecond", round(forwardedPerSecond()))
                .put("expected", b.expected)
                .put("lossPercent", round3(lossPercent()))
                .put("sequenceGapPercent", round3(sequenceGapPercent()))
                .put("publisherPacketsSent", b.sent)
                .put("perSubscriberMin", b.perSubscriberMin)
                .put("perSubscriberMax", b.perSubscriberMax));
        j.put("downlink", new JsonObject()
                .put("mediaPackets", b.received)
                .put("probePaddingPackets", b.padding)
                .put("probePaddingPerSecond", round(perSecond(b.padding)))
                .put("retransmissions", b.retransmissions)
                .put("retransmissionsPerSecond", round(perSecond(b.retransmissions)))
                .put("repaired", b.repaired)
                .put("duplicates", b.duplicates)
                .put("unknownPackets", unknown())
                .put("unknownSsrcPackets", b.unknownSsrc)
                .put("unrecognisedPackets", b.unrecognised)
                .put("rtpPackets", b.rtp)
                .put("sortedPackets", b.sorted)
                .put("expectedBySequence", b.expectedBySequence)
                .put("sequenceGaps", sequenceGaps())
                .put("serverDatagrams", b.datagrams)
                .put("serverDatagramsPerSecond", round(perSecond(b.datagrams)))
                .put("subscriberDatagrams", b.subscriberDatagrams));
        j.put("cpu", new JsonObject()
                .put("serverSeconds", round(b.serverCpuNanos / 1e9))
                .put("serverCores", round(b.serverCpuNanos / (double) b.wallNanos))
                .put("serverMicrosPerForwarded", round(serverCpuMicrosPerForward()))
                .put("serverMicrosPerDatagramSent", round(serverCpuMicrosPerDatagram()))
                .put("floorMicrosPerForwarded", round(floorMicrosPerForward()))
                .put("ratioToFloor", round(ratioToFloor())));
        if (b.floor != null) {
            j.put("floor", new JsonObject().put("incoming", b.floor.incoming()).put("forwarded", b.floor.forwarded())
                    .put("cpuMicrosPerForwarded", round(b.floor.cpuNanosPerForward() / 1000))
                    .put("wallMicrosPerForwarded", round(b.floor.wallNanosPerForward() / 1000))
                    .put("srtp", "AEAD_AES_128_GCM"));
        }
        j.put("latencyMillis", new JsonObject().put("all", latency(b.all)).put("audio", latency(b.audio))
                .put("video", latency(b.video)));
        j.put("memory", new JsonObject()
                .put("heapBaselineMiB", round(b.jvm ? b.heapBaseline / MIB : Double.NaN))
                .put("heapWithParticipantsMiB", round(b.jvm ? b.heapWith / MIB : Double.NaN))
                .put("heapPerParticipantKiB", round(heapPerParticipantKiB()))
                .put("rssBaselineMiB", round(b.rssBaseline / MIB))
                .put("rssWithParticipantsMiB", round(b.rssWith / MIB))
                .put("rssPerParticipantKiB", round((b.rssWith - b.rssBaseline) / 1024.0 / participants())));
        JsonArray pauses = new JsonArray();
        for (GcLog.Pause p : windowPauses()) {
            pauses.add(new JsonObject().put("atSeconds", p.uptimeSeconds()).put("millis", p.millis())
                    .put("what", p.what()));
        }
        j.put("gc", new JsonObject().put("pausesInWindow", windowPauses().size())
                .put("maxPauseMillis", round(maxPauseMillis()))
                .put("totalPauseMillis", round(windowPauses().stream().mapToDouble(GcLog.Pause::millis).sum()))
                .put("pauses", pauses));
        j.put("allocation", new JsonObject().put("bytesInWindow", b.allocated)
                .put("bytesPerForwarded", round(allocatedPerForward()))
                .put("mediaLoopBytesInWindow", b.mediaLoopAllocated)
                .put("mediaLoopBytesPerForwarded", round(mediaLoopAllocatedPerForward())));
        List<GcLog.Pause> ownPauses = b.loadPauses == null ? List.of()
                : GcLog.between(b.loadPauses, b.localUp0, b.localUp1);
        j.put("loadGenerator", new JsonObject()
                .put("cpuMicrosPerForwarded", round(loadGeneratorCpuMicrosPerForward()))
                .put("gcPausesInWindow", b.loadPauses == null ? null : ownPauses.size())
                .put("maxGcPauseMillis", b.loadPauses == null ? null
                        : round(ownPauses.stream().mapToDouble(GcLog.Pause::millis).max().orElse(0))));
        j.put("clients", new JsonObject().put("srtpProfiles", new JsonObject(new LinkedHashMap<>(
                        b.srtpProfiles)))
                .put("unknownSsrcPackets", b.unknownSsrc)
                .put("unknownPackets", unknown())
                .put("clientThreads", o.clientThreads())
                .put("srtpFailures", b.srtpFailures).put("transportCcFeedbackSent", b.feedback)
                .put("keyframeRequestsReceived", b.keyframeRequests).put("keyframesSent", b.keyframes)
                .put("latencyOutOfRange", b.latencyOutOfRange));
        return j;
    }

    String table() {
        Table t = new Table("metric", "value", "target");
        t.row("forwarded packets/s (media)", fmt(forwardedPerSecond(), 0), "");
        t.row("probe/padding packets/s", fmt(probePaddingPerSecond(), 0), "");
        t.row("retransmissions (repaired)", b.retransmissions + " (" + b.repaired + ")", "");
        t.row("unknown packets", Long.toString(unknown()), "0");
        t.row("server datagrams/s (all)", fmt(perSecond(b.datagrams), 0), "");
        t.row("server CPU us/forwarded", fmt(serverCpuMicrosPerForward(), 2), "");
        t.row("server CPU us/datagram sent", fmt(serverCpuMicrosPerDatagram(), 2), "");
        t.row("floor CPU us/forwarded", fmt(floorMicrosPerForward(), 2), "");
        t.row("ratio to floor", fmt(ratioToFloor(), 2), "<= 1.2");
        t.row("server CPU (cores)", fmt(b.serverCpuNanos / (double) b.wallNanos, 2), "");
        t.row("latency p50 ms", fmt(LoadRun.percentileMillis(b.all, 50), 3), "< 0.2 at half load");
        t.row("latency p99 ms", fmt(LoadRun.percentileMillis(b.all, 99), 3), "< 1");
        t.row("latency p99.9 ms", fmt(LoadRun.percentileMillis(b.all, 99.9), 3), "< 5");
        t.row("loss %", fmt(lossPercent(), 3), "");
        t.row("heap per participant KiB", fmt(heapPerParticipantKiB(), 0), "");
        t.row("RSS per participant KiB", fmt((b.rssWith - b.rssBaseline) / 1024.0 / participants(), 0), "");
        t.row("GC pauses in window (max ms)", b.jvm ? windowPauses().size() + " (" + fmt(maxPauseMillis(), 2) + ")"
                : "n/a", "none > 5 ms");
        t.row("allocated B/forwarded", fmt(allocatedPerForward(), 0), "0");
        t.row("  of which on the media loop", fmt(mediaLoopAllocatedPerForward(), 1), "0");
        return b.target + " " + b.options.scenario()
                + (b.transport == PeerTransport.UDP ? "" : " over ICE-TCP")
                + (b.leg == 0 ? "" : " (leg " + b.leg + ")") + ", " + b.options.seconds() + " s, "
                + b.options.media().videoKbps() + " kbit/s video @ " + b.options.media().fps() + " fps"
                + (b.options.media().pacingFactor() > 0 ? " paced x" + b.options.media().pacingFactor() : " unpaced")
                + " + Opus, " + b.options.clientThreads() + " client thread"
                + (b.options.clientThreads() == 1 ? "" : "s")
                + (b.options.serverArgs().isEmpty() ? "" : ", server args " + String.join(" ", b.options.serverArgs()))
                + "\n"
                + t.render();
    }

    private static JsonObject latency(Histogram h) {
        JsonObject j = new JsonObject().put("count", h == null ? 0 : h.getTotalCount());
        if (h != null && h.getTotalCount() > 0) {
            j.put("p50", round3(LoadRun.percentileMillis(h, 50)))
                    .put("p99", round3(LoadRun.percentileMillis(h, 99)))
                    .put("p999", round3(LoadRun.percentileMillis(h, 99.9)))
                    .put("max", round3(h.getMaxValue() / 1e6));
        }
        return j;
    }

    private static Double round(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : Math.round(v * 100) / 100.0;
    }

    private static Double round3(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 1000) / 1000.0;
    }

    private static String fmt(double v, int decimals) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format("%." + decimals + "f", v);
    }

    /** Collects the measurements as the run goes. */
    static final class Builder {
        private final LoadOptions options;
        private final String target;
        private PeerTransport transport = PeerTransport.UDP;
        private int leg;
        private String command = "";
        private String jvmArgs = "";
        private boolean jvm;
        private long heapBaseline;
        private long audioForwarded;
        private long heapWith;
        private long rssBaseline;
        private long rssWith;
        private long wallNanos = 1;
        private long received;
        private long expected;
        private long expectedBySequence;
        private long distinct;
        private long retransmissions;
        private long repaired;
        private long duplicates;
        private long padding;
        private long unrecognised;
        private long sorted;
        private long rtp;
        private long datagrams;
        private long subscriberDatagrams;
        private long unknownSsrc;
        private long srtpFailures;
        private long feedback;
        private long keyframeRequests;
        private long keyframes;
        private long sent;
        private long serverCpuNanos;
        private long allocated;
        private long mediaLoopAllocated;
        private double up0;
        private double up1;
        private List<GcLog.Pause> pauses;
        private long latencyOutOfRange;
        private Histogram all;
        private Histogram audio;
        private Histogram video;
        private FloorLoop.Result floor;
        /** Negotiated SRTP profile -> participants. */
        private final Map<String, Integer> srtpProfiles = new TreeMap<>();
        private long publisherSent;
        private int subscriberCount;
        private long perSubscriberMin;
        private long perSubscriberMax;
        private double localUp0;
        private double localUp1;
        private List<GcLog.Pause> loadPauses;
        private long loadCpuNanos = -1;

        Builder(LoadOptions options, String target) {
            this.options = options;
            this.target = target;
        }

        /** @param leg the leg of a multi-leg run, from 1; 0 for a run of one leg */
        Builder transport(PeerTransport t, int leg) {
            transport = t;
            this.leg = leg;
            return this;
        }

        Builder serverCommand(String c) {
            command = c;
            return this;
        }

        Builder serverJvmArgs(String a) {
            jvmArgs = a;
            jvm = true;
            return this;
        }

        Builder heapBaseline(long v) {
            heapBaseline = v;
            return this;
        }

        Builder heapWithParticipants(long v) {
            heapWith = v;
            return this;
        }

        Builder rssBaseline(long v) {
            rssBaseline = v;
            return this;
        }

        Builder rssWithParticipants(long v) {
            rssWith = v;
            return this;
        }

        /** Audio packets the subscribers received in the window. */
        Builder audioForwarded(long n) {
            audioForwarded = n;
            return this;
        }

        /** The window's length. */
        Builder window(long wall) {
            wallNanos = wall;
            return this;
        }

        /** Every subscriber's window, added up. */
        Builder subscribers(List<Subscriber.Window> windows) {
            perSubscriberMin = windows.stream().mapToLong(Subscriber.Window::media).min().orElse(0);
            perSubscriberMax = windows.stream().mapToLong(Subscriber.Window::media).max().orElse(0);
            for (Subscriber.Window w : windows) {
                received += w.media();
                expectedBySequence += w.expectedBySequence();
                distinct += w.distinct();
                retransmissions += w.retransmissions();
                repaired += w.repaired();
                duplicates += w.duplicates();
                padding += w.padding();
                unknownSsrc += w.unknownSsrc();
                unrecognised += w.unrecognised();
                sorted += w.sorted();
                rtp += w.rtp();
                datagrams += w.datagrams();
                subscriberDatagrams += w.datagrams();
                srtpFailures += w.srtpFailures();
                feedback += w.feedbackSent();
                srtpProfiles.merge(String.valueOf(w.srtpProfile()), 1, Integer::sum);
            }
            subscriberCount = windows.size();
            // a room's subscribers take every packet of its own publishers
            expected = publisherSent * subscriberCount / options.rooms();
            return this;
        }

        /** Every publisher's window, added up. */
        Builder publishers(List<Publisher.Window> windows) {
            for (Publisher.Window w : windows) {
                publisherSent += w.sent();
                sent += w.sentTotal();
                keyframeRequests += w.keyframeRequests();
                keyframes += w.keyframes();
                datagrams += w.datagrams();
                srtpProfiles.merge(String.valueOf(w.srtpProfile()), 1, Integer::sum);
            }
            // each subscriber takes every publisher's packets
            // a room's subscribers take every packet of its own publishers
            expected = publisherSent * subscriberCount / options.rooms();
            return this;
        }

        /** The latency of every media packet in the window, all loops merged. */
        Builder latency(LatencyRecorder.Snapshot s) {
            latencyOutOfRange = s.outOfRange();
            all = s.all();
            audio = s.audio();
            video = s.video();
            return this;
        }

        /** The load generator's own CPU over the window. */
        Builder loadGeneratorCpu(long nanos) {
            loadCpuNanos = nanos;
            return this;
        }

        Builder serverCpu(long nanos) {
            serverCpuNanos = nanos;
            return this;
        }

        Builder allocated(long bytes, long mediaLoopBytes) {
            allocated = bytes;
            mediaLoopAllocated = mediaLoopBytes;
            return this;
        }

        Builder gcWindow(double fromUptimeSeconds, double toUptimeSeconds) {
            up0 = fromUptimeSeconds;
            up1 = toUptimeSeconds;
            return this;
        }

        Builder gcPauses(List<GcLog.Pause> p) {
            pauses = p;
            return this;
        }

        Builder floor(FloorLoop.Result r) {
            floor = r;
            return this;
        }

        Builder loadGcWindow(double fromUptimeSeconds, double toUptimeSeconds) {
            localUp0 = fromUptimeSeconds;
            localUp1 = toUptimeSeconds;
            return this;
        }

        Builder loadGcPauses(List<GcLog.Pause> p) {
            loadPauses = p;
            return this;
        }

        LoadResult build() {
            return new LoadResult(this);
        }
    }
}
