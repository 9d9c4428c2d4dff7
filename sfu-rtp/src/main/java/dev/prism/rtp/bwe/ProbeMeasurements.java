package dev.prism.rtp.bwe;

/**
 * Measures what each probe cluster got through: the send rate of the cluster's packets and the rate at which they
 * arrived. A cluster is evaluated once its sending is over (a packet went out without its id) and feedback has reached
 * a packet sent after it. The result is {@code min(send rate, receive rate)}; when the receiver got clearly less than
 * was sent, the path is saturated and the result is 95% of the receive rate. Fewer than {@link #MIN_PACKETS} received,
 * or a receive rate implausibly above the send rate, make the measurement unusable (result 0).
 *
 * <p>Up to {@link #SLOTS} clusters are tracked at once, by id modulo that. Not thread-safe; no allocation.
 */
final class ProbeMeasurements {
    static final int SLOTS = 8;
    static final int MIN_PACKETS = 5;

    private final int[] id = new int[SLOTS];
    private final boolean[] active = new boolean[SLOTS];
    private final boolean[] sendingDone = new boolean[SLOTS];
    private final int[] sentCount = new int[SLOTS];
    private final long[] sentBytes = new long[SLOTS];
    private final long[] firstSend = new long[SLOTS];
    private final long[] lastSend = new long[SLOTS];
    private final int[] lastSentSize = new int[SLOTS];
    private final int[] recvCount = new int[SLOTS];
    private final long[] recvBytes = new long[SLOTS];
    private final long[] firstArrival = new long[SLOTS];
    private final long[] lastArrival = new long[SLOTS];
    private final int[] firstArrivalSize = new int[SLOTS];

    /** A packet went out, in cluster {@code clusterId} or none (-1). */
    void onSent(int clusterId, int size, long sendMicros) {
        for (int s = 0; s < SLOTS; s++) {
            if (active[s] && id[s] != clusterId) {
                sendingDone[s] = true;
            }
        }
        if (clusterId < 0) {
            return;
        }
        int s = clusterId % SLOTS;
        if (!active[s] || id[s] != clusterId) {
            active[s] = true;
            id[s] = clusterId;
            sendingDone[s] = false;
            sentCount[s] = 0;
            sentBytes[s] = 0;
            firstSend[s] = sendMicros;
            recvCount[s] = 0;
            recvBytes[s] = 0;
        }
        sentCount[s]++;
        sentBytes[s] += size;
        lastSend[s] = sendMicros;
        lastSentSize[s] = size;
    }

    /** A cluster packet was reported received. */
    void onReceived(int clusterId, int size, long arrivalMicros) {
        int s = clusterId % SLOTS;
        if (clusterId < 0 || !active[s] || id[s] != clusterId) {
            return;
        }
        if (recvCount[s] == 0 || arrivalMicros < firstArrival[s]) {
            firstArrival[s] = arrivalMicros;
            firstArrivalSize[s] = size;
        }
        if (recvCount[s] == 0 || arrivalMicros > lastArrival[s]) {
            lastArrival[s] = arrivalMicros;
        }
        recvCount[s]++;
        recvBytes[s] += size;
    }

    /**
     * Evaluates every cluster whose sending is over and whose packets feedback has gone past (it reported a packet
     * sent at {@code newestReportedSendMicros}); each result goes to {@code observer} once.
     *
     * @return the best usable result in bits per second, or 0
     */
    long evaluate(long newestReportedSendMicros, ProbeObserver observer) {
        return evaluate(newestReportedSendMicros, observer, Long.MAX_VALUE);
    }

    /**
     * As {@link #evaluate(long, ProbeObserver)}, no result above {@code capBps}: the same feedback showed the path
     * queueing and delivering only that much ({@link LinkDropDetector}), so a cluster that seemed to pass went into
     * a token bucket's burst or a queue, not through a wider path.
     */
    long evaluate(long newestReportedSendMicros, ProbeObserver observer, long capBps) {
        long best = 0;
        for (int s = 0; s < SLOTS; s++) {
            if (!active[s] || !sendingDone[s] || newestReportedSendMicros <= lastSend[s]) {
                continue;
            }
            active[s] = false;
            long result = Math.min(capBps, result(s));
            best = Math.max(best, result);
            if (observer != null) {
                observer.onProbeResult(id[s], result);
            }
        }
        return best;
    }

    private long result(int s) {
        if (recvCount[s] < MIN_PACKETS || sentCount[s] < 2) {
            return 0;
        }
        long sendInterval = lastSend[s] - firstSend[s];
        long recvInterval = lastArrival[s] - firstArrival[s];
        if (sendInterval <= 0 || recvInterval <= 0) {
            return 0;
        }
        // The first packet's arrival opens the receive interval and the last send closes the send interval.
        double sendBps = (sentBytes[s] - lastSentSize[s]) * 8e6 / sendInterval;
        double recvBps = (recvBytes[s] - firstArrivalSize[s]) * 8e6 / recvInterval;
        if (recvBps > 2 * sendBps) {
            return 0;
        }
        if (recvBps < 0.9 * sendBps) {
            return (long) (0.95 * recvBps);
        }
        return (long) Math.min(sendBps, recvBps);
    }
}
