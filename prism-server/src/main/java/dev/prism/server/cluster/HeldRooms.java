package dev.prism.server.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms this node owns in Redis, each with the epoch of its record when this node learnt it owned it (a placement
 * that answered this node, or a claim of its own). The fencing check compares these epochs with the records.
 * Thread-safe.
 */
final class HeldRooms {
    /** @param sinceNanos when this node learnt it (a room never created here is released after a while) */
    record Held(long epoch, long sinceNanos) {
    }

    private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();

    /** Records that this node owns {@code room} at {@code epoch}; a later epoch replaces an earlier one. */
    void hold(String room, long epoch, long nowNanos) {
        held.merge(room, new Held(epoch, nowNanos), (old, fresh) -> fresh.epoch() >= old.epoch() ? fresh : old);
    }

    Held get(String room) {
        return held.get(room);
    }

    /** Forgets the room; answers what was held, or null. */
    Held drop(String room) {
        return held.remove(room);
    }

    /** Forgets the room only if it is still held at {@code epoch}. */
    boolean drop(String room, Held expected) {
        return held.remove(room, expected);
    }

    Map<String, Held> snapshot() {
        return new HashMap<>(held);
    }

    int size() {
        return held.size();
    }
}
