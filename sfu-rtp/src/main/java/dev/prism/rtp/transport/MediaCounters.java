package dev.prism.rtp.transport;

import dev.prism.rtp.pacer.PacerTotals;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Packet and drop counters of one media engine, or the sum of several ({@link #sumOf}). Written by the engine's event
 * loop, read by anyone (admin, metrics). Increments are single atomic adds: no allocation, no lock; each engine has
 * its own, so loops never write the same cache line.
 */
public final class MediaCounters implements PacerTotals {
    private final AtomicLongArray drops = new AtomicLongArray(DropReason.values().length);
    private final AtomicLongArray totals = new AtomicLongArray(21);
    /** Audio packets forwarded to subscribers (beside {@link DropReason#AUDIO_TOP_N}, those top-N withheld). */
    private final java.util.concurrent.atomic.AtomicLong audioForwarded = new java.util.concurrent.atomic.AtomicLong();
    /** Null for an engine's own counters; the engines' counters for a read-only sum. */
    private final List<MediaCounters> parts;
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
    /** A gauge: live transports whose media path is an ICE-TCP connection. */
    private static final int TRANSPORTS_ON_TCP = 13;
    /** A gauge: open ICE-TCP connections (checking or bound). */
    private static final int TCP_CONNECTIONS = 14;
    private static final int TCP_ACCEPTED = 15;
    private static final int PACER_WAITED = 16;
    private static final int PACER_WAIT_MICROS = 17;
    private static final int PACER_SENT_EARLY = 18;
    /** Opus RED packets forwarded as RED, and stripped to their Opus primary block, for subscribers. */
    private static final int RED_FORWARDED = 19;
    private static final int RED_STRIPPED = 20;

    public MediaCounters() {
        this.parts = null;
    }

    private MediaCounters(List<MediaCounters> parts) {
        this.parts = List.copyOf(parts);
    }

    /** A live read-only view: every getter returns the sum over {@code parts}; the increment methods throw. */
    public static MediaCounters sumOf(List<MediaCounters> parts) {
        return parts.size() == 1 ? parts.get(0) : new MediaCounters(parts);
    }

    private long total(int index) {
        if (parts == null) {
            return totals.get(index);
        }
        long sum = 0;
        for (MediaCounters p : parts) {
            sum += p.total(index);
        }
        return sum;
    }

    private AtomicLongArray writable(AtomicLongArray array) {
        if (parts != null) {
            throw new UnsupportedOperationException("a sum of media counters is read-only");
        }
        return array;
    }

    public void drop(DropReason reason) {
        writable(drops).incrementAndGet(reason.ordinal());
    }

    /** An Opus RED packet went to a subscriber as RED ({@code RedForwarder}). */
    public void redForwarded() {
        writable(totals).incrementAndGet(RED_FORWARDED);
    }

    /** An Opus RED packet went to a subscriber as plain Opus, its primary block ({@code RedForwarder}). */
    public void redStripped() {
        writable(totals).incrementAndGet(RED_STRIPPED);
    }

    public long redForwardedPackets() {
        return total(RED_FORWARDED);
    }

    public long redStrippedPackets() {
        return total(RED_STRIPPED);
    }

    public void received(int bytes) {
        writable(totals).incrementAndGet(PACKETS_IN);
        writable(totals).addAndGet(BYTES_IN, bytes);
    }

    public void sent(int bytes) {
        writable(totals).incrementAndGet(PACKETS_OUT);
        writable(totals).addAndGet(BYTES_OUT, bytes);
    }

    public void forwarded() {
        writable(totals).incrementAndGet(RTP_FORWARDED);
    }

    /** One audio packet forwarded to a subscriber (also counted in {@link #rtpForwarded()}). */
    public void audioForwarded() {
        if (parts != null) {
            throw new UnsupportedOperationException("a sum of media counters is read-only");
        }
        audioForwarded.incrementAndGet();
    }

    /** Audio packets forwarded to subscribers. */
    public long audioForwardedPackets() {
        if (parts == null) {
            return audioForwarded.get();
        }
        long sum = 0;
        for (MediaCounters p : parts) {
            sum += p.audioForwardedPackets();
        }
        return sum;
    }

    public void keyframeRequested() {
        writable(totals).incrementAndGet(KEYFRAME_REQUESTS);
    }

    /** {@code packets} sequence numbers NACKed toward publishers. */
    public void nacksSent(int packets) {
        writable(totals).addAndGet(NACKS_SENT, packets);
    }

    /** {@code packets} sequence numbers NACKed by subscribers. */
    public void nacksReceived(int packets) {
        writable(totals).addAndGet(NACKS_RECEIVED, packets);
    }

    /** One retransmission sent to a subscriber. */
    public void retransmitted() {
        writable(totals).incrementAndGet(RETRANSMITTED);
    }

    /** One retransmission received from a publisher and used. */
    public void repairedByRtx() {
        writable(totals).incrementAndGet(RTX_RECEIVED);
    }

    public long nacksSent() {
        return total(NACKS_SENT);
    }

    public long nacksReceived() {
        return total(NACKS_RECEIVED);
    }

    public long retransmissions() {
        return total(RETRANSMITTED);
    }

    public long rtxReceived() {
        return total(RTX_RECEIVED);
    }

    /** One subscriber's stream switched to another simulcast layer. */
    public void layerSwitched() {
        writable(totals).incrementAndGet(LAYER_SWITCHES);
    }

    public long layerSwitches() {
        return total(LAYER_SWITCHES);
    }

    public void dtlsSucceeded() {
        writable(totals).incrementAndGet(DTLS_OK);
    }

    public void dtlsFailed() {
        writable(totals).incrementAndGet(DTLS_FAILED);
    }

    public long dtlsHandshakes() {
        return total(DTLS_OK);
    }

    public long dtlsFailures() {
        return total(DTLS_FAILED);
    }

    /** A transport's media path moved onto ({@code +1}) or off ({@code -1}) an ICE-TCP connection. */
    public void transportsOnTcp(int delta) {
        writable(totals).addAndGet(TRANSPORTS_ON_TCP, delta);
    }

    /** Live transports whose media path is ICE-TCP (a gauge); the others use UDP. */
    public long transportsOnTcp() {
        return total(TRANSPORTS_ON_TCP);
    }

    /** An ICE-TCP connection was accepted (and counted open) or closed. */
    public void tcpConnection(boolean opened) {
        writable(totals).addAndGet(TCP_CONNECTIONS, opened ? 1 : -1);
        if (opened) {
            writable(totals).incrementAndGet(TCP_ACCEPTED);
        }
    }

    /** Open ICE-TCP connections (a gauge). */
    public long tcpConnections() {
        return total(TCP_CONNECTIONS);
    }

    /** ICE-TCP connections accepted so far (refused ones are counted as drops instead). */
    public long tcpAccepted() {
        return total(TCP_ACCEPTED);
    }

    public long drops(DropReason reason) {
        if (parts == null) {
            return drops.get(reason.ordinal());
        }
        long sum = 0;
        for (MediaCounters p : parts) {
            sum += p.drops(reason);
        }
        return sum;
    }

    public Map<DropReason, Long> dropsSnapshot() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            m.put(r, drops(r));
        }
        return m;
    }

    public long packetsIn() {
        return total(PACKETS_IN);
    }

    public long bytesIn() {
        return total(BYTES_IN);
    }

    public long packetsOut() {
        return total(PACKETS_OUT);
    }

    public long bytesOut() {
        return total(BYTES_OUT);
    }

    public long rtpForwarded() {
        return total(RTP_FORWARDED);
    }

    public long keyframeRequests() {
        return total(KEYFRAME_REQUESTS);
    }

    @Override
    public void waited(long waitNanos) {
        writable(totals).incrementAndGet(PACER_WAITED);
        writable(totals).addAndGet(PACER_WAIT_MICROS, waitNanos / 1_000);
    }

    @Override
    public void sentEarly() {
        writable(totals).incrementAndGet(PACER_SENT_EARLY);
    }

    /** Packets a subscriber's pacer held before sending (the others left at once). */
    public long pacerWaited() {
        return total(PACER_WAITED);
    }

    /** The time those packets waited, summed, in microseconds (divided by {@link #pacerWaited}: the mean wait). */
    public long pacerWaitMicros() {
        return total(PACER_WAIT_MICROS);
    }

    /** Packets a full pacer queue sent before their turn (bounded memory instead of loss). */
    public long pacerSentEarly() {
        return total(PACER_SENT_EARLY);
    }
}
