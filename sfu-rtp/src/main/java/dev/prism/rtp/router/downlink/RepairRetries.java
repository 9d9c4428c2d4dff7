package dev.prism.rtp.router.downlink;

/**
 * One subscriber's retransmissions in flight, by the transport-wide sequence number each was sent with, so that a
 * retransmission its transport-cc feedback reports lost is sent again at once: a second try without waiting for the
 * subscriber to notice and NACK again (Chrome re-asks only after its own round-trip estimate, 100 ms when it has
 * none, by which time the frame is late). A packet is tried at most {@link #MAX_TRIES} times this way in all.
 *
 * <p>A ring indexed by the transport-wide number: an entry is found only while no later retransmission took its slot
 * (feedback comes within tens of milliseconds; {@link #CAPACITY} retransmissions is far more than that).
 *
 * <p>One thread (the subscriber's event loop). Preallocated; {@link #onSent} and {@link #take} allocate nothing. The
 * consumers referenced are only looked up, never kept beyond their slot's reuse; a closed one ignores the retry.
 */
final class RepairRetries {
    /** Who sends a packet again ({@link VideoConsumer}). */
    interface Target {
        /**
         * Sends output packet {@code outSeq} again as try {@code n}; false when it did not (closed, throttled, too
         * old). Sending registers the new copy here again.
         */
        boolean retryLostRetransmission(int outSeq, int n, long nowNanos);
    }

    static final int CAPACITY = 512;
    /** Tries of one packet, the NACK's answer included: two second tries make a 5 % loss of one repair 0.0125 %. */
    static final int MAX_TRIES = 3;
    private static final int MASK = CAPACITY - 1;

    private final int[] transportSeqs = new int[CAPACITY];
    private final Target[] consumers = new Target[CAPACITY];
    private final int[] outSeqs = new int[CAPACITY];
    private final byte[] tries = new byte[CAPACITY];

    RepairRetries() {
        java.util.Arrays.fill(transportSeqs, -1);
    }

    /** {@code consumer} sent output packet {@code outSeq} again as transport-wide {@code transportSeq}, try {@code n}. */
    void onSent(int transportSeq, Target consumer, int outSeq, int n) {
        int i = transportSeq & MASK;
        transportSeqs[i] = transportSeq & 0xFFFF;
        consumers[i] = consumer;
        outSeqs[i] = outSeq;
        tries[i] = (byte) n;
    }

    /**
     * The retransmission sent as {@code transportSeq} was lost: asks its consumer to send the packet again when it has
     * tries left. The entry is used up either way (a later report of the same number does nothing).
     *
     * @return true when a retry was asked for
     */
    boolean take(int transportSeq, long nowNanos) {
        int i = transportSeq & MASK;
        if (transportSeqs[i] != (transportSeq & 0xFFFF)) {
            return false;
        }
        transportSeqs[i] = -1;
        Target c = consumers[i];
        consumers[i] = null;
        if (c == null || tries[i] >= MAX_TRIES) {
            return false;
        }
        return c.retryLostRetransmission(outSeqs[i], tries[i] + 1, nowNanos);
    }
}
