package dev.prism.rtp.packet;

/**
 * Maps the RTP timestamps of a forwarded stream to one continuous output timeline across source switches.
 *
 * <p>Inside a segment (between switches) the mapping is {@code out = in + offset (mod 2^32)}, so reordered packets and
 * the 32-bit wrap need nothing special. At a switch the new source's timestamps are unrelated to the old ones; the first
 * packet after {@link #switchSource()} is placed after the newest output timestamp by the wall-clock time that passed
 * since that timestamp was first forwarded, converted to clock-rate ticks (at least one tick, so time never stands
 * still or goes back). {@link #switchSource(long)} takes a caller's gap estimate instead of measuring it.
 *
 * <h2>Worked example (video, 90 kHz)</h2>
 * <pre>
 * call            input ts    now (us)   output ts  note
 * rewrite       4294964296   1_000_000  4294964296  first packet: output = input
 * rewrite             3000   1_033_333        3000  next frame, +6000 ticks through the 2^32 wrap
 * switchSource                                      simulcast layer change, unrelated input timeline
 * rewrite           500000   1_066_666        5999  33_333 us since 3000 went out = 2999 ticks (rounded down)
 * rewrite           503000   1_099_999        8999  the new source keeps its own spacing
 * </pre>
 *
 * <p>Zero allocation per packet. Not thread-safe: one instance per consumer, on the room's event loop.
 */
public final class TimestampRewriter {
    private static final long MASK = 0xFFFF_FFFFL;
    private static final long NO_GAP = -1;

    private final int clockRate;
    private boolean started;
    private boolean switchPending = true;
    private long gapMicros = NO_GAP;
    private long offset;
    private long lastOut;
    private long lastOutMicros;

    /** @param clockRate RTP clock rate in Hz of the output stream (48000 for Opus, 90000 for video) */
    public TimestampRewriter(int clockRate) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clockRate " + clockRate);
        }
        this.clockRate = clockRate;
    }

    /**
     * The output timestamp for {@code inTs}.
     *
     * @param nowMicros monotonic time of forwarding this packet (any epoch, e.g. {@code MonoClock.nanos() / 1000});
     *     used only to measure the gap at a switch
     */
    public long rewrite(long inTs, long nowMicros) {
        inTs &= MASK;
        if (switchPending) {
            switchPending = false;
            long first;
            if (!started) {
                first = inTs;
            } else {
                long gap = gapMicros != NO_GAP ? gapMicros : nowMicros - lastOutMicros;
                // Clamped so the multiplication cannot overflow; beyond half an hour the exact gap is moot anyway.
                gap = Math.min(Math.max(0, gap), Integer.MAX_VALUE);
                first = (lastOut + Math.max(1, gap * clockRate / 1_000_000L)) & MASK;
            }
            gapMicros = NO_GAP;
            offset = (first - inTs) & MASK;
            started = true;
            lastOut = first;
            lastOutMicros = nowMicros;
            return first;
        }
        long out = (inTs + offset) & MASK;
        // Newer in 32-bit serial order: remember when this timestamp was first sent, for the next switch.
        if ((int) (out - lastOut) > 0) {
            lastOut = out;
            lastOutMicros = nowMicros;
        }
        return out;
    }

    /** The next packet starts a new input timeline; the gap is measured from the forwarding times. */
    public void switchSource() {
        if (started) {
            switchPending = true;
            gapMicros = NO_GAP;
        }
    }

    /**
     * The next packet starts a new input timeline, placed {@code gapMicros} (at least one tick) after the newest output
     * timestamp; for callers that know better than the forwarding times, e.g. from sender reports.
     */
    public void switchSource(long gapMicros) {
        if (started) {
            switchPending = true;
            this.gapMicros = Math.max(0, gapMicros);
        }
    }

    /** True once a first packet has been rewritten. */
    public boolean started() {
        return started;
    }

    /** The newest output timestamp; undefined before {@link #started()}. */
    public long lastOutput() {
        return lastOut;
    }

    public int clockRate() {
        return clockRate;
    }
}
