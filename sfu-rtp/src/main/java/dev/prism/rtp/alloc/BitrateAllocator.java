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
 * s0t0, s0t1, ... s1t0, ...; a step costs the difference of the measured cumulative bitrates.
 *
 * <h2>Hysteresis</h2>
 * Keeping a layer that was committed costs exactly its bitrate. Going beyond the committed layer needs the new layer's
 * bitrate x {@link Config#upgradeHeadroom} to fit, and is refused for {@link Config#upgradeHoldMillis} after this
 * track was last downgraded. So an estimate hovering around a layer's price does not flip the layer every round, and
 * a downgrade is never delayed (a congested path is not made worse while waiting).
 *
 * <p>One instance per subscriber, on the room's event loop; not thread-safe. Runs per allocation round (every few
 * hundred ms and on estimate changes), not per packet.
 */
public final class BitrateAllocator {
    /**
     * @param upgradeHeadroom   an upgrade needs the new layer's bitrate times this to fit
     * @param upgradeHoldMillis no upgrade of a track for this long after its latest downgrade
     */
    public record Config(double upgradeHeadroom, long upgradeHoldMillis) {
        public static final Config DEFAULT = new Config(1.15, 3_000);

        public Config {
            if (upgradeHeadroom < 1 || upgradeHoldMillis < 0) {
                throw new IllegalArgumentException("headroom " + upgradeHeadroom + " hold " + upgradeHoldMillis);
            }
        }
    }

    private record Committed(int spatial, int temporal, long lastDowngradeNanos, boolean downgraded) {
    }

    private final MonoClock clock;
    private final Config config;
    private final Map<String, Committed> committed = new HashMap<>();

    public BitrateAllocator(MonoClock clock, Config config) {
        this.clock = clock;
        this.config = config;
    }

    /** The provisional allocation of {@code estimateBps} to {@code subscriptions}; changes nothing. */
    public Allocation allocate(long estimateBps, List<Subscription> subscriptions) {
        long now = clock.nanos();
        int n = subscriptions.size();
        Assignment[] out = new Assignment[n];
        Ladder[] ladders = new Ladder[n];
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
                Ladder l = new Ladder(sub);
                if (l.size() == 0) {
                    out[i] = new Assignment(sub.id(), 0, LayerSelector.ALL_TEMPORAL, 0, Assignment.State.UNMEASURED);
                } else {
                    ladders[i] = l;
                    desired += l.rate(l.size() - 1);
                }
            }
        }

        List<Integer> order = new ArrayList<>();
        for (Priority p : Priority.values()) {
            for (int i = 0; i < n; i++) {
                if (ladders[i] != null && subscriptions.get(i).priority() == p) {
                    order.add(i);
                }
            }
        }
        for (int i : order) {
            Ladder l = ladders[i];
            long delta = cost(l, 0, now);
            if (delta >= 0 && delta <= budget) {
                budget -= l.rate(0);
                l.index = 0;
            } else {
                l.done = true;
            }
        }
        for (Priority p : Priority.values()) {
            boolean progressed = true;
            while (progressed) {
                progressed = false;
                for (int i : order) {
                    Ladder l = ladders[i];
                    if (l.done || subscriptions.get(i).priority() != p) {
                        continue;
                    }
                    if (l.index + 1 >= l.size()) {
                        l.done = true;
                        continue;
                    }
                    long need = cost(l, l.index + 1, now);
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
        return new Allocation(estimateBps, allocated, desired, List.of(out));
    }

    /**
     * What moving {@code l} to step {@code next} requires of the budget: the bitrate difference, plus headroom when it
     * goes beyond the committed layer; {@link Long#MAX_VALUE} when an upgrade is on hold.
     */
    private long cost(Ladder l, int next, long now) {
        long delta = l.rate(next) - (l.index >= 0 ? l.rate(l.index) : 0);
        Committed c = committed.get(l.sub.id());
        int cs = c == null ? -1 : c.spatial();
        int ct = c == null ? -1 : c.temporal();
        int s = l.spatial(next);
        int t = l.temporal(next);
        boolean beyond = s != cs ? s > cs : t > ct;
        if (!beyond) {
            return delta;
        }
        if (c != null && c.downgraded() && now - c.lastDowngradeNanos() < config.upgradeHoldMillis() * 1_000_000L) {
            return Long.MAX_VALUE;
        }
        return Math.max(delta, 0) + (long) (l.rate(next) * (config.upgradeHeadroom() - 1));
    }

    /**
     * Makes {@code allocation} the committed state: downgrades are timed for the upgrade hold, and subscriptions absent
     * from it are forgotten.
     */
    public void commit(Allocation allocation) {
        long now = clock.nanos();
        Map<String, Committed> next = new HashMap<>();
        for (Assignment a : allocation.assignments()) {
            Committed c = committed.get(a.id());
            boolean down = c != null && a.compareLayer(c.spatial(), c.temporal()) < 0;
            long at = down ? now : c == null ? 0 : c.lastDowngradeNanos();
            boolean downgraded = down || c != null && c.downgraded();
            next.put(a.id(), new Committed(a.spatial(), a.temporal(), at, downgraded));
        }
        committed.clear();
        committed.putAll(next);
    }

    /** The committed layer of {@code id} as {@code {spatial, temporal}}, or null when unknown. */
    public int[] committedLayer(String id) {
        Committed c = committed.get(id);
        return c == null ? null : new int[] {c.spatial(), c.temporal()};
    }

    /** A subscription ended: forget its state. */
    public void forget(String id) {
        committed.remove(id);
    }

    /** The available layers of one video subscription within its preferences, cheapest first (spatial-major). */
    private static final class Ladder {
        final Subscription sub;
        final int[] spatial;
        final int[] temporal;
        final long[] rate;
        int index = -1;
        boolean done;

        Ladder(Subscription sub) {
            this.sub = sub;
            int maxS = sub.maxSpatial();
            int maxT = sub.preferences().maxTemporal();
            int cap = 0;
            for (int s = 0; s <= maxS; s++) {
                cap += Math.min(maxT + 1, sub.layerBitrates()[s].length);
            }
            int[] ss = new int[cap];
            int[] ts = new int[cap];
            long[] rs = new long[cap];
            int k = 0;
            for (int s = 0; s <= maxS; s++) {
                for (int t = 0; t <= maxT && t < sub.layerBitrates()[s].length; t++) {
                    long r = sub.bitrate(s, t);
                    if (r > 0) {
                        ss[k] = s;
                        ts[k] = t;
                        rs[k] = r;
                        k++;
                    }
                }
            }
            spatial = java.util.Arrays.copyOf(ss, k);
            temporal = java.util.Arrays.copyOf(ts, k);
            rate = java.util.Arrays.copyOf(rs, k);
        }

        int size() {
            return rate.length;
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
