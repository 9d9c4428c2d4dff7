package dev.prism.rtp.transport;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Packet and drop counters of the media plane. Written by the media event loop, read by anyone (admin, metrics).
 * Increments are single atomic adds: no allocation, no lock.
 */
public final class MediaCounters {
    private final AtomicLongArray drops = new AtomicLongArray(DropReason.values().length);
    private final AtomicLongArray totals = new AtomicLongArray(13);
    private static final int PACKETS_IN = 0;
    private static final int BYTES_IN = 1;
    private static final int PACKETS_OUT = 2;
    private static final int BYTES_OUT = 3;
    private static final int RTP_FORWARDED = 4;
    private static final int KEYFRAME_REQUESTS = 5;
    private static final int DTLS_OK = 6;
    private static final int DTLS_FAILED = 7;
    private static final int NACKS_SENT = 8;
    private static final int NACKS_RECEIVED = 9;
    private static final int RETRANSMITTED = 10;
    private static final int RTX_RECEIVED = 11;
    private static final int LAYER_SWITCHES = 12;

    public void drop(DropReason reason) {
        drops.incrementAndGet(reason.ordinal());
    }

    public void received(int bytes) {
        totals.incrementAndGet(PACKETS_IN);
        totals.addAndGet(BYTES_IN, bytes);
    }

    public void sent(int bytes) {
        totals.incrementAndGet(PACKETS_OUT);
        totals.addAndGet(BYTES_OUT, bytes);
    }

    public void forwarded() {
        totals.incrementAndGet(RTP_FORWARDED);
    }

    public void keyframeRequested() {
        totals.incrementAndGet(KEYFRAME_REQUESTS);
    }

    /** {@code packets} sequence numbers NACKed toward publishers. */
    public void nacksSent(int packets) {
        totals.addAndGet(NACKS_SENT, packets);
    }

    /** {@code packets} sequence numbers NACKed by subscribers. */
    public void nacksReceived(int packets) {
        totals.addAndGet(NACKS_RECEIVED, packets);
    }

    /** One retransmission sent to a subscriber. */
    public void retransmitted() {
        totals.incrementAndGet(RETRANSMITTED);
    }

    /** One retransmission received from a publisher and used. */
    public void repairedByRtx() {
        totals.incrementAndGet(RTX_RECEIVED);
    }

    public long nacksSent() {
        return totals.get(NACKS_SENT);
    }

    public long nacksReceived() {
        return totals.get(NACKS_RECEIVED);
    }

    public long retransmissions() {
        return totals.get(RETRANSMITTED);
    }

    public long rtxReceived() {
        return totals.get(RTX_RECEIVED);
    }

    /** One subscriber's stream switched to another simulcast layer. */
    public void layerSwitched() {
        totals.incrementAndGet(LAYER_SWITCHES);
    }

    public long layerSwitches() {
        return totals.get(LAYER_SWITCHES);
    }

    public void dtlsSucceeded() {
        totals.incrementAndGet(DTLS_OK);
    }

    public void dtlsFailed() {
        totals.incrementAndGet(DTLS_FAILED);
    }

    public long dtlsHandshakes() {
        return totals.get(DTLS_OK);
    }

    public long dtlsFailures() {
        return totals.get(DTLS_FAILED);
    }

    public long drops(DropReason reason) {
        return drops.get(reason.ordinal());
    }

    public Map<DropReason, Long> dropsSnapshot() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            m.put(r, drops.get(r.ordinal()));
        }
        return m;
    }

    public long packetsIn() {
        return totals.get(PACKETS_IN);
    }

    public long bytesIn() {
        return totals.get(BYTES_IN);
    }

    public long packetsOut() {
        return totals.get(PACKETS_OUT);
    }

    public long bytesOut() {
        return totals.get(BYTES_OUT);
    }

    public long rtpForwarded() {
        return totals.get(RTP_FORWARDED);
    }

    public long keyframeRequests() {
        return totals.get(KEYFRAME_REQUESTS);
    }
}
