package dev.prism.netem;

/**
 * One direction of an impaired network path, as a pure decision: given the time a packet is offered and its size,
 * {@link #offer} says when it leaves the far end, or that it is dropped and why. No I/O, no clock of its own (the
 * caller passes the time), no allocation; chance comes from the {@link RandomSource} it was given, so a seeded link
 * repeats itself and a scripted one is exact.
 *
 * <p>A packet meets, in order: the outage switch (dropped, nothing drawn); the {@link LossModel} (its draws); the
 * token bucket (when the profile has a rate: it waits in a FIFO for tokens, or is dropped when that FIFO's bytes
 * would exceed the queue limit); then the delay: the fixed part plus the jitter draw(s), never less than zero, and,
 * unless the profile allows reordering, never before the packet offered before it.
 *
 * <p>Changing the profile ({@link #setProfile}) applies to packets offered from then on; packets already given a
 * departure keep it (a real link drains its queue at the old rate; close enough for the scenarios here). Not
 * thread-safe: one owner thread.
 */
public final class Link {
    /** {@link #offer}'s answer for a dropped packet ({@link #lastDropReason()} says why). */
    public static final long DROPPED = Long.MIN_VALUE;

    private static final long SCALE = 1_000_000_000L; // bucket credit is in bit-nanoseconds-per-second units
    /** Packets that may wait for tokens at once, whatever the byte limit. */
    static final int MAX_QUEUED_PACKETS = 4096;

    private final RandomSource random;
    private LinkProfile profile;
    private boolean outage;
    private boolean badState;
    private DropReason lastDrop;

    // Token bucket: credit at creditTime, and the time the last packet left the bucket (FIFO order).
    private long credit;
    private long creditTime;
    private long bucketFreeAt;
    private boolean bucketStarted;
    // Packets waiting for tokens: a ring of (time they leave the bucket, size).
    private final long[] queuedUntil = new long[MAX_QUEUED_PACKETS];
    private final int[] queuedBytes = new int[MAX_QUEUED_PACKETS];
    private int queueHead;
    private int queueSize;
    private long queueTotalBytes;

    private boolean anyDeparture;
    private long lastDeparture;

    public Link(LinkProfile profile, RandomSource random) {
        this.profile = java.util.Objects.requireNonNull(profile, "profile");
        this.random = java.util.Objects.requireNonNull(random, "random");
    }

    public LinkProfile profile() {
        return profile;
    }

    /**
     * Replaces the profile from {@code nowNanos} on. A rate limit where there was none starts with a full bucket; a
     * changed rate keeps the queue and the credit (capped to the new depth), so a link that narrows drains what it
     * holds and queues new packets behind at the new rate. The Gilbert-Elliott state is kept while the model stays
     * one.
     */
    public void setProfile(long nowNanos, LinkProfile next) {
        java.util.Objects.requireNonNull(next, "profile");
        if (next.rateBitsPerSecond() == 0) {
            bucketStarted = false;
        } else if (bucketStarted && profile.rateBitsPerSecond() > 0) {
            // A link whose rate changes: the queue keeps its departures and the credit it had, capped to the new
            // depth; later packets queue behind at the new rate.
            long oldCapacity = (long) profile.burstBytes() * 8 * SCALE;
            if (nowNanos - creditTime > 0) {
                credit = creditAt(nowNanos, oldCapacity, profile.rateBitsPerSecond());
                creditTime = nowNanos;
            }
            credit = Math.min(credit, (long) next.burstBytes() * 8 * SCALE);
        }
        if (!(next.loss() instanceof LossModel.GilbertElliott)) {
            badState = false;
        }
        profile = next;
    }

    /** Turns the outage on (every packet offered is dropped) or off. */
    public void setOutage(boolean down) {
        outage = down;
    }

    public boolean outage() {
        return outage;
    }

    /** Whether the Gilbert-Elliott model is in its bad state now. */
    public boolean inBadState() {
        return badState;
    }

    /** Why the last {@link #DROPPED} answer dropped its packet. */
    public DropReason lastDropReason() {
        return lastDrop;
    }

    /**
     * Decides one packet's fate.
     *
     * @param nowNanos when the packet arrives at the link (non-decreasing from call to call)
     * @param bytes    its size on the wire (what the rate limit counts)
     * @return when it leaves the far end, in the same time base, or {@link #DROPPED}
     */
    public long offer(long nowNanos, int bytes) {
        if (outage) {
            return drop(DropReason.OUTAGE);
        }
        if (lost()) {
            return drop(DropReason.LOSS);
        }
        long leavesBucket = nowNanos;
        if (profile.rateBitsPerSecond() > 0) {
            leavesBucket = throughBucket(nowNanos, bytes);
            if (leavesBucket == DROPPED) {
                return drop(DropReason.QUEUE_FULL);
            }
        }
        long departure = leavesBucket + Math.max(0, profile.delayNanos() + jitterOffset());
        if (!profile.reorder() && anyDeparture && departure - lastDeparture < 0) {
            departure = lastDeparture;
        }
        anyDeparture = true;
        lastDeparture = departure;
        return departure;
    }

    private long drop(DropReason reason) {
        lastDrop = reason;
        return DROPPED;
    }

    private boolean lost() {
        LossModel model = profile.loss();
        if (model instanceof LossModel.Bernoulli b) {
            return random.nextDouble() < b.probability();
        }
        if (model instanceof LossModel.GilbertElliott ge) {
            boolean lost = random.nextDouble() < (badState ? ge.lossInBad() : ge.lossInGood());
            if (random.nextDouble() < (badState ? ge.badToGood() : ge.goodToBad())) {
                badState = !badState;
            }
            return lost;
        }
        return false;
    }

    private long jitterOffset() {
        long spread = profile.jitterNanos();
        if (spread == 0) {
            return 0;
        }
        if (profile.jitter() == Jitter.UNIFORM) {
            return Math.round((2 * random.nextDouble() - 1) * spread);
        }
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        double z = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
        return Math.round(Math.max(-3, Math.min(3, z)) * spread);
    }

    /** When the packet leaves the token bucket, or {@link #DROPPED} when its queue is full. */
    private long throughBucket(long now, int bytes) {
        long rate = profile.rateBitsPerSecond();
        long capacity = (long) profile.burstBytes() * 8 * SCALE;
        if (!bucketStarted) {
            bucketStarted = true;
            credit = capacity;
            creditTime = now;
            bucketFreeAt = now;
            queueSize = 0;
            queueTotalBytes = 0;
        }
        // Packets that have left the bucket by now no longer count against the queue limit.
        while (queueSize > 0 && queuedUntil[queueHead] - now <= 0) {
            queueTotalBytes -= queuedBytes[queueHead];
            queueHead = (queueHead + 1) % MAX_QUEUED_PACKETS;
            queueSize--;
        }
        long start = bucketFreeAt - now > 0 ? bucketFreeAt : now; // FIFO: not before the packet ahead of it
        long available = creditAt(start, capacity, rate);
        long needed = (long) bytes * 8 * SCALE;
        long leaves = start;
        if (available < needed) {
            leaves = start + ceilDiv(needed - available, rate);
            available += (leaves - start) * rate;
        }
        boolean waits = leaves - now > 0;
        if (waits && (queueTotalBytes + bytes > profile.queueLimitBytes() || queueSize == MAX_QUEUED_PACKETS)) {
            return DROPPED;
        }
        credit = available - needed;
        creditTime = leaves;
        bucketFreeAt = leaves;
        if (waits) {
            int tail = (queueHead + queueSize) % MAX_QUEUED_PACKETS;
            queuedUntil[tail] = leaves;
            queuedBytes[tail] = bytes;
            queueSize++;
            queueTotalBytes += bytes;
        }
        return leaves;
    }

    /** The bucket's credit at {@code t >= creditTime}, capped at its depth (computed without overflow). */
    private long creditAt(long t, long capacity, long rate) {
        long elapsed = t - creditTime;
        if (elapsed <= 0) {
            return Math.min(credit, capacity);
        }
        long room = capacity - credit;
        if (room <= 0 || elapsed >= room / rate + 1) {
            return capacity;
        }
        return Math.min(capacity, credit + elapsed * rate);
    }

    /** Bytes waiting for tokens as of the last offer. */
    public long queuedBytes() {
        return queueTotalBytes;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
