package dev.prism.rtp.codec;

/**
 * Keeps one wrapping per-frame counter (VP8 picture id, TL0PICIDX, KEYIDX) continuous in a forwarded stream, the way
 * {@link dev.prism.rtp.packet.SeqRewriter} does for sequence numbers, but with frame semantics: every packet of a frame
 * carries the same value, so a value equal to the newest one seen is simply "the same frame again".
 *
 * <p>Inside a segment (between {@link #switchSource()} calls) {@code out = in + offset (mod 2^bits)}. A frame
 * {@link #drop dropped} in order (temporal layer thinning) moves the offset down by one so the output has no hole;
 * the first frame of a new segment gets the last output value + 1. Input values are extended against the newest one
 * seen, so wrap-around and reordering by less than half the space are handled; reordered frames use the offset in force
 * at their position (a bounded history of change points; older ones get the oldest remembered offset).
 *
 * <p>Zero allocation per call. Not thread-safe: one instance per consumer, on the room's event loop.
 */
final class CounterRewriter {
    private final int bits;
    private final long mask;
    private final long[] changeStart;
    private final long[] changeOffset;
    private int changeCount;
    private int changeHead;
    private boolean segmentPending = true;
    private boolean firstEver = true;
    private long highestIn;
    private long highestOut;

    /**
     * @param bits    width of the counter (15 for picture ids, 8 for TL0PICIDX, 5 for KEYIDX)
     * @param history offset change points remembered for reordered frames (at least 1)
     */
    CounterRewriter(int bits, int history) {
        if (bits < 2 || bits > 31 || history < 1) {
            throw new IllegalArgumentException("bits " + bits + " history " + history);
        }
        this.bits = bits;
        this.mask = (1L << bits) - 1;
        this.changeStart = new long[history];
        this.changeOffset = new long[history];
    }

    /** The output value for {@code in} (taken modulo 2^bits). */
    int rewrite(int in) {
        long v = in & mask;
        if (segmentPending) {
            startSegment(v, firstEver ? v : (highestOut + 1) & mask);
            return (int) highestOut;
        }
        long ext = unwrap(v);
        if (ext > highestIn) {
            highestIn = ext;
            highestOut = (v + currentOffset()) & mask;
            return (int) highestOut;
        }
        return (int) ((v + offsetAt(ext)) & mask);
    }

    /**
     * Records that the frame carrying {@code in} is deliberately not forwarded. Idempotent for the packets of one
     * frame; a frame older than the newest one seen keeps its reserved value (the hole stays).
     */
    void drop(int in) {
        long v = in & mask;
        if (segmentPending) {
            // The dropped frame takes the last output value, so the next forwarded frame gets last + 1.
            startSegment(v, firstEver ? (v - 1) & mask : highestOut);
            return;
        }
        long ext = unwrap(v);
        if (ext <= highestIn) {
            return;
        }
        highestIn = ext;
        long newOffset = (currentOffset() - 1) & mask;
        int newest = (changeHead + changeCount - 1) % changeStart.length;
        if (changeStart[newest] == ext) {
            changeStart[newest] = ext + 1; // consecutive dropped frames: move the unused change point
            changeOffset[newest] = newOffset;
        } else {
            pushChange(ext + 1, newOffset);
        }
        highestOut = (v + newOffset) & mask;
    }

    /** The next value rewritten or dropped starts a new segment after the last output value. */
    void switchSource() {
        if (!firstEver) {
            segmentPending = true;
        }
    }

    boolean started() {
        return !firstEver;
    }

    /** The newest output value handed out or reserved; undefined before {@link #started()}. */
    int lastOutput() {
        return (int) highestOut;
    }

    /**
     * Widens a value read from a narrower field (a 7-bit picture id) to this counter's width: the value nearest to the
     * newest input of the segment with the same low {@code narrowBits} bits; the value itself at a segment start.
     */
    int widen(int narrow, int narrowBits) {
        long nmask = (1L << narrowBits) - 1;
        long v = narrow & nmask;
        if (segmentPending) {
            return (int) v;
        }
        long d = (v - highestIn) & nmask;
        if (d >= 1L << (narrowBits - 1)) {
            d -= 1L << narrowBits;
        }
        return (int) ((highestIn + d) & mask);
    }

    private long unwrap(long v) {
        long half = 1L << (bits - 1);
        long d = (v - highestIn) & mask;
        if (d >= half) {
            d -= 1L << bits;
        }
        return highestIn + d;
    }

    private void startSegment(long v, long out) {
        segmentPending = false;
        firstEver = false;
        // Extended values start one space up so that reordered frames from before the start stay non-negative.
        highestIn = v + (1L << bits);
        highestOut = out;
        changeCount = 0;
        changeHead = 0;
        pushChange(highestIn, (out - v) & mask);
    }

    private void pushChange(long start, long offset) {
        int cap = changeStart.length;
        if (changeCount == cap) {
            changeHead = (changeHead + 1) % cap;
            changeCount--;
        }
        int i = (changeHead + changeCount) % cap;
        changeStart[i] = start;
        changeOffset[i] = offset;
        changeCount++;
    }

    private long currentOffset() {
        return changeOffset[(changeHead + changeCount - 1) % changeStart.length];
    }

    private long offsetAt(long ext) {
        int cap = changeStart.length;
        for (int k = changeCount - 1; k >= 0; k--) {
            int i = (changeHead + k) % cap;
            if (ext >= changeStart[i]) {
                return changeOffset[i];
            }
        }
        return changeOffset[changeHead]; // older than every change point: best guess, the segment's oldest offset
    }
}
