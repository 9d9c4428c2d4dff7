package dev.prism.rtp.router.downlink;

/**
 * Top-N audio for one audio consumer: whether the packet at hand is forwarded to the subscriber, given whether the
 * room's speaker ranking currently puts this stream among the subscriber's N loudest ({@link #select}).
 *
 * <p>Switching never cuts a sound in the middle:
 * <ul>
 *   <li>Decisions are per packet. An Opus packet is one whole frame (or a self-contained group of frames), so a
 *       stream starts or stops between frames, never inside one.</li>
 *   <li>A stream that enters the top N is forwarded from its next packet on ({@link #admit} returns
 *       {@link #RESUME} for that first one: the consumer moves its sequence numbers on so that the pause is no gap,
 *       and its timestamps on by the pause).</li>
 *   <li>A stream that leaves keeps flowing until it goes quiet: it stops at its first packet at or below
 *       {@link #QUIET_LEVEL} (a speaker pausing between words; cutting there gives the receiver's decoder nothing loud
 *       to fade out, so no click), or once every packet has been below speech ({@link #LOW_LEVEL}) for
 *       {@link #LOW_HOLD_NANOS}, or at the latest {@link #MAX_LINGER_NANOS} after it lost its place (a stream that
 *       never pauses, such as music, must still make room).</li>
 * </ul>
 * The withheld packets never reach the subscriber's sequence space, so they do not look like loss to it.
 *
 * <p>Threading: the media event loop of the room only ({@link #select} is called from the room's speaker tick on the
 * same loop). No allocation.
 */
public final class TopNAudioGate {
    /** {@link #admit}: forward the packet. */
    public static final int FORWARD = 0;
    /** {@link #admit}: forward the packet; it is the first after a withheld run (resynchronise the output). */
    public static final int RESUME = 1;
    /** {@link #admit}: do not forward the packet (top-N withholds it). */
    public static final int WITHHOLD = 2;

    /** -50 dBov and quieter is a pause in speech (speech sits at -20 to -45 dBov): a stream may stop here. */
    public static final int QUIET_LEVEL = 50;
    /** Quieter than -40 dBov is not loud speech: a stream that stays there for {@link #LOW_HOLD_NANOS} may stop. */
    public static final int LOW_LEVEL = 40;
    /** 200 ms: ten 20 ms Opus frames below speech. */
    public static final long LOW_HOLD_NANOS = 200_000_000L;
    /** 2 s: a stream that lost its place stops after this even if it never goes quiet. */
    public static final long MAX_LINGER_NANOS = 2_000_000_000L;

    private boolean selected = true;
    private boolean forwarding = true;
    private long deselectedAtNanos;
    private long lowSinceNanos = Long.MIN_VALUE;
    private long withheld;

    /**
     * Whether the room's ranking puts this stream among the subscriber's top N (true when top-N is off). Takes effect
     * at the next packet boundary, see the class comment.
     */
    public void select(boolean selected, long nowNanos) {
        if (this.selected && !selected) {
            deselectedAtNanos = nowNanos;
            lowSinceNanos = Long.MIN_VALUE;
        }
        this.selected = selected;
    }

    public boolean selected() {
        return selected;
    }

    /** Whether the stream is forwarded now (a stream leaving the top N is until it goes quiet). */
    public boolean forwarding() {
        return forwarding;
    }

    /** Packets this gate withheld. */
    public long withheld() {
        return withheld;
    }

    /**
     * The decision for one packet.
     *
     * @param level the packet's RFC 6464 level in -dBov, -1 when it carries none (then only the deadline stops a
     *              leaving stream)
     * @return {@link #FORWARD}, {@link #RESUME} or {@link #WITHHOLD}
     */
    public int admit(int level, long nowNanos) {
        if (selected) {
            if (forwarding) {
                return FORWARD;
            }
            forwarding = true;
            return RESUME;
        }
        if (forwarding && !mayStop(level, nowNanos)) {
            return FORWARD;
        }
        forwarding = false;
        withheld++;
        return WITHHOLD;
    }

    private boolean mayStop(int level, long nowNanos) {
        if (nowNanos - deselectedAtNanos >= MAX_LINGER_NANOS || level >= QUIET_LEVEL) {
            return true;
        }
        if (level > LOW_LEVEL) {
            if (lowSinceNanos == Long.MIN_VALUE) {
                lowSinceNanos = nowNanos;
            }
            return nowNanos - lowSinceNanos >= LOW_HOLD_NANOS;
        }
        lowSinceNanos = Long.MIN_VALUE;
        return false;
    }
}
