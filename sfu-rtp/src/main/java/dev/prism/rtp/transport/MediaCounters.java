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
    private final AtomicLongArray totals = new AtomicLongArray(8);
    private static final int PACKETS_IN = 0;
    private static final int BYTES_IN = 1;
    private static final int PACKETS_OUT = 2;
    private static final int BYTES_OUT = 3;
    private static final int RTP_FORWARDED = 4;
    private static final int KEYFRAME_REQUESTS = 5;
    private static final int DTLS_OK = 6;
    private static final int DTLS_FAILED = 7;

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
