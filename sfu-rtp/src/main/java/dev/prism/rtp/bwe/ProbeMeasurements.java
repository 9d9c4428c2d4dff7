package dev.prism.rtp.bwe;

/**
 * Measures what each probe cluster got through: the send rate of the cluster's packets and the rate at which they
 * arrived. A cluster is evaluated once its sending is over (a packet went out without its id) and feedback has reached
 * a packet sent after it. The result is {@code min(send rate, receive rate)}; when the receiver got clearly less than
 * was sent, the path is saturated and the result is 95% of the receive rate. Fewer than {@link #MIN_PACKETS} received,
 * or a receive rate implausibly above the send rate, make the measurement unusable (result 0).
 *
 * <p>A cluster whose packets queue up ({@link #QUEUE_GROWTH_FAIL_MICROS} more queueing delay than its first received
 * packet had, still so at the end of a feedback message, and not a burst of late packets: see {@link #onFeedbackEnd})
 * has failed whatever rate it seemed to get through: the path is narrower than the cluster's rate, and what arrived
 * fast came out of a token bucket's burst or went into a queue. {@link #onFeedbackEnd} says so on the feedback that
 * shows it, so the prober can stop sending before the queue overflows and loses media (measured on the browser
 * test's 300 kbit/s relay: every 600 ms retry at twice the link's rate lost media with its padding); the result is
 * the rate its packets arrived at once they queued (the bottleneck's capacity), or 0 when too few of them arrived.
 *
 * <p>Up to {@link #SLOTS} clusters are tracked at once, by id modulo that. Not thread-safe; no allocation.
 */
final class ProbeMeasurements {
    static final int SLOTS = 8;
    static final int MIN_PACKETS = 5;
    /**
     * Queueing delay a cluster's packets may gain over its first received one before it counts as failed: above the
     * few milliseconds a burst of padding adds on a wide path, well below a short router or token bucket queue
     * (150 ms in the browser test), so the cluster stops while that queue still has room.
     */
    static final long QUEUE_GROWTH_FAIL_MICROS = 30_000;
    /**
     * Packets that came {@link #QUEUE_GROWTH_FAIL_MICROS} late but arrived faster than this share of the rate they
     * were sent at came out of a receiver's stall, not a queue: a bottleneck lets packets out no faster than it
     * takes them in.
     */
    static final double STALL_ARRIVAL_SHARE = 0.5;

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
    private final long[] firstQueueDelay = new long[SLOTS];
    private final boolean[] queued = new boolean[SLOTS];
    /** Received packets in a row {@link #QUEUE_GROWTH_FAIL_MICROS} above the first one (until it counts as queued). */
    private final int[] run = new int[SLOTS];
    private final long[] runFirstSend = new long[SLOTS];
    private final long[] runLastSend = new long[SLOTS];
    /** Arrivals from the first packet of that run on: once queued, they left the bottleneck back to back. */
    private final int[] queuedCount = new int[SLOTS];
    private final long[] queuedBytes = new long[SLOTS];
    private final long[] queuedFirstArrival = new long[SLOTS];
    private final long[] queuedLastArrival = new long[SLOTS];
    private final int[] queuedFirstSize = new int[SLOTS];

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
            queued[s] = false;
            run[s] = 0;
        }
        sentCount[s]++;
        sentBytes[s] += size;
        lastSend[s] = sendMicros;
        lastSentSize[s] = size;
    }

    /**
     * A cluster packet sent at {@code sendMicros} was reported received, {@code queueDelayMicros} above the lowest
     * one-way delay seen lately. Packets come in transport-wide order, one feedback message after the other, each
     * message closed by {@link #onFeedbackEnd}.
     */
    void onReceived(int clusterId, int size, long sendMicros, long arrivalMicros, long queueDelayMicros) {
        int s = clusterId % SLOTS;
        if (clusterId < 0 || !active[s] || id[s] != clusterId) {
            return;
        }
        if (recvCount[s] == 0) {
            firstQueueDelay[s] = queueDelayMicros;
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
        if (!queued[s]) {
            if (queueDelayMicros - firstQueueDelay[s] < QUEUE_GROWTH_FAIL_MICROS) {
                run[s] = 0; // on time again: what came late was a stall, not a queue
            } else {
                if (run[s] == 0) {
                    runFirstSend[s] = sendMicros;
                    queuedCount[s] = 0;
                    queuedBytes[s] = 0;
                }
                run[s]++;
                runLastSend[s] = sendMicros;
            }
        }
        if (queued[s] || run[s] > 0) {
            if (queuedCount[s] == 0 || arrivalMicros < queuedFirstArrival[s]) {
                queuedFirstArrival[s] = arrivalMicros;
                queuedFirstSize[s] = size;
            }
            if (queuedCount[s] == 0 || arrivalMicros > queuedLastArrival[s]) {
                queuedLastArrival[s] = arrivalMicros;
            }
            queuedCount[s]++;
            queuedBytes[s] += size;
        }
    }

    /**
     * A feedback message's packets have all been through {@link #onReceived}: a cluster whose latest reported packets
     * are still {@link #QUEUE_GROWTH_FAIL_MICROS} above its first one is queueing up at the bottleneck, unless they
     * arrived in a burst ({@link #STALL_ARRIVAL_SHARE}): a receiver that stalled (a loaded machine descheduling the
     * browser: 30-200 ms in the browser tests on 2 shared cores) stamps what it takes in late with one arrival time,
     * and the packets after are on time again. Judging single packets, one late packet failed a probe of a wide path,
     * again and again (measured in a fake-clock run: the estimate settled short of the top layer's headroom).
     *
     * @return the cluster found queueing up now (once per cluster: it has failed, its result is at most what
     *         arrived once the queue stood), or -1
     */
    int onFeedbackEnd() {
        int found = -1;
        for (int s = 0; s < SLOTS; s++) {
            if (!active[s] || queued[s] || run[s] == 0) {
                continue;
            }
            long sendSpan = runLastSend[s] - runFirstSend[s];
            long arrivalSpan = queuedLastArrival[s] - queuedFirstArrival[s];
            if (run[s] >= 2 && arrivalSpan < STALL_ARRIVAL_SHARE * sendSpan) {
                continue; // a burst of late packets: a stall, unless the next message shows them still late
            }
            queued[s] = true;
            if (found < 0) {
                found = id[s];
            }
        }
        return found;
    }

    /**
     * What cluster {@code clusterId}, found queueing up ({@link #onFeedbackEnd}), has measured so far: the rate its
     * packets arrived at once the queue stood, as its result will count it; 0 when unknown yet.
     */
    long queuedCapacityBps(int clusterId) {
        int s = clusterId % SLOTS;
        return clusterId >= 0 && active[s] && id[s] == clusterId && queued[s] ? queuedResult(s) : 0;
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
            if (observer != null) {
                result = Math.min(result, observer.probeTargetBps(id[s]));
            }
            best = Math.max(best, result);
            if (observer != null) {
                observer.onProbeResult(id[s], result);
            }
        }
        return best;
    }

    private long result(int s) {
        if (queued[s]) {
            return queuedResult(s);
        }
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

    /**
     * A cluster that queued up failed: its result is what the bottleneck delivered once the queue stood (those
     * packets left it back to back), not the whole cluster's arrival rate, which counts what a token bucket's burst
     * let through at the cluster's rate before the queue formed. 0 when too few packets arrived after that.
     */
    private long queuedResult(int s) {
        if (queuedCount[s] < 3 || queuedLastArrival[s] <= queuedFirstArrival[s] || lastSend[s] <= firstSend[s]) {
            return 0;
        }
        double capacityBps = (queuedBytes[s] - queuedFirstSize[s]) * 8e6 / (queuedLastArrival[s] - queuedFirstArrival[s]);
        double sendBps = (sentBytes[s] - lastSentSize[s]) * 8e6 / (lastSend[s] - firstSend[s]);
        return (long) Math.min(0.95 * capacityBps, 0.85 * sendBps); // a failure, whatever jitter did to the spacing
    }
}
