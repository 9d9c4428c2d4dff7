package dev.prism.rtp.bwe;

/**
 * Groups packets into send bursts and measures how the spacing of consecutive groups changed on the way: the input of
 * the delay-gradient filter. A group is the packets sent within {@link #GROUP_MICROS} of its first one (a paced burst
 * or one video frame); packets that arrive in a burst after a queue released them join the group they arrived with,
 * so a delivery burst does not look like a queue draining.
 *
 * <p>Feed packets in send order with arrival times from feedback. When a group completes, {@link #add} returns true
 * and {@link #sendDeltaMicros()} / {@link #arrivalDeltaMicros()} describe it against the group before. An arrival
 * clock that jumps (more than {@link #MAX_ARRIVAL_JUMP_MICROS}, or backwards) resets the state.
 *
 * <p>Not thread-safe; no allocation.
 */
final class InterArrival {
    static final long GROUP_MICROS = 5_000;
    static final long BURST_MICROS = 5_000;
    static final long MAX_ARRIVAL_JUMP_MICROS = 3_000_000;

    private boolean hasCurrent;
    private long curFirstSend;
    private long curLastSend;
    private long curFirstArrival;
    private long curLastArrival;

    private boolean hasPrevious;
    private long prevLastSend;
    private long prevLastArrival;

    private long sendDelta;
    private long arrivalDelta;
    private long resets;

    /** @return true when a group completed and the deltas are ready */
    boolean add(long sendMicros, long arrivalMicros) {
        if (!hasCurrent) {
            startGroup(sendMicros, arrivalMicros);
            return false;
        }
        if (sendMicros < curFirstSend) {
            return false; // sent before this group: reordered in the feedback, nothing to learn
        }
        if (sendMicros - curFirstSend <= GROUP_MICROS || isBurst(sendMicros, arrivalMicros)) {
            curLastSend = Math.max(curLastSend, sendMicros);
            curLastArrival = Math.max(curLastArrival, arrivalMicros);
            return false;
        }
        boolean ready = false;
        if (hasPrevious) {
            long sd = curLastSend - prevLastSend;
            long ad = curLastArrival - prevLastArrival;
            if (ad < 0 || ad > MAX_ARRIVAL_JUMP_MICROS || arrivalMicros < curLastArrival - MAX_ARRIVAL_JUMP_MICROS) {
                resets++;
                hasPrevious = false;
                startGroup(sendMicros, arrivalMicros);
                return false;
            }
            sendDelta = sd;
            arrivalDelta = ad;
            ready = true;
        }
        hasPrevious = true;
        prevLastSend = curLastSend;
        prevLastArrival = curLastArrival;
        startGroup(sendMicros, arrivalMicros);
        return ready;
    }

    private boolean isBurst(long sendMicros, long arrivalMicros) {
        long arrivalGap = arrivalMicros - curLastArrival;
        long propagation = arrivalGap - (sendMicros - curLastSend);
        return arrivalGap >= 0 && arrivalGap <= BURST_MICROS && propagation < 0;
    }

    private void startGroup(long sendMicros, long arrivalMicros) {
        hasCurrent = true;
        curFirstSend = sendMicros;
        curLastSend = sendMicros;
        curFirstArrival = arrivalMicros;
        curLastArrival = arrivalMicros;
    }

    long sendDeltaMicros() {
        return sendDelta;
    }

    long arrivalDeltaMicros() {
        return arrivalDelta;
    }

    /** Arrival time of the newest completed group's last packet. */
    long lastGroupArrivalMicros() {
        return prevLastArrival;
    }

    long resets() {
        return resets;
    }
}
