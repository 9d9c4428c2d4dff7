package dev.prism.rtp.router.uplink;

import io.netty.buffer.ByteBuf;

/**
 * The recent packets of one incoming stream, kept so that subscribers' NACKs can be answered: a ring of references to
 * the decrypted, pooled receive buffers (never copies), indexed by RTP sequence number.
 *
 * <p>A packet is found by {@link #get} while it is in the ring (the slot has not been reused by a packet
 * {@code capacity} sequence numbers later) and younger than {@code maxAge}: a retransmission older than that comes too
 * late to help the decoder, which has asked for a keyframe by then.
 *
 * <p><b>Buffers.</b> {@link #add} {@code retain()}s the buffer and this history owns that reference until the slot is
 * reused, the packet expires ({@link #expire}) or {@link #clear()} runs. The stored buffer's readable bytes are the
 * whole RTP packet; nobody may modify them after {@code add}. {@link #get} lends the buffer: valid until the next call
 * to {@code add}, {@code expire} or {@code clear} on this history.
 *
 * <p>Threading: one thread (the room's event loop). Hot path: {@code add} and {@code get} allocate nothing.
 */
public final class PacketHistory {
    /** One second of 5 Mbit/s video in 1,100-byte packets fits; older packets expire anyway. */
    public static final int DEFAULT_CAPACITY = 1024;
    /** Older than this a retransmission is too late to help (jitter buffers give up well before). */
    public static final long DEFAULT_MAX_AGE_NANOS = 1_000_000_000L;

    private final ByteBuf[] buffers;
    private final int[] seqs;
    private final long[] addedNanos;
    private final int mask;
    private final long maxAgeNanos;
    private int size;

    /**
     * @param capacity    slots, a power of two between 16 and 32768
     * @param maxAgeNanos how long a packet may be retransmitted after it arrived
     */
    public PacketHistory(int capacity, long maxAgeNanos) {
        if (capacity < 16 || capacity > 32768 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two in [16, 32768]: " + capacity);
        }
        if (maxAgeNanos <= 0) {
            throw new IllegalArgumentException("maxAgeNanos " + maxAgeNanos);
        }
        this.buffers = new ByteBuf[capacity];
        this.seqs = new int[capacity];
        this.addedNanos = new long[capacity];
        this.mask = capacity - 1;
        this.maxAgeNanos = maxAgeNanos;
    }

    public PacketHistory() {
        this(DEFAULT_CAPACITY, DEFAULT_MAX_AGE_NANOS);
    }

    /**
     * Keeps {@code packet} (retained here) as sequence number {@code seq}, releasing whatever the slot held. A packet
     * already held under the same number is replaced.
     */
    public void add(ByteBuf packet, int seq, long nowNanos) {
        seq &= 0xFFFF;
        int i = seq & mask;
        ByteBuf old = buffers[i];
        packet.retain();
        if (old != null) {
            old.release();
        } else {
            size++;
        }
        buffers[i] = packet;
        seqs[i] = seq;
        addedNanos[i] = nowNanos;
    }

    /** The packet with sequence number {@code seq} if held and not older than the maximum age; null otherwise. */
    public ByteBuf get(int seq, long nowNanos) {
        seq &= 0xFFFF;
        int i = seq & mask;
        ByteBuf b = buffers[i];
        if (b == null || seqs[i] != seq || nowNanos - addedNanos[i] > maxAgeNanos) {
            return null;
        }
        return b;
    }

    /** Whether {@code seq} is held (whatever its age): a retransmission of it is a duplicate. */
    public boolean contains(int seq) {
        seq &= 0xFFFF;
        int i = seq & mask;
        return buffers[i] != null && seqs[i] == seq;
    }

    /** Releases every packet older than the maximum age, so a stream that stopped does not pin pool memory. */
    public void expire(long nowNanos) {
        for (int i = 0; i < buffers.length; i++) {
            if (buffers[i] != null && nowNanos - addedNanos[i] > maxAgeNanos) {
                buffers[i].release();
                buffers[i] = null;
                size--;
            }
        }
    }

    /** Releases everything. Idempotent. */
    public void clear() {
        for (int i = 0; i < buffers.length; i++) {
            if (buffers[i] != null) {
                buffers[i].release();
                buffers[i] = null;
            }
        }
        size = 0;
    }

    /** Packets held (expired ones included until {@link #expire} runs). */
    public int size() {
        return size;
    }

    public int capacity() {
        return buffers.length;
    }
}
