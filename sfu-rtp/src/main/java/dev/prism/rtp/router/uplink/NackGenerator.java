package dev.prism.rtp.router.uplink;

import dev.prism.rtp.packet.SeqNum;

/**
 * Finds the packets missing from one incoming stream and decides when to ask the publisher for them again (generic
 * NACK, RFC 4585). Pure: time comes in as arguments, nothing is sent from here.
 *
 * <p>{@link #onPacket} is called for every packet of the stream, retransmissions included. A jump forward puts the
 * skipped sequence numbers on the missing list; a late or retransmitted packet takes its number off. A jump of more than
 * {@link #MAX_GAP} is not loss but a restarted stream: the list is cleared and {@link #RESET} tells the caller to ask
 * for a keyframe instead.
 *
 * <p>{@link #collect} returns the numbers to NACK now: each missing packet is asked for at once, then again when an
 * RTT (plus a quarter, at least {@link #MIN_RETRY_INTERVAL_NANOS}) has passed without it arriving, each later retry
 * waiting {@link #RETRY_BACKOFF} times longer than the one before, at most {@code maxRetries} times and for at most
 * {@code maxAgeNanos} after it went missing. After that it is dropped from the list (counted in {@link #givenUp()}):
 * the retransmission could not arrive in time to help, and the receivers will ask for a keyframe. The back-off spreads
 * the retries over the time a retransmission can still help: on a path with a tiny RTT (loopback, a LAN) ten retries
 * a floor apart were all spent within 100 ms, and a packet whose retransmissions the publisher's pacer held longer
 * was given up while it could still have arrived.
 *
 * <p>Key frames first: a missing packet that belongs to a key frame (the gap opened inside one, or right after one
 * began) is asked for before any other due at the same time, because a lost key-frame packet stalls every subscriber
 * until it is repaired or a new key frame comes. A packet's frame is known from the packets around the gap: the
 * caller passes each packet's RTP timestamp and whether it starts a key frame.
 *
 * <p>Bounded: at most {@code capacity} packets are tracked; when more go missing the oldest are given up. One thread
 * (the room's event loop); {@code onPacket} and {@code collect} allocate nothing.
 */
public final class NackGenerator {
    /** A forward jump larger than this is a stream restart (or garbage), not loss worth repairing. */
    public static final int MAX_GAP = 1000;
    public static final int DEFAULT_CAPACITY = 512;
    public static final int DEFAULT_MAX_RETRIES = 10;
    /** Asking later than this is pointless: the publisher's own history and the receivers' patience are about 1 s. */
    public static final long DEFAULT_MAX_AGE_NANOS = 1_000_000_000L;
    /** Floor between two NACKs of one packet, whatever the RTT says (loopback RTTs are microseconds). */
    public static final long MIN_RETRY_INTERVAL_NANOS = 10_000_000L;
    /** Each retry of one packet waits this much longer than the one before. */
    public static final double RETRY_BACKOFF = 1.5;

    /** {@link #onPacket} result: the newest packet, right after the previous newest. */
    public static final int IN_ORDER = 0;
    /** The newest packet, after a gap: the skipped numbers are now missing. */
    public static final int GAP = 1;
    /** An older packet that was missing: recovered (retransmission or reordering). */
    public static final int RECOVERED = 2;
    /** An older packet that was not missing: a duplicate, or older than anything tracked. */
    public static final int DUPLICATE = 3;
    /** A jump beyond {@link #MAX_GAP}: tracking restarted here; ask for a keyframe. */
    public static final int RESET = 4;

    private final int maxRetries;
    private final long maxAgeNanos;
    private final long[] missing;
    private final long[] missingSinceNanos;
    private final long[] lastNackNanos;
    private final int[] retries;
    private final boolean[] keyframe;
    private int count;
    /** RTP timestamp of the newest packet and of the latest key frame start; {@code haveKey} once one was seen. */
    private long highestTimestamp = -1;
    private long keyTimestamp;
    private boolean haveKey;

    private boolean started;
    private long highest;
    private long nacked;
    private long recovered;
    private long givenUp;
    private long lastRecoveryDelayNanos = -1;

    public NackGenerator(int capacity, int maxRetries, long maxAgeNanos) {
        if (capacity < 1 || maxRetries < 1 || maxAgeNanos <= 0) {
            throw new IllegalArgumentException("capacity " + capacity + " maxRetries " + maxRetries + " maxAge "
                    + maxAgeNanos);
        }
        this.maxRetries = maxRetries;
        this.maxAgeNanos = maxAgeNanos;
        this.missing = new long[capacity];
        this.missingSinceNanos = new long[capacity];
        this.lastNackNanos = new long[capacity];
        this.retries = new int[capacity];
        this.keyframe = new boolean[capacity];
    }

    public NackGenerator() {
        this(DEFAULT_CAPACITY, DEFAULT_MAX_RETRIES, DEFAULT_MAX_AGE_NANOS);
    }

    /** Takes one received packet's sequence number; returns one of the result constants. Gaps are not key frames. */
    public int onPacket(int seq, long nowNanos) {
        return onPacket(seq, nowNanos, -1, false);
    }

    /**
     * Takes one received packet; returns one of the result constants.
     *
     * @param timestamp     its RTP timestamp (-1 for unknown)
     * @param keyframeStart whether it is the first packet of a key frame
     */
    public int onPacket(int seq, long nowNanos, long timestamp, boolean keyframeStart) {
        if (!started) {
            started = true;
            highest = seq & SeqNum.MASK;
            newest(timestamp, keyframeStart);
            return IN_ORDER;
        }
        long ext = SeqNum.unwrap(seq, highest);
        if (ext > highest) {
            long gap = ext - highest - 1;
            if (gap > MAX_GAP) {
                count = 0;
                highest = ext;
                newest(timestamp, keyframeStart);
                return RESET;
            }
            // The gap is part of a key frame when it opened inside one (the packet before it was one's) or the packet
            // after it continues one.
            boolean key = haveKey && timestamp >= 0
                    && (highestTimestamp == keyTimestamp || timestamp == keyTimestamp && !keyframeStart);
            for (long s = highest + 1; s < ext; s++) {
                addMissing(s, nowNanos, key);
            }
            highest = ext;
            newest(timestamp, keyframeStart);
            return gap == 0 ? IN_ORDER : GAP;
        }
        if (ext == highest) {
            return DUPLICATE;
        }
        int i = indexOf(ext);
        if (i < 0) {
            return DUPLICATE;
        }
        recovered++;
        // One NACK and back: that was one round trip (ambiguous after retries, so not sampled then).
        lastRecoveryDelayNanos = retries[i] == 1 ? nowNanos - lastNackNanos[i] : -1;
        removeAt(i);
        return RECOVERED;
    }

    private void newest(long timestamp, boolean keyframeStart) {
        if (keyframeStart && timestamp >= 0) {
            keyTimestamp = timestamp;
            haveKey = true;
        }
        highestTimestamp = timestamp;
    }

    /**
     * Writes into {@code out} the sequence numbers to NACK now, key-frame packets first, oldest first within each, and
     * records that they were asked for.
     *
     * @param rttNanos the current round-trip estimate to the publisher; a packet is asked for again once this much
     *                 (plus a quarter, at least {@link #MIN_RETRY_INTERVAL_NANOS}) has passed since the first NACK,
     *                 {@link #RETRY_BACKOFF} times that since the second, and so on ({@link #retryInterval})
     * @return how many were written (at most {@code out.length})
     */
    public int collect(long nowNanos, long rttNanos, int[] out) {
        long interval = Math.max(MIN_RETRY_INTERVAL_NANOS, rttNanos + rttNanos / 4);
        int i = 0;
        while (i < count) {
            if (retries[i] >= maxRetries || nowNanos - missingSinceNanos[i] > maxAgeNanos) {
                givenUp++;
                removeAt(i);
                continue;
            }
            i++;
        }
        int n = collect(nowNanos, interval, out, 0, true);
        return collect(nowNanos, interval, out, n, false);
    }

    /** One pass of {@link #collect} over the key-frame packets or the others; returns the new {@code n}. */
    private int collect(long nowNanos, long interval, int[] out, int n, boolean key) {
        for (int i = 0; i < count && n < out.length; i++) {
            if (keyframe[i] == key && (retries[i] == 0 || nowNanos - lastNackNanos[i] >= retryInterval(interval,
                    retries[i]))) {
                out[n++] = (int) (missing[i] & SeqNum.MASK);
                lastNackNanos[i] = nowNanos;
                retries[i]++;
                nacked++;
            }
        }
        return n;
    }

    /** The wait after NACK number {@code asked} (1 = the first) of one packet: {@code first x RETRY_BACKOFF^(asked-1)}. */
    static long retryInterval(long first, int asked) {
        double wait = first;
        for (int k = 1; k < asked; k++) {
            wait *= RETRY_BACKOFF;
        }
        return (long) wait;
    }

    /** Packets currently missing. */
    public int missingCount() {
        return count;
    }

    /** Whether anything is waiting for a (re)send now or later; cheap check before {@link #collect}. */
    public boolean hasMissing() {
        return count > 0;
    }

    /** Sequence numbers asked for so far (each retry counts). */
    public long nacked() {
        return nacked;
    }

    /** Missing packets that arrived later. */
    public long recovered() {
        return recovered;
    }

    /** Missing packets dropped from the list unrecovered (too many retries, too old, or list overflow). */
    public long givenUp() {
        return givenUp;
    }

    /**
     * Time from the single NACK to the arrival of the packet the last {@link #RECOVERED} result took off the list: a
     * round-trip sample; -1 when that packet had been asked for more than once, or never.
     */
    public long lastRecoveryDelayNanos() {
        return lastRecoveryDelayNanos;
    }

    private void addMissing(long ext, long nowNanos, boolean key) {
        if (count == missing.length) {
            givenUp++;
            removeAt(0);
        }
        missing[count] = ext;
        missingSinceNanos[count] = nowNanos;
        lastNackNanos[count] = 0;
        retries[count] = 0;
        keyframe[count] = key;
        count++;
    }

    private int indexOf(long ext) {
        // Sorted ascending (numbers are added in order): binary search.
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = missing[mid];
            if (v < ext) {
                lo = mid + 1;
            } else if (v > ext) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    private void removeAt(int i) {
        int tail = count - i - 1;
        if (tail > 0) {
            System.arraycopy(missing, i + 1, missing, i, tail);
            System.arraycopy(missingSinceNanos, i + 1, missingSinceNanos, i, tail);
            System.arraycopy(lastNackNanos, i + 1, lastNackNanos, i, tail);
            System.arraycopy(retries, i + 1, retries, i, tail);
            System.arraycopy(keyframe, i + 1, keyframe, i, tail);
        }
        count--;
    }
}
