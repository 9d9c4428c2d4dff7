package dev.prism.rtp.packet;

/**
 * Maps the sequence numbers of a forwarded stream to one continuous output sequence, across source switches
 * (simulcast layer change, publisher restart) and deliberate drops (temporal layer filtering, padding-only packets).
 *
 * <p>The input is cut into <em>segments</em>: a segment starts with the first packet after construction or after
 * {@link #switchSource()}. Inside a segment the mapping is {@code out = in + offset (mod 2^16)}, and the offset goes
 * down by one after every packet that is {@link #drop dropped} in order, so the receiver sees no gap for it. Gaps in the
 * input (losses) stay gaps in the output, so the receiver NACKs them and late or retransmitted packets still fit.
 *
 * <p>Input sequence numbers are extended to 64 bits against the newest one seen, so wrap-around (65535 -> 0) and
 * reordering inside a segment are handled. Reordered packets use the offset that was in force at their position: the
 * rewriter remembers the points where the offset changed (a bounded history, {@link #DEFAULT_HISTORY} by default).
 *
 * <p>{@link #rewrite} returns {@link #DROP} for a packet that has no valid place in the output: older than the start of
 * the current segment (its output number would collide with the previous source's), or older than the oldest
 * remembered offset change. A dropped packet that arrives again must be dropped again; dropping a packet that is older
 * than the newest one already seen leaves a gap, because its output number was already reserved.
 *
 * <h2>Worked example</h2>
 * <pre>
 * call               input  extended  offset  output  note
 * rewrite            65533     65533       0   65533  first packet: output = input (default constructor)
 * rewrite                1     65537       0       1  65534..0 missing: gap of 3 stays, receiver NACKs them
 * rewrite            65535     65535       0   65535  reordered, fills its reserved place
 * drop                   2     65538      -1       -  in-order drop: later packets move down by one
 * rewrite                3     65539      -1       2  no gap for the dropped 2
 * rewrite                0     65536       0       0  reordered from before the drop: old offset applies
 * switchSource                                        e.g. simulcast layer change, new SSRC
 * rewrite            40000     40000  -39997       3  new segment: last output 2, plus one
 * rewrite            39999     39999       -    DROP  older than the segment start; 2 is taken
 * rewrite            40001     40001  -39997       4
 * </pre>
 * (Offsets are shown signed; internally they are kept modulo 2^16.)
 *
 * <p>Zero allocation per packet. Not thread-safe: one instance per consumer, on the room's event loop.
 */
public final class SeqRewriter {
    /** Result of {@link #rewrite} for a packet that must not be forwarded. */
    public static final int DROP = -1;
    /** Offset changes remembered for reordered packets. */
    public static final int DEFAULT_HISTORY = 64;

    // Offset change points of the current segment, a ring: from input (extended) changeStart[i] on, offset changeOffset[i].
    private final long[] changeStart;
    private final int[] changeOffset;
    private int changeCount;
    private int changeHead;

    private boolean segmentPending = true;
    private boolean firstEver = true;
    private final int firstOutput;
    private long highestIn;
    private int highestOut;

    /** The first packet ever forwarded keeps its own sequence number. */
    public SeqRewriter() {
        this(-1, DEFAULT_HISTORY);
    }

    /**
     * @param firstOutput sequence number of the first packet ever forwarded (0..65535), or -1 to keep the input's
     * @param history number of offset changes remembered for reordered packets (at least 1)
     */
    public SeqRewriter(int firstOutput, int history) {
        if (firstOutput < -1 || firstOutput > SeqNum.MASK) {
            throw new IllegalArgumentException("firstOutput " + firstOutput);
        }
        if (history < 1) {
            throw new IllegalArgumentException("history " + history);
        }
        this.firstOutput = firstOutput;
        this.changeStart = new long[history];
        this.changeOffset = new int[history];
    }

    /**
     * The output sequence number for {@code inSeq}, or {@link #DROP}. Call once per forwarded packet, in arrival order
     * (duplicates get the same number as the original).
     */
    public int rewrite(int inSeq) {
        inSeq &= SeqNum.MASK;
        if (segmentPending) {
            startSegment(inSeq, firstEver ? firstOutputFor(inSeq) : SeqNum.add(highestOut, 1));
            return highestOut;
        }
        long ext = SeqNum.unwrap(inSeq, highestIn);
        if (ext > highestIn) {
            highestIn = ext;
            highestOut = (inSeq + currentOffset()) & SeqNum.MASK;
            return highestOut;
        }
        int offset = offsetAt(ext);
        return offset < 0 ? DROP : (inSeq + offset) & SeqNum.MASK;
    }

    /**
     * Records that {@code inSeq} is deliberately not forwarded. When it is the newest input so far, later packets
     * move down by one so the output has no gap. The first packet of a segment may be dropped too: the segment then
     * starts there and the next packet gets last output + 1.
     */
    public void drop(int inSeq) {
        inSeq &= SeqNum.MASK;
        if (segmentPending) {
            // Map the dropped packet onto the last output number: the next packet gets last output + 1.
            startSegment(inSeq, firstEver ? SeqNum.add(firstOutputFor(inSeq), -1) : highestOut);
            return;
        }
        long ext = SeqNum.unwrap(inSeq, highestIn);
        if (ext <= highestIn) {
            return; // its output number is already reserved; the gap stays
        }
        highestIn = ext;
        int newOffset = (currentOffset() - 1) & SeqNum.MASK;
        int newest = (changeHead + changeCount - 1) % changeStart.length;
        if (changeStart[newest] == ext) {
            // Consecutive drops: the previous drop's change point has seen no packet yet; move it.
            changeStart[newest] = ext + 1;
            changeOffset[newest] = newOffset;
        } else {
            pushChange(ext + 1, newOffset);
        }
        highestOut = (inSeq + newOffset) & SeqNum.MASK;
    }

    /**
     * Starts a new segment: the next packet passed to {@link #rewrite} gets the last output number + 1, whatever its
     * input number. Call when the forwarded source changes (new SSRC, layer switch, publisher restart).
     */
    public void switchSource() {
        if (!firstEver) {
            segmentPending = true;
        }
    }

    /** True once a first packet has been rewritten or dropped. */
    public boolean started() {
        return !firstEver;
    }

    /**
     * The newest output number handed out or reserved (dropping in order keeps it); the next segment continues from
     * here + 1. Undefined before {@link #started()}.
     */
    public int lastOutput() {
        return highestOut;
    }

    private int firstOutputFor(int inSeq) {
        return firstOutput < 0 ? inSeq : firstOutput;
    }

    private void startSegment(int inSeq, int out) {
        segmentPending = false;
        firstEver = false;
        highestIn = inSeq;
        highestOut = out;
        changeCount = 0;
        changeHead = 0;
        pushChange(inSeq, (out - inSeq) & SeqNum.MASK);
    }

    private void pushChange(long start, int offset) {
        int cap = changeStart.length;
        if (changeCount == cap) {
            changeHead = (changeHead + 1) % cap; // forget the oldest change; packets before it will be dropped
            changeCount--;
        }
        int i = (changeHead + changeCount) % cap;
        changeStart[i] = start;
        changeOffset[i] = offset;
        changeCount++;
    }

    private int currentOffset() {
        return changeOffset[(changeHead + changeCount - 1) % changeStart.length];
    }

    /** Offset in force at extended input {@code ext}, or -1 when older than every remembered change point. */
    private int offsetAt(long ext) {
        int cap = changeStart.length;
        for (int k = changeCount - 1; k >= 0; k--) {
            int i = (changeHead + k) % cap;
            if (ext >= changeStart[i]) {
                return changeOffset[i];
            }
        }
        return -1;
    }
}
