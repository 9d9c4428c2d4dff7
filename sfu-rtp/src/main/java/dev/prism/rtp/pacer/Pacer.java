package dev.prism.rtp.pacer;

import io.netty.buffer.ByteBuf;

/**
 * One subscriber's pacer: a leaky bucket filled at {@link #PACING_FACTOR} x the downlink estimate (the caller passes
 * the larger of the estimate and what it forwards anyway, see {@link #setEstimate}), holding at most
 * {@link #BURST_MILLIS} worth of bytes, in front of the transport. A packet leaves at once when nothing is queued and
 * the bucket has budget, so an uncongested subscriber waits for nothing; otherwise it is queued by
 * {@link PacketClass} and leaves when the bucket has refilled: retransmissions before new video, probe padding only
 * in the gaps. Audio is never queued: it leaves at once and is charged to the budget, so video yields to it.
 *
 * <p>The budget may go negative by one packet (a packet leaves whenever the budget is positive), so a full-size packet
 * never waits on a bucket smaller than itself. No packet should wait longer than {@link #MAX_QUEUE_MILLIS}: while
 * packets wait, the rate rises to what empties the queue by the time its oldest packet reaches that age (a stale
 * estimate must not turn into seconds of delay).
 *
 * <p>Bounds: at most {@link #VIDEO_CAPACITY} video packets and {@link #RTX_CAPACITY} retransmissions are queued; a
 * full queue sends its <em>oldest</em> packet at once to take the new one ({@link #sentEarly}), charged to the
 * budget: the pacer never drops media. (It dropped the oldest at first; a media loop that stood still for a moment
 * then read a burst larger than the queue, and the pacer turned that into loss the unpaced path never had.) Padding is
 * best effort: when its queue ({@link #PADDING_CAPACITY}) is full the new one is dropped (reported to
 * {@link PacedOutput#dropped}). Audio is never queued.
 *
 * <p>Time comes in as arguments (nanoseconds of the media plane's monotonic clock). Threading: the subscriber's media
 * event loop only. Buffers: {@link #send} takes ownership of the packet in every outcome (emitted to the
 * {@link PacedOutput}, which then owns it; queued; or released when dropped); {@link #close} releases everything queued.
 */
public final class Pacer {
    /** Pacing rate relative to the estimate (libwebrtc uses the same factor): room for bursts above the average. */
    public static final double PACING_FACTOR = 2.5;
    /** The bucket holds this much time at the pacing rate: a short burst leaves at once. */
    public static final long BURST_MILLIS = 40;
    /** A queue never takes longer than this to drain: the rate rises to empty it in time. */
    public static final long MAX_QUEUE_MILLIS = 500;
    /** Queue bounds, in packets (a 1080p key frame is about 150 packets). */
    public static final int VIDEO_CAPACITY = 512;
    public static final int RTX_CAPACITY = 256;
    public static final int PADDING_CAPACITY = 64;
    /** Refill is computed over at most this much elapsed time (the bucket is full long before). */
    private static final long MAX_REFILL_NANOS = 1_000_000_000L;
    private static final long MAX_QUEUE_NANOS = MAX_QUEUE_MILLIS * 1_000_000L;
    /** The queue-age rate never plans on less than one drain tick. */
    private static final long MIN_DRAIN_NANOS = PacingLoop.TICK_MILLIS * 1_000_000L;
    private static final int CLASSES = PacketClass.values().length;

    private final PacedOutput output;
    private final PacingLoop loop;
    private final PacketRing retransmissions = new PacketRing(RTX_CAPACITY);
    private final PacketRing video = new PacketRing(VIDEO_CAPACITY);
    private final PacketRing padding = new PacketRing(PADDING_CAPACITY);
    private final long[] immediate = new long[CLASSES];
    private final long[] paced = new long[CLASSES];
    private final long[] drops = new long[CLASSES];
    private final long[] early = new long[CLASSES];
    /** Pacing rate in bytes per second. */
    private long rateBytesPerSecond;
    private long budgetBytes;
    private long lastRefillNanos = Long.MIN_VALUE;
    /** The fraction of a byte (in byte-nanoseconds) the last refill did not add. */
    private long refillRemainder;
    private boolean closed;
    /** Whether {@link PacingLoop} holds this pacer among those it drains (its own bookkeeping). */
    boolean inLoop;

    /**
     * @param output       where packets leave
     * @param loop         the event loop's coalesced drain timer, woken when packets are queued; null in tests that
     *                     call {@link #process} themselves
     * @param estimateBps  the downlink estimate to start from
     */
    public Pacer(PacedOutput output, PacingLoop loop, long estimateBps) {
        this.output = output;
        this.loop = loop;
        setEstimate(estimateBps);
        budgetBytes = burstBytes();
    }

    /**
     * The rate to pace at moved: {@link #PACING_FACTOR} x {@code estimateBps}. An SFU may forward more than the
     * estimate (audio, video sent as one encoding): the caller passes the larger of the two, so the pacer spreads
     * bursts rather than throttling the average.
     */
    public void setEstimate(long estimateBps) {
        rateBytesPerSecond = Math.max(1, (long) (Math.max(0, estimateBps) * PACING_FACTOR / 8));
        budgetBytes = Math.min(budgetBytes, burstBytes()); // a bucket filled at a higher rate holds no more now
    }

    /** The pacing rate in bits per second. */
    public long rateBps() {
        return rateBytesPerSecond * 8;
    }

    /**
     * A packet to send: leaves now (audio; or nothing queued and budget left) or is queued. Takes ownership.
     * Hot path: no allocation.
     *
     * @param elementOffset where the packet's transport-wide sequence number goes, for the output; -1 for none
     */
    public void send(ByteBuf packet, int elementOffset, PacketClass type, long nowNanos) {
        if (closed) {
            output.emit(packet, elementOffset, type); // the transport is closed too: it releases and counts
            return;
        }
        refill(nowNanos);
        if (type == PacketClass.AUDIO || (!hasQueued() && budgetBytes > 0)) {
            immediate[type.ordinal()]++;
            budgetBytes -= packet.readableBytes();
            output.emit(packet, elementOffset, type);
            return;
        }
        enqueue(packet, elementOffset, type, nowNanos);
        drain(nowNanos);
        if (hasQueued() && loop != null) {
            loop.wake(this);
        }
    }

    /** Sends what the budget allows now. True while packets remain queued (the loop keeps waking this pacer). */
    public boolean process(long nowNanos) {
        if (closed) {
            return false;
        }
        refill(nowNanos);
        drain(nowNanos);
        return hasQueued();
    }

    private void enqueue(ByteBuf packet, int elementOffset, PacketClass type, long nowNanos) {
        PacketRing ring = ring(type);
        if (ring.isFull()) {
            if (type == PacketClass.PADDING) {
                packet.release();
                countDrop(type);
                return;
            }
            // The oldest leaves now: bounded memory without loss (after a stall, a burst goes out as it would unpaced).
            int offset = ring.peekElementOffset();
            budgetBytes -= ring.peekSize();
            early[type.ordinal()]++;
            if (loop != null) {
                loop.totals().sentEarly();
            }
            output.emit(ring.poll(), offset, type);
        }
        ring.add(packet, elementOffset, nowNanos);
    }

    private void drain(long nowNanos) {
        while (budgetBytes > 0) {
            PacketRing ring = !retransmissions.isEmpty() ? retransmissions : !video.isEmpty() ? video
                    : !padding.isEmpty() ? padding : null;
            if (ring == null) {
                return;
            }
            PacketClass type = ring == retransmissions ? PacketClass.RETRANSMISSION
                    : ring == video ? PacketClass.VIDEO : PacketClass.PADDING;
            int offset = ring.peekElementOffset();
            budgetBytes -= ring.peekSize();
            paced[type.ordinal()]++;
            if (loop != null) {
                loop.totals().waited(nowNanos - ring.peekQueuedAt());
            }
            output.emit(ring.poll(), offset, type);
        }
    }

    private void refill(long nowNanos) {
        if (lastRefillNanos == Long.MIN_VALUE) {
            lastRefillNanos = nowNanos;
            return;
        }
        long elapsed = Math.min(MAX_REFILL_NANOS, nowNanos - lastRefillNanos);
        if (elapsed <= 0) {
            return;
        }
        lastRefillNanos = nowNanos;
        long rate = rateBytesPerSecond;
        long queued = queuedBytes();
        if (queued > 0) {
            // What empties the queue by the time its oldest packet has waited MAX_QUEUE_MILLIS (at least a tick).
            long left = Math.max(MIN_DRAIN_NANOS, MAX_QUEUE_NANOS - (nowNanos - oldestQueuedAt()));
            rate = Math.max(rate, queued * 1_000_000_000L / left);
        }
        // Byte-nanoseconds carried over: refills every few microseconds (one per packet on a busy loop) lose nothing.
        long add = rate * elapsed + refillRemainder;
        refillRemainder = add % 1_000_000_000L;
        long cap = rate * BURST_MILLIS / 1000; // the burst at the rate in force (raised while a queue is old)
        budgetBytes = Math.min(cap, budgetBytes + add / 1_000_000_000L);
        if (budgetBytes == cap) {
            refillRemainder = 0;
        }
    }

    private long oldestQueuedAt() {
        long oldest = Long.MAX_VALUE;
        if (!retransmissions.isEmpty()) {
            oldest = retransmissions.peekQueuedAt();
        }
        if (!video.isEmpty()) {
            oldest = Math.min(oldest, video.peekQueuedAt());
        }
        if (!padding.isEmpty()) {
            oldest = Math.min(oldest, padding.peekQueuedAt());
        }
        return oldest;
    }

    private long burstBytes() {
        return rateBytesPerSecond * BURST_MILLIS / 1000;
    }

    private PacketRing ring(PacketClass type) {
        return switch (type) {
            case RETRANSMISSION -> retransmissions;
            case VIDEO -> video;
            case PADDING -> padding;
            case AUDIO -> throw new IllegalArgumentException("audio is never queued");
        };
    }

    private void countDrop(PacketClass type) {
        drops[type.ordinal()]++;
        output.dropped(type);
    }

    /** Whether any packet waits. */
    public boolean hasQueued() {
        return !retransmissions.isEmpty() || !video.isEmpty() || !padding.isEmpty();
    }

    /** Packets waiting, all classes. */
    public int queuedPackets() {
        return retransmissions.size() + video.size() + padding.size();
    }

    /** Bytes waiting, all classes. */
    public long queuedBytes() {
        return retransmissions.bytes() + video.bytes() + padding.bytes();
    }

    /** Probe padding bytes waiting (a probe tops up by what has not left yet, not again). */
    public long queuedPaddingBytes() {
        return padding.bytes();
    }

    /** Releases the probe padding still queued (the probe ended: late padding would measure nothing). */
    public int discardPadding() {
        return padding.clear();
    }

    /** Packets of {@code type} that left at once (never queued). */
    public long sentImmediately(PacketClass type) {
        return immediate[type.ordinal()];
    }

    /** Packets of {@code type} that left after waiting in the queue. */
    public long sentPaced(PacketClass type) {
        return paced[type.ordinal()];
    }

    /** Packets of {@code type} sent ahead of their time because their queue was full. */
    public long sentEarly(PacketClass type) {
        return early[type.ordinal()];
    }

    /** Packets of {@code type} dropped because their queue was full (padding only). */
    public long dropped(PacketClass type) {
        return drops[type.ordinal()];
    }

    /**
     * The transport closed: releases every queued packet and leaves the loop. Later {@link #send}s go straight to the
     * output (the closed transport releases them). Returns how many packets were released. Idempotent.
     */
    public int close() {
        if (closed) {
            return 0;
        }
        closed = true;
        if (loop != null) {
            loop.remove(this);
        }
        return retransmissions.clear() + video.clear() + padding.clear();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "Pacer[rate=" + rateBps() + " budget=" + budgetBytes + " queued=" + queuedPackets() + "]";
    }
}
