package dev.prism.rtp.alloc;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.rtp.MediaKind;
import dev.prism.rtp.layer.LayerSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shares one subscriber's downlink estimate among the tracks it receives. Deciding is separate from doing:
 * {@link #allocate} is a pure function of (estimate, subscriptions, committed state, clock) and returns a provisional
 * {@link Allocation}; {@link #commit} makes it the state the next round's hysteresis starts from, after the caller
 * applied it (each consumer's {@code LayerSelector.setTarget}).
 *
 * <h2>Order</h2>
 * <ol>
 *   <li>Audio first, always (paused only by the subscriber): it is cheap and losing it ends a conversation.</li>
 *   <li>Every video track gets its lowest layer, in priority order ({@link Priority}: screen share, active speaker,
 *       normal, low; ties in input order) while it fits; one that does not fit is paused.</li>
 *   <li>Then, class by class in priority order, the tracks of a class step up one layer at a time, round robin, until
 *       no next step fits: a screen share reaches its best layer before a normal camera goes beyond its lowest.</li>
 * </ol>
 * A track's ladder is its available layers ({@code bitrate > 0}) within its preferences, spatial-major:
 * s0t0, s0t1, ... s1t0, ...; a step costs the difference of the measured cumulative bitrates. Above the lowest
 * spatial layer, thinned temporal layers below {@link Config#minUpgradeFrameRate} are left out of the ladder. Layers
 * measured above {@link Preferences#maxBitrateBps} (a token's quality cap) are left out too, all but the lowest.
 *
 * <h2>Hysteresis</h2>
 * Keeping a layer that was committed costs exactly its bitrate while the estimate falls. Going beyond the committed
 * layer needs the new layer's bitrate x {@link Config#upgradeHeadroom} to fit, and is refused for
 * {@link Config#upgradeHoldMillis} after this track was last downgraded. So an estimate hovering around a layer's price
 * does not flip the layer every round, and a downgrade the path asks for is never delayed (a congested path is not made
 * worse while waiting). When the estimate has not fallen since the last commit, keeping the committed layer costs only
 * {@link Config#keepPriceShare} ({@link #KEEP_PRICE_SHARE} by default) of its bitrate: the path did not narrow, the layer's price rose, and that is a key frame
 * burst in the 1 s measurement window far more often than an encoder that really sends more (measured in a browser
 * test: every subscriber's top layer "rose" past an unchanged 1.39 Mbit/s estimate when another subscriber's switch
 * asked the publisher for key frames, and an uncongested subscriber was switched down, then held there 3 s). A price
 * that stays high is a price like any other once the estimate moves down. Optionally
 * ({@link FailedUpgrades}) an upgrade that had to be undone at once is retried only at a clearly higher estimate.
 *
 * <p>One instance per subscriber, on the room's event loop; not thread-safe. Runs per allocation round (every few
 * hundred ms and on estimate changes), not per packet. A round allocates only its result (the {@link Allocation} and
 * its assignments, which the caller keeps): the ladders and the priority order are working arrays kept between
 * rounds, and the committed state of each subscription is updated in place.
 */
public final class BitrateAllocator {
    /**
     * Share of its bitrate that keeping the committed layer costs in a round whose estimate is not below the previous
     * commit's: a key frame adds roughly a fifth to a third to a 1 s window of a 720p layer, so this keeps a layer
     * whose price rose by up to a third at an unchanged estimate.
     */
    static final double KEEP_PRICE_SHARE = 0.75;

    /**
     * @param upgradeHeadroom     an upgrade needs the new layer's bitrate times this to fit
     * @param upgradeHoldMillis   no upgrade of a track for this long after its latest downgrade
     * @param keepPriceShare      share of its bitrate that keeping the committed layer costs in a round whose estimate
     *                            is not below the previous commit's (1 = its full bitrate, always); see the class
     *                            comment's "Hysteresis"
     * @param minUpgradeFrameRate above a track's lowest spatial layer, a layer with fewer temporal layers than allowed
     *                            is offered only when its measured frame rate reaches this (frames per second; 0 for
     *                            no such rule): a higher resolution is not worth a stuttering picture, so the
     *                            finer temporal steps serve mostly the lowest layer. Layers without a measured frame
     *                            rate are always offered.
     */
    public record Config(double upgradeHeadroom, long upgradeHoldMillis, double minUpgradeFrameRate,
                         FailedUpgrades failedUpgrades, double keepPriceShare) {
        /** 15% headroom, 3 s hold, no frame-rate rule, no failed-upgrade memory. */
        public static final Config DEFAULT = new Config(1.15, 3_000);

        public Config {
            if (upgradeHeadroom < 1 || upgradeHoldMillis < 0 || minUpgradeFrameRate < 0) {
                throw new IllegalArgumentException("headroom " + upgradeHeadroom + " hold " + upgradeHoldMillis
                        + " minUpgradeFrameRate " + minUpgradeFrameRate);
            }
            if (keepPriceShare <= 0 || keepPriceShare > 1) {
                throw new IllegalArgumentException("keepPriceShare " + keepPriceShare);
            }
            failedUpgrades = failedUpgrades == null ? FailedUpgrades.NONE : failedUpgrades;
        }

        /** Keeping a committed layer at an estimate that did not fall costs {@link #KEEP_PRICE_SHARE}. */
        public Config(double upgradeHeadroom, long upgradeHoldMillis, double minUpgradeFrameRate,
                      FailedUpgrades failedUpgrades) {
            this(upgradeHeadroom, upgradeHoldMillis, minUpgradeFrameRate, failedUpgrades, KEEP_PRICE_SHARE);
        }

        public Config(double upgradeHeadroom, long upgradeHoldMillis) {
            this(upgradeHeadroom, upgradeHoldMillis, 0, FailedUpgrades.NONE);
        }

        public Config(double upgradeHeadroom, long upgradeHoldMillis, double minUpgradeFrameRate) {
            this(upgradeHeadroom, upgradeHoldMillis, minUpgradeFrameRate, FailedUpgrades.NONE);
        }
    }

    /**
     * Flap damping: an upgrade followed within {@code windowMillis} by a downgrade below the upgraded layer failed
     * (the estimate promised more than the path carries, typically on a path just wide enough for the layer). For
     * {@code memoryMillis} afterwards that layer and the ones above it are offered again only when the estimate is at
     * least {@code factor} times the estimate the failed upgrade was made at, or the whole desired rate when that is
     * less (a prober proves at most a little more than what is desired): a path that really widened is used at once,
     * the same narrow path is not tried again and again.
     *
     * @param windowMillis 0 turns the memory off
     */
    public record FailedUpgrades(long windowMillis, long memoryMillis, double factor) {
        public static final FailedUpgrades NONE = new FailedUpgrades(0, 0, 1);

        public FailedUpgrades {
            if (windowMillis < 0 || memoryMillis < 0 || factor < 1) {
                throw new IllegalArgumentException("window " + windowMillis + " memory " + memoryMillis + " factor "
                        + factor);
            }
        }
    }

    /**
     * What was committed for one subscription, with the latest upgrade (layer, when, at which estimate) and the latest
     * failed upgrade (see {@link FailedUpgrades}). One per subscription, updated in place by each commit.
     */
    private static final class Committed {
        final String id;
        int spatial;
        int temporal;
        long lastDowngradeNanos;
        boolean downgraded;
        int upSpatial;
        int upTemporal;
        long upAtNanos;
        long upEstimateBps;
        int failedSpatial;
        int failedTemporal;
        long failedAtNanos;
        long failedEstimateBps;
        /** The commit that last named this subscription; older ones are forgotten at the end of a commit. */
        long commit;

        Committed(String id) {
            this.id = id;
        }

        boolean hasFailure() {
            return failedSpatial >= 0;
        }
    }

    private static final Priority[] PRIORITIES = Priority.values();

    private final MonoClock clock;
    private final Config config;
    /** The estimate of the latest commit ({@link #KEEP_PRICE_SHARE}); 0 before the first. */
    private long committedEstimateBps;
    private final Map<String, Committed> committed = new HashMap<>();
    /** The same entries as {@link #committed}, to sweep by index after a commit (no iterator). */
    private final List<Committed> committedList = new ArrayList<>();
    private long commits;
    /** Working arrays of {@link #allocate}, grown to the most subscriptions seen; ladders are reused objects. */
    private Ladder[] ladderPool = new Ladder[0];
    private Ladder[] ladders = new Ladder[0];
    private int[] order = new int[0];

    public BitrateAllocator(MonoClock clock, Config config) {
        this.clock = clock;
        this.config = config;
    }

    /** The provisional allocation of {@code estimateBps} to {@code subscriptions}; changes nothing. */
    public Allocation allocate(long estimateBps, List<Subscription> subscriptions) {
        long now = clock.nanos();
        int n = subscriptions.size();
        Assignment[] out = new Assignment[n];
        ensureCapacity(n);
        Ladder[] ladders = this.ladders;
        java.util.Arrays.fill(ladders, 0, n, null);
        long budget = estimateBps;
        long desired = 0;

        for (int i = 0; i < n; i++) {
            Subscription sub = subscriptions.get(i);
            if (sub.preferences().paused()) {
                out[i] = new Assignment(sub.id(), -1, -1, 0, Assignment.State.PAUSED_BY_SUBSCRIBER);
            } else if (sub.kind() == MediaKind.AUDIO) {
                long cost = sub.bitrate(0, 0);
                budget -= cost;
                desired += cost;
                out[i] = new Assignment(sub.id(), 0, 0, cost, Assignment.State.OPTIMAL);
            } else {
                Ladder l = ladderPool[i].reset(sub, config.minUpgradeFrameRate());
                if (l.size() == 0) {
                    out[i] = new Assignment(sub.id(), 0, LayerSelector.ALL_TEMPORAL, 0, Assignment.State.UNMEASURED);
                } else {
                    ladders[i] = l;
                    desired += l.rate(l.size() - 1);
                }
            }
        }

        int[] order = this.order;
        int ordered = 0;
        for (Priority p : PRIORITIES) {
            for (int i = 0; i < n; i++) {
                if (ladders[i] != null && subscriptions.get(i).priority() == p) {
                    order[ordered++] = i;
                }
            }
        }
        for (int k = 0; k < ordered; k++) {
            Ladder l = ladders[order[k]];
            long delta = cost(l, 0, now, estimateBps, desired);
            if (delta >= 0 && delta <= budget) {
                budget -= l.rate(0);
                l.index = 0;
            } else {
                l.done = true;
            }
        }
        for (Priority p : PRIORITIES) {
            boolean progressed = true;
            while (progressed) {
                progressed = false;
                for (int k = 0; k < ordered; k++) {
                    int i = order[k];
                    Ladder l = ladders[i];
                    if (l.done || subscriptions.get(i).priority() != p) {
                        continue;
                    }
                    if (l.index + 1 >= l.size()) {
                        l.done = true;
                        continue;
                    }
                    long need = cost(l, l.index + 1, now, estimateBps, desired);
                    if (need >= 0 && need <= budget || need < 0) {
                        budget -= l.rate(l.index + 1) - l.rate(l.index);
                        l.index++;
                        progressed = true;
                    } else {
                        l.done = true;
                    }
                }
            }
        }

        long allocated = 0;
        for (int i = 0; i < n; i++) {
            Ladder l = ladders[i];
            if (l != null) {
                String id = subscriptions.get(i).id();
                if (l.index < 0) {
                    out[i] = new Assignment(id, -1, -1, 0, Assignment.State.PAUSED_NO_BANDWIDTH);
                } else {
                    out[i] = new Assignment(id, l.spatial(l.index), l.temporal(l.index), l.rate(l.index),
                            l.index == l.size() - 1 ? Assignment.State.OPTIMAL : Assignment.State.LIMITED);
                }
            }
            allocated += out[i].bitrateBps();
        }
        for (int i = 0; i < n; i++) {
            if (ladders[i] != null) {
                ladders[i].sub = null; // keep no subscription past its round
                ladders[i] = null;
            }
        }
        return new Allocation(estimateBps, allocated, desired, List.of(out));
    }

    private void ensureCapacity(int n) {
        if (ladderPool.length < n) {
            int cap = Math.max(n, ladderPool.length * 2);
            Ladder[] pool = java.util.Arrays.copyOf(ladderPool, cap);
            for (int i = ladderPool.length; i < cap; i++) {
                pool[i] = new Ladder();
            }
            ladderPool = pool;
            ladders = new Ladder[cap];
            order = new int[cap];
        }
    }

    /**
     * What moving {@code l} to step {@code next} requires of the budget: the bitrate difference, plus headroom when it
     * goes beyond the committed layer; {@link Long#MAX_VALUE} when an upgrade is on hold.
     */
    private long cost(Ladder l, int next, long now, long estimateBps, long desiredBps) {
        long delta = l.rate(next) - (l.index >= 0 ? l.rate(l.index) : 0);
        Committed c = committed.get(l.sub.id());
        int cs = c == null ? -1 : c.spatial;
        int ct = c == null ? -1 : c.temporal;
        int s = l.spatial(next);
        int t = l.temporal(next);
        boolean beyond = s != cs ? s > cs : t > ct;
        if (!beyond) {
            if (s == cs && t == ct && committedEstimateBps > 0 && estimateBps >= committedEstimateBps) {
                // the committed layer at an estimate that did not fall: its price rose (a key frame burst)
                return Math.max(0, delta - (long) (l.rate(next) * (1 - config.keepPriceShare())));
            }
            return delta;
        }
        if (c != null && c.downgraded && now - c.lastDowngradeNanos < config.upgradeHoldMillis() * 1_000_000L) {
            return Long.MAX_VALUE;
        }
        FailedUpgrades f = config.failedUpgrades();
        if (c != null && c.hasFailure() && now - c.failedAtNanos < f.memoryMillis() * 1_000_000L
                && (s != c.failedSpatial ? s > c.failedSpatial : t >= c.failedTemporal)
                && estimateBps < Math.min(c.failedEstimateBps * f.factor(), desiredBps)) {
            return Long.MAX_VALUE; // this layer failed at about this estimate not long ago
        }
        return Math.max(delta, 0) + (long) (l.rate(next) * (config.upgradeHeadroom() - 1));
    }

    /**
     * Makes {@code allocation} the committed state: downgrades the estimate forced are timed for the upgrade hold, and
     * subscriptions absent from it are forgotten.
     */
    public void commit(Allocation allocation) {
        long now = clock.nanos();
        long window = config.failedUpgrades().windowMillis() * 1_000_000L;
        long round = ++commits;
        committedEstimateBps = allocation.estimateBps();
        List<Assignment> assignments = allocation.assignments();
        for (int i = 0; i < assignments.size(); i++) {
            Assignment a = assignments.get(i);
            Committed c = committed.get(a.id());
            boolean known = c != null;
            // Only a downgrade the estimate forced holds later upgrades back: a subscriber asking for less (a smaller
            // tile, a pause) is free to ask for more again at once.
            boolean forced = a.state() == Assignment.State.LIMITED || a.state() == Assignment.State.PAUSED_NO_BANDWIDTH;
            boolean down = known && a.compareLayer(c.spatial, c.temporal) < 0 && forced;
            boolean up = known && a.compareLayer(c.spatial, c.temporal) > 0;
            long at = down ? now : known ? c.lastDowngradeNanos : 0;
            boolean downgraded = down || known && c.downgraded;
            int upS = up ? a.spatial() : known ? c.upSpatial : -1;
            int upT = up ? a.temporal() : known ? c.upTemporal : -1;
            long upAt = up ? now : known ? c.upAtNanos : 0;
            long upEstimate = up ? allocation.estimateBps() : known ? c.upEstimateBps : 0;
            int failS = known ? c.failedSpatial : -1;
            int failT = known ? c.failedTemporal : -1;
            long failAt = known ? c.failedAtNanos : 0;
            long failEstimate = known ? c.failedEstimateBps : 0;
            if (down && window > 0 && upS >= 0 && now - upAt < window && a.compareLayer(upS, upT) < 0) {
                failS = upS;
                failT = upT;
                failAt = now;
                failEstimate = upEstimate;
            }
            if (!known) {
                c = new Committed(a.id()); // once per subscription, not per round
                committed.put(a.id(), c);
                committedList.add(c);
            }
            c.spatial = a.spatial();
            c.temporal = a.temporal();
            c.lastDowngradeNanos = at;
            c.downgraded = downgraded;
            c.upSpatial = upS;
            c.upTemporal = upT;
            c.upAtNanos = upAt;
            c.upEstimateBps = upEstimate;
            c.failedSpatial = failS;
            c.failedTemporal = failT;
            c.failedAtNanos = failAt;
            c.failedEstimateBps = failEstimate;
            c.commit = round;
        }
        // Subscriptions absent from this allocation are forgotten.
        for (int i = committedList.size() - 1; i >= 0; i--) {
            Committed c = committedList.get(i);
            if (c.commit != round) {
                committed.remove(c.id);
                int last = committedList.size() - 1;
                committedList.set(i, committedList.get(last));
                committedList.remove(last);
            }
        }
    }

    /** The committed layer of {@code id} as {@code {spatial, temporal}}, or null when unknown. */
    public int[] committedLayer(String id) {
        Committed c = committed.get(id);
        return c == null ? null : new int[] {c.spatial, c.temporal};
    }

    /** A subscription ended: forget its state. */
    public void forget(String id) {
        Committed c = committed.remove(id);
        if (c != null) {
            committedList.remove(c);
        }
    }

    /**
     * The available layers of one video subscription within its preferences, cheapest first (spatial-major). Reused
     * from round to round ({@link #reset}); its arrays grow to the largest ladder seen.
     */
    private static final class Ladder {
        Subscription sub;
        int[] spatial = new int[8];
        int[] temporal = new int[8];
        long[] rate = new long[8];
        int size;
        int index;
        boolean done;

        Ladder reset(Subscription sub, double minUpgradeFrameRate) {
            this.sub = sub;
            index = -1;
            done = false;
            int maxS = sub.maxSpatial();
            int maxT = sub.preferences().maxTemporal();
            long maxRate = sub.preferences().maxBitrateBps();
            int cap = 0;
            for (int s = 0; s <= maxS; s++) {
                cap += Math.min(maxT + 1, sub.layerBitrates()[s].length);
            }
            if (rate.length < cap) {
                spatial = new int[cap];
                temporal = new int[cap];
                rate = new long[cap];
            }
            int k = 0;
            for (int s = 0; s <= maxS; s++) {
                int top = -1;
                for (int t = 0; t <= maxT && t < sub.layerBitrates()[s].length; t++) {
                    if (sub.bitrate(s, t) > 0) {
                        top = t;
                    }
                }
                boolean lowest = k == 0;
                for (int t = 0; t <= maxT && t < sub.layerBitrates()[s].length; t++) {
                    long r = sub.bitrate(s, t);
                    double fps = sub.frameRate(s, t);
                    boolean smooth = lowest || t == top || fps == 0 || fps >= minUpgradeFrameRate;
                    boolean withinCap = maxRate == 0 || r <= maxRate || k == 0;
                    if (r > 0 && smooth && withinCap) {
                        spatial[k] = s;
                        temporal[k] = t;
                        rate[k] = r;
                        k++;
                    }
                }
            }
            size = k;
            return this;
        }

        int size() {
            return size;
        }

        int spatial(int i) {
            return spatial[i];
        }

        int temporal(int i) {
            return temporal[i];
        }

        long rate(int i) {
            return rate[i];
        }
    }
}
