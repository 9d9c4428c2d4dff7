package dev.prism.cluster;

import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Writes and reads the fields of a node's record ({@code prism:node:<id>}). Pure. */
final class NodeRecord {
    static final String LINK = "link";
    static final String MEDIA_HOST = "mediaHost";
    static final String MEDIA_PORTS = "mediaPorts";
    static final String VERSION = "version";
    static final String API = "api";
    static final String STATE = "state";
    static final String SCORE = "score";
    static final String BUSY = "busy";
    static final String LAG_MS = "lagMs";
    static final String PARTICIPANTS = "participants";
    static final String ROOMS = "rooms";
    static final String INGRESS_BPS = "ingressBps";
    static final String EGRESS_BPS = "egressBps";
    static final String SEQ = "seq";
    static final String REPORTED_AT = "reportedAt";

    private NodeRecord() {
    }

    /** Field, value, field, value... for HSET. */
    static List<String> fields(NodeDescriptor descriptor, NodeState state, NodeLoad load, double score, long seq,
                               long reportedAtMillis) {
        List<String> f = new ArrayList<>(30);
        add(f, LINK, descriptor.linkUrl());
        add(f, MEDIA_HOST, descriptor.mediaHost());
        StringBuilder ports = new StringBuilder();
        for (int port : descriptor.mediaPorts()) {
            if (ports.length() > 0) {
                ports.append(',');
            }
            ports.append(port);
        }
        add(f, MEDIA_PORTS, ports.toString());
        add(f, VERSION, descriptor.version());
        add(f, API, descriptor.apiUrl());
        add(f, STATE, state.name());
        add(f, SCORE, Double.toString(score));
        add(f, BUSY, Double.toString(load.busiestLoopBusyRatio()));
        add(f, LAG_MS, Double.toString(load.busiestLoopLagMillis()));
        add(f, PARTICIPANTS, Integer.toString(load.participants()));
        add(f, ROOMS, Integer.toString(load.rooms()));
        add(f, INGRESS_BPS, Long.toString(load.ingressBitsPerSecond()));
        add(f, EGRESS_BPS, Long.toString(load.egressBitsPerSecond()));
        add(f, SEQ, Long.toString(seq));
        add(f, REPORTED_AT, Long.toString(reportedAtMillis));
        return f;
    }

    /** The HGETALL answer as a map (RESP2 flat list or RESP3 map); empty when the key does not exist. */
    static Map<String, String> toMap(Response response) {
        Map<String, String> map = new HashMap<>();
        if (response == null) {
            return map;
        }
        for (String key : response.getKeys()) {
            Response value = response.get(key);
            map.put(key, value == null ? null : value.toString());
        }
        return map;
    }

    /**
     * The node's view from its record, or throws {@link IllegalArgumentException} when a field does not parse (a
     * corrupt or foreign record: the caller skips that node).
     */
    static NodeView parse(String id, Map<String, String> f) {
        List<Integer> ports = new ArrayList<>();
        String portText = f.getOrDefault(MEDIA_PORTS, "");
        if (!portText.isEmpty()) {
            for (String p : portText.split(",", -1)) {
                ports.add(Integer.parseInt(p));
            }
        }
        NodeDescriptor descriptor = new NodeDescriptor(f.get(LINK), f.get(MEDIA_HOST), ports, f.get(VERSION),
                f.get(API));
        NodeLoad load = new NodeLoad(num(f, BUSY), num(f, LAG_MS), (int) whole(f, PARTICIPANTS), (int) whole(f, ROOMS),
                whole(f, INGRESS_BPS), whole(f, EGRESS_BPS));
        double score = num(f, SCORE);
        if (!Double.isFinite(score) || score < 0) {
            throw new IllegalArgumentException("bad score");
        }
        return new NodeView(id, descriptor, NodeState.parse(f.get(STATE)), load, score, whole(f, SEQ),
                whole(f, REPORTED_AT));
    }

    private static void add(List<String> f, String field, String value) {
        f.add(field);
        f.add(value);
    }

    private static double num(Map<String, String> f, String field) {
        String v = f.get(field);
        if (v == null) {
            throw new IllegalArgumentException("missing " + field);
        }
        return Double.parseDouble(v);
    }

    private static long whole(Map<String, String> f, String field) {
        String v = f.get(field);
        if (v == null) {
            throw new IllegalArgumentException("missing " + field);
        }
        return Long.parseLong(v);
    }
}
