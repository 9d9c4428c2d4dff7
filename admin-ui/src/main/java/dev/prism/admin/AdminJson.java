package dev.prism.admin;

import dev.prism.core.inspect.ActionOutcome;
import dev.prism.core.inspect.ConnectionPath;
import dev.prism.core.inspect.NodeSnapshot;
import dev.prism.core.inspect.ParticipantHistory;
import dev.prism.core.inspect.ParticipantSnapshot;
import dev.prism.core.inspect.RoomSnapshot;
import dev.prism.core.inspect.RoomSummary;
import dev.prism.core.inspect.TrackSnapshot;
import dev.prism.core.inspect.Traffic;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The admin API's JSON, written field by field (docs/ADMIN.md is its reference). Values the node does not measure
 * (yet) are JSON {@code null}, never zero. Bitrates are whole bits per second; fractions (CPU, loss, busy) have three
 * decimals.
 */
final class AdminJson {
    private AdminJson() {
    }

    /** {@code GET /admin/api/cluster}: the live nodes and the room owners, as this node reads them from Redis. */
    static JsonObject cluster(dev.prism.core.inspect.ClusterSnapshot c) {
        io.vertx.core.json.JsonArray nodes = new io.vertx.core.json.JsonArray();
        for (dev.prism.core.inspect.ClusterSnapshot.Node n : c.nodes()) {
            nodes.add(new JsonObject().put("id", n.id()).put("state", n.state()).put("score", n.score())
                    .put("reportAgeMillis", n.reportAgeMillis()).put("link", n.link())
                    .put("participants", n.participants()).put("rooms", n.rooms()).put("version", n.version())
                    .put("self", n.id().equals(c.selfId())));
        }
        io.vertx.core.json.JsonArray rooms = new io.vertx.core.json.JsonArray();
        for (dev.prism.core.inspect.ClusterSnapshot.RoomOwnership r : c.rooms()) {
            rooms.add(new JsonObject().put("room", r.room()).put("node", r.node()).put("epoch", r.epoch())
                    .put("ownerAlive", r.ownerAlive()));
        }
        return new JsonObject().put("self", c.selfId()).put("nodes", nodes).put("rooms", rooms)
                .put("roomsTruncated", c.roomsTruncated());
    }

    static JsonObject node(NodeSnapshot n) {
        JsonObject media = new JsonObject()
                .put("in", traffic(n.mediaIn()))
                .put("out", traffic(n.mediaOut()))
                .put("rtpForwarded", n.rtpForwarded())
                .put("keyframeRequests", n.keyframeRequests())
                .put("dtls", new JsonObject().put("handshakes", n.dtlsHandshakes()).put("failures", n.dtlsFailures()))
                .put("drops", counts(n.drops()));
        NodeSnapshot.JvmStats j = n.jvm();
        JsonObject jvm = new JsonObject()
                .put("processCpu", fraction(j.processCpu()))
                .put("systemCpu", fraction(j.systemCpu()))
                .put("availableProcessors", j.availableProcessors())
                .put("heapUsedBytes", j.heapUsedBytes())
                .put("heapCommittedBytes", j.heapCommittedBytes())
                .put("heapMaxBytes", j.heapMaxBytes())
                .put("threads", j.threads());
        JsonObject buffers = new JsonObject()
                .put("activeAllocations", n.buffers().activeAllocations())
                .put("usedHeapBytes", n.buffers().usedHeapBytes())
                .put("usedDirectBytes", n.buffers().usedDirectBytes());
        JsonArray loops = new JsonArray();
        for (NodeSnapshot.EventLoopStats l : n.eventLoops()) {
            loops.add(new JsonObject()
                    .put("name", l.name())
                    .put("busyFraction", fraction(l.busyFraction()))
                    .put("lagMillis", round(l.lagMillis(), 100))
                    .put("pendingTasks", l.pendingTasks()));
        }
        NodeSnapshot.SignalingStats s = n.signaling();
        JsonObject signaling = new JsonObject()
                .put("sessions", s.sessions())
                .put("messages", counts(s.messages()))
                .put("errors", counts(s.errors()))
                .put("refused", counts(s.refused()));
        return new JsonObject()
                .put("takenAt", n.takenAtMillis())
                .put("uptimeMillis", n.uptimeMillis())
                .put("rooms", n.rooms())
                .put("participants", n.participants())
                .put("tracks", n.tracks())
                .put("media", media)
                .put("jvm", jvm)
                .put("buffers", buffers)
                .put("eventLoops", loops)
                .put("signaling", signaling);
    }

    static JsonObject rooms(List<RoomSummary> rooms) {
        JsonArray a = new JsonArray();
        for (RoomSummary r : rooms) {
            a.add(new JsonObject()
                    .put("id", r.id())
                    .put("participants", r.participants())
                    .put("tracks", r.tracks())
                    .put("bitsInPerSecond", bps(r.bitsInPerSecond()))
                    .put("bitsOutPerSecond", bps(r.bitsOutPerSecond()))
                    .put("mediaThread", r.mediaThread())
                    .put("mediaPort", r.mediaPort()));
        }
        return new JsonObject().put("rooms", a);
    }

    static JsonObject room(RoomSnapshot r) {
        JsonArray ps = new JsonArray();
        r.participants().forEach(p -> ps.add(participant(p)));
        return new JsonObject().put("id", r.id()).put("takenAt", r.takenAtMillis()).put("participants", ps)
                .put("speakers", new JsonObject().put("speaking", new JsonArray(r.speakers().speaking()))
                        .put("levels", new JsonArray(r.speakers().levels())).put("dominant", r.speakers().dominant())
                        .put("audioTopN", r.speakers().audioTopN()).put("updatesSent", r.speakers().updatesSent()));
    }

    static JsonObject participant(ParticipantSnapshot p) {
        ParticipantSnapshot.LinkStats l = p.link();
        JsonArray tracks = new JsonArray();
        p.tracks().forEach(t -> tracks.add(track(t)));
        return new JsonObject()
                .put("id", p.id())
                .put("name", p.name())
                .put("canPublish", p.canPublish())
                .put("canSubscribe", p.canSubscribe())
                .put("connectionState", p.connectionState())
                .put("publisher", transport(p.publisher()))
                .put("subscriber", transport(p.subscriber()))
                .put("link", new JsonObject()
                        .put("uplinkBps", bps(l.uplinkBps()))
                        .put("downlinkBps", bps(l.downlinkBps()))
                        .put("rttMillis", round(l.rttMillis(), 10))
                        .put("lossFraction", fraction(l.lossFraction()))
                        .put("jitterMillis", round(l.jitterMillis(), 10))
                        .put("bandwidthEstimateBps", bps(l.bandwidthEstimateBps()))
                        .put("bandwidthEstimateSource", l.bandwidthEstimateSource()))
                .put("recovery", recovery(p.recovery()))
                .put("tracks", tracks);
    }

    static JsonObject recovery(ParticipantSnapshot.Recovery r) {
        if (r == null) {
            return null;
        }
        JsonArray repairs = new JsonArray();
        for (ParticipantSnapshot.Repair x : r.repairs()) {
            repairs.add(new JsonObject().put("at", x.atMillis()).put("trackId", x.trackId()).put("issue", x.issue())
                    .put("action", x.action()));
        }
        return new JsonObject()
                .put("nacksSent", r.nacksSent())
                .put("rtxRecovered", r.rtxRecovered())
                .put("nacksReceived", r.nacksReceived())
                .put("retransmissions", r.retransmissions())
                .put("resumes", r.resumes())
                .put("iceRestarts", r.iceRestarts())
                .put("repairs", repairs);
    }

    static JsonObject track(TrackSnapshot t) {
        JsonArray subscribers = new JsonArray();
        for (TrackSnapshot.Subscription s : t.subscribers()) {
            subscribers.add(new JsonObject()
                    .put("participantId", s.participantId())
                    .put("ssrc", s.ssrc())
                    .put("packets", s.packets())
                    .put("bytes", s.bytes())
                    .put("bitrateBps", bps(s.bitrateBps()))
                    .put("targetLayer", s.targetLayer())
                    .put("currentLayer", s.currentLayer())
                    .put("layerReason", s.layerReason())
                    .put("transportState", s.transportState()));
        }
        JsonArray layers = null;
        if (t.layers() != null) {
            layers = new JsonArray();
            for (TrackSnapshot.Layer l : t.layers()) {
                layers.add(new JsonObject()
                        .put("rid", l.rid())
                        .put("spatial", l.spatial())
                        .put("active", l.active())
                        .put("bitrateBps", bps(l.bitrateBps()))
                        .put("frameRate", round(l.frameRate(), 10)));
            }
        }
        return new JsonObject()
                .put("id", t.id())
                .put("kind", t.kind())
                .put("source", t.source())
                .put("muted", t.muted())
                .put("codec", t.codec())
                .put("ssrc", t.ssrc())
                .put("packets", t.packets())
                .put("bytes", t.bytes())
                .put("bitrateBps", bps(t.bitrateBps()))
                .put("frameRate", round(t.frameRate(), 10))
                .put("layers", layers)
                .put("subscribers", subscribers);
    }

    static JsonObject history(ParticipantHistory h) {
        JsonArray points = new JsonArray();
        for (ParticipantHistory.Point p : h.points()) {
            points.add(new JsonObject()
                    .put("at", p.atMillis())
                    .put("uplinkBps", bps(p.uplinkBps()))
                    .put("downlinkBps", bps(p.downlinkBps()))
                    .put("bandwidthEstimateBps", bps(p.bandwidthEstimateBps()))
                    .put("lossFraction", fraction(p.lossFraction())));
        }
        return new JsonObject()
                .put("roomId", h.roomId())
                .put("participantId", h.participantId())
                .put("intervalMillis", h.intervalMillis())
                .put("points", points);
    }

    static JsonObject outcome(ActionOutcome o) {
        return new JsonObject().put("status", o.isDone() ? "done" : "not_found").put("message", o.message());
    }

    static JsonObject error(String code, String message) {
        return new JsonObject().put("error", code).put("message", message);
    }

    private static JsonObject traffic(Traffic t) {
        return new JsonObject()
                .put("packets", t.packets())
                .put("bytes", t.bytes())
                .put("packetsPerSecond", round(t.packetsPerSecond(), 10))
                .put("bitsPerSecond", bps(t.bitsPerSecond()));
    }

    private static JsonObject transport(ParticipantSnapshot.TransportSnapshot t) {
        if (t == null) {
            return null;
        }
        return new JsonObject().put("state", t.state()).put("remoteAddress", t.remoteAddress())
                .put("closeReason", t.closeReason()).put("protocol", t.protocol()).put("family", t.family())
                .put("candidate", t.candidate()).put("clientPath", clientPath(t.clientPath()));
    }

    /** What the client reported about the connection's selected pair; null until it reports. */
    private static JsonObject clientPath(ConnectionPath p) {
        if (p == null) {
            return null;
        }
        return new JsonObject().put("protocol", p.protocol()).put("candidateType", p.candidateType())
                .put("relayProtocol", p.relayProtocol()).put("family", p.family());
    }

    private static JsonObject counts(Map<String, Long> m) {
        JsonObject o = new JsonObject();
        new TreeMap<>(m).forEach(o::put);
        return o;
    }

    private static Long bps(Double v) {
        return v == null ? null : Math.round(v);
    }

    private static Double fraction(Double v) {
        return round(v, 1000);
    }

    private static Double round(Double v, int scale) {
        return v == null ? null : Math.round(v * scale) / (double) scale;
    }
}
