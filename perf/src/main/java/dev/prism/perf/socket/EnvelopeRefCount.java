package dev.prism.perf.socket;

import io.netty.util.IllegalReferenceCountException;

/**
 * The reference count of a reusable send envelope ({@link PooledDatagram}, {@link PooledSegmentedDatagram}): set to 1
 * when the envelope is addressed, counted down by the channel's release after the write; at 0 the envelope goes back
 * to its pool. Misuse (retaining a released envelope, releasing more than was retained) throws as Netty's own
 * counters do. Threads: the envelope's event loop only.
 */
final class EnvelopeRefCount {
    private int count;

    /** A fresh hand-over to a channel: count 1. */
    void reset() {
        count = 1;
    }

    int get() {
        return count;
    }

    void retain(int increment) {
        if (count <= 0 || increment <= 0) {
            throw new IllegalReferenceCountException(count, increment);
        }
        count += increment;
    }

    /** True when this release brought the count to 0: the envelope is free for its pool. */
    boolean release(int decrement) {
        if (decrement <= 0 || decrement > count) {
            throw new IllegalReferenceCountException(count, -decrement);
        }
        count -= decrement;
        return count == 0;
    }
}
