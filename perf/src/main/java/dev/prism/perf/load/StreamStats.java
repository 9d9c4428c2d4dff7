package dev.prism.perf.load;

import dev.prism.core.rtp.MediaKind;

/**
 * Reception of one RTP stream at one subscriber: packets received and the extended highest sequence number (RFC 3550
 * A.1 style, without probation), with a mark to count over a measurement window. Loop only.
 */
final class StreamStats {
    private final MediaKind kind;
    private boolean started;
    private long received;
    private long highestExt;
    private long firstExt;
    private long markReceived;
    private long markHighest;
    private boolean marked;

    StreamStats(MediaKind kind) {
        this.kind = kind;
    }

    MediaKind kind() {
        return kind;
    }

    void onPacket(int seq) {
        received++;
        if (!started) {
            started = true;
            highestExt = seq;
            firstExt = seq;
            return;
        }
        int delta = (short) (seq - (int) (highestExt & 0xFFFF));
        if (delta > 0) {
            highestExt += delta;
        }
    }

    long received() {
        return received;
    }

    /** Extended highest sequence number, or -1 before the first packet. */
    long highestExt() {
        return started ? highestExt : -1;
    }

    /** Packets missing so far (sequence numbers never received), 0 before the first packet. */
    long lost() {
        return started ? Math.max(0, highestExt - firstExt + 1 - received) : 0;
    }

    /** Starts a window here. */
    void mark() {
        marked = started;
        markReceived = received;
        markHighest = highestExt;
    }

    /** Packets received since the mark. */
    long receivedSinceMark() {
        return received - markReceived;
    }

    /** Packets the sender sent since the mark (by sequence number), 0 if the stream had not started at the mark. */
    long expectedSinceMark() {
        return marked ? highestExt - markHighest : 0;
    }
}
