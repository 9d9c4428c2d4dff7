package dev.prism.conference;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.clock.Timers;
import dev.prism.core.room.Participant;
import dev.prism.core.room.Room;
import dev.prism.core.rtp.MediaKind;
import dev.prism.rtp.alloc.Preferences;
import dev.prism.rtp.layer.LayerSelector;
import dev.prism.rtp.router.uplink.Producer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Dynacast for one publisher: every {@link #TICK_MILLIS} it works out, for each simulcast video track the participant
 * publishes, which layers (rids) its subscribers need, and tells the publisher's owner when that changes
 * ({@link ConferenceListener#onPublisherLayers}); the client then stops encoding the others.
 *
 * <p>A subscriber needs, of a track it receives and has not paused: the highest layer its {@code trackPreferences}
 * allow (by the layers' heights, as the allocator reads them; the top when it set no height or a height is not known
 * yet) and every layer below it (the allocator steps down to them when the subscriber's estimate shrinks), plus the
 * layer the allocator targets for it and the layer forwarded to it now (still needed until the switch away from it has
 * happened). The preference, not only the allocator's assignment, counts because a layer the publisher stopped sending
 * is not measured, so the allocator cannot assign it: the preference is what asks for it back. A subscriber whose
 * estimate does not carry its preferred layer still keeps it on (it may grow into it). The hold, the lowest-layer rule
 * and the rate limit are {@link NeededLayers}'.
 *
 * <p>Room loop only (the timers run there). Cost per tick: one pass over the room's participants per simulcast track
 * (a map lookup each), never per packet.
 */
final class Dynacast {
    static final long TICK_MILLIS = 250;
    /** How long a layer stays on after its last subscriber stopped needing it. */
    static final long HOLD_MILLIS = 3_000;
    /** At most one announcement per track per this interval. */
    static final long MIN_INTERVAL_MILLIS = 500;

    private final Conference conference;
    private final Room room;
    private final String publisherId;
    private final PublisherSide publisher;
    private final ConferenceListener listener;
    private final MonoClock clock;
    private final Timers timers;
    private final Map<String, NeededLayers> byTrack = new HashMap<>();
    private Timers.Handle tick;
    private volatile boolean replayDue;
    /** Scratch for {@link #ceiling(Producer, int)}: the layers' heights. */
    private final int[] heights = new int[dev.prism.rtp.alloc.LayerStats.MAX_SPATIAL];

    Dynacast(Conference conference, Room room, String publisherId, PublisherSide publisher,
             ConferenceListener listener, MonoClock clock, Timers timers) {
        this.conference = conference;
        this.room = room;
        this.publisherId = publisherId;
        this.publisher = publisher;
        this.listener = listener;
        this.clock = clock;
        this.timers = timers;
    }

    /** After a publish: starts ticking when the participant publishes a simulcast track. Room loop only. */
    void published() {
        if (tick == null && hasSimulcast()) {
            tick = timers.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** The owner's signaling came back: the last announcements go out again at the next tick. Any thread. */
    void replayOnNextTick() {
        replayDue = true;
    }

    void close() {
        if (tick != null) {
            tick.cancel();
            tick = null;
        }
        byTrack.clear();
    }

    private boolean hasSimulcast() {
        for (PublisherSide.PublishedTrack pt : publisher.published().values()) {
            if (isSimulcastVideo(pt.producer())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSimulcastVideo(Producer p) {
        return p.kind() == MediaKind.VIDEO && p.layerCount() > 1 && p.layer(0).rid() != null;
    }

    /** One round over this publisher's simulcast tracks. */
    void tick() {
        long now = clock.nanos();
        boolean replay = replayDue;
        replayDue = false;
        List<String> seen = new ArrayList<>(2);
        for (PublisherSide.PublishedTrack pt : publisher.published().values()) {
            Producer p = pt.producer();
            if (!isSimulcastVideo(p)) {
                continue;
            }
            String trackId = pt.track().id();
            seen.add(trackId);
            NeededLayers needed = byTrack.computeIfAbsent(trackId, id -> new NeededLayers(p.layerCount(),
                    HOLD_MILLIS * 1_000_000L, MIN_INTERVAL_MILLIS * 1_000_000L, now));
            int mask = needed.update(now, demand(trackId, p));
            if (mask < 0 && replay) {
                mask = needed.replay();
            }
            if (mask >= 0) {
                listener.onPublisherLayers(trackId, rids(p, mask));
            }
        }
        byTrack.keySet().retainAll(seen);
    }

    /** The layers the subscribers of {@code trackId} need now, as a mask. */
    private int demand(String trackId, Producer p) {
        int mask = 0;
        for (Participant other : room.participants()) {
            if (other.id().equals(publisherId)) {
                continue;
            }
            ConferenceParticipant cp = conference.participant(room.id(), other.id());
            SubscriberSlot slot = cp == null ? null : cp.receivedSlot(trackId);
            if (slot == null) {
                continue;
            }
            Preferences prefs = slot.preferences != null ? slot.preferences : Preferences.DEFAULT;
            if (prefs.paused()) {
                continue;
            }
            mask |= (2 << ceiling(p, prefs.maxHeight())) - 1; // and every layer below: the allocator's fallbacks
            if (slot.consumer != null && !slot.consumer.isClosed()) {
                LayerSelector sel = slot.consumer.selector();
                if (sel != null) {
                    mask |= bit(sel.targetSpatial()) | bit(sel.currentSpatial());
                }
            }
        }
        return mask;
    }

    private static int bit(int spatial) {
        return spatial >= 0 && spatial < 31 ? 1 << spatial : 0;
    }

    /**
     * The highest layer a subscriber limited to {@code maxHeight} pixels may get: the highest at or below it, the
     * lowest when all are taller, the top when there is no limit or a height is unknown (the allocator's rule).
     */
    private int ceiling(Producer p, int maxHeight) {
        int n = Math.min(p.layerCount(), heights.length);
        for (int s = 0; s < n; s++) {
            heights[s] = p.layer(s).height();
        }
        return ceiling(heights, n, maxHeight);
    }

    /** The same over the first {@code n} of {@code layerHeights} (pixels, 0 = not known yet). */
    static int ceiling(int[] layerHeights, int n, int maxHeight) {
        if (maxHeight == 0) {
            return n - 1;
        }
        int best = 0;
        for (int s = 0; s < n; s++) {
            if (layerHeights[s] == 0) {
                return n - 1;
            }
            if (layerHeights[s] <= maxHeight) {
                best = s;
            }
        }
        return best;
    }

    /** The rids of the layers in {@code mask}, lowest first. */
    static List<String> rids(Producer p, int mask) {
        List<String> out = new ArrayList<>(p.layerCount());
        for (int s = 0; s < p.layerCount(); s++) {
            if ((mask & (1 << s)) != 0) {
                out.add(p.layer(s).rid());
            }
        }
        return out;
    }
}
