package dev.prism.conference;

/**
 * Dynacast's decision for one simulcast track: which spatial layers its publisher should keep sending, as a bit mask
 * (bit {@code s} = spatial layer {@code s}, 0 = lowest). Pure: the caller measures the demand and passes the time.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>A layer is on while some subscriber needs it ({@code demandMask}), and for {@link #holdNanos} after the last
 *       one stopped needing it: a tile that shrinks and grows again, or an allocator stepping down and up, does not
 *       make the publisher's encoder flap.</li>
 *   <li>The lowest layer always stays on, even with nobody subscribed: a new or resumed subscriber has a picture at
 *       once (no encoder restart and key frame to wait for), and the publisher's connection never goes silent (the
 *       SDK takes a connection that stops receiving the server's feedback for a dead path and restarts ICE).</li>
 *   <li>A new track starts with every layer on (what the publisher sends before any message) and every layer held, so
 *       nothing is switched off during the hold that follows the publish while subscribers arrive.</li>
 *   <li>A change is announced only when the mask differs from the last one announced, and at most once per
 *       {@link #minIntervalNanos}; a change due inside that interval is announced at the first update after it.</li>
 * </ul>
 *
 * <p>One instance per published track, used on the room's loop only; not thread-safe. Called every dynacast tick
 * (a few times a second), never per packet.
 */
final class NeededLayers {
    private final long holdNanos;
    private final long minIntervalNanos;
    private final int layers;
    private final long[] lastNeededNanos;
    private int announced;
    private long announcedAtNanos;
    private boolean announcedOnce;

    /**
     * @param layers    spatial layers of the track (1..31)
     * @param nowNanos  when the track was published
     */
    NeededLayers(int layers, long holdNanos, long minIntervalNanos, long nowNanos) {
        if (layers < 1 || layers > 31 || holdNanos < 0 || minIntervalNanos < 0) {
            throw new IllegalArgumentException("layers " + layers + " hold " + holdNanos + " interval "
                    + minIntervalNanos);
        }
        this.layers = layers;
        this.holdNanos = holdNanos;
        this.minIntervalNanos = minIntervalNanos;
        this.lastNeededNanos = new long[layers];
        java.util.Arrays.fill(lastNeededNanos, nowNanos);
        this.announced = allLayers();
        this.announcedAtNanos = nowNanos - minIntervalNanos;
    }

    /** Every layer on. */
    int allLayers() {
        return (1 << layers) - 1;
    }

    /**
     * One tick.
     *
     * @param demandMask bit {@code s} set when some subscriber needs layer {@code s} now (bits beyond the track's
     *                   layers are ignored)
     * @return the mask to announce to the publisher now, or -1 when there is nothing to announce
     */
    int update(long nowNanos, int demandMask) {
        int wanted = 1; // the lowest, always
        for (int s = 0; s < layers; s++) {
            if ((demandMask & (1 << s)) != 0) {
                lastNeededNanos[s] = nowNanos;
            }
            if (nowNanos - lastNeededNanos[s] < holdNanos || (demandMask & (1 << s)) != 0) {
                wanted |= 1 << s;
            }
        }
        if (wanted == announced || nowNanos - announcedAtNanos < minIntervalNanos) {
            return -1;
        }
        announced = wanted;
        announcedAtNanos = nowNanos;
        announcedOnce = true;
        return wanted;
    }

    /** The mask announced last (every layer before the first announcement). */
    int announced() {
        return announced;
    }

    /**
     * The announced mask, to send again (the publisher's signaling reconnected and may have missed it); -1 when
     * nothing was ever announced (the publisher still sends everything, as it should).
     */
    int replay() {
        return announcedOnce ? announced : -1;
    }
}
