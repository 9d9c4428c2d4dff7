package dev.prism.webhooks;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A room's recent events for the replay endpoint: at most {@code capacity} events, none older than {@code maxAgeMillis}
 * (by the monotonic clock that stamped them); the oldest are dropped first. Thread-safe: the room's loop appends, HTTP
 * threads read.
 */
public final class EventRing {
    private record Entry(WebhookEvent event, long addedMillis) {
    }

    private final int capacity;
    private final long maxAgeMillis;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    public EventRing(int capacity, long maxAgeMillis) {
        if (capacity < 1 || maxAgeMillis < 1) {
            throw new IllegalArgumentException("capacity and age must be positive: " + capacity + ", " + maxAgeMillis);
        }
        this.capacity = capacity;
        this.maxAgeMillis = maxAgeMillis;
    }

    /** Appends an event (its seq is above every seq held); drops the oldest beyond the capacity or age. */
    public synchronized void add(WebhookEvent event, long nowMillis) {
        entries.addLast(new Entry(event, nowMillis));
        while (entries.size() > capacity) {
            entries.removeFirst();
        }
        expire(nowMillis);
    }

    /** The events with {@code seq > afterSeq} still held, oldest first. */
    public synchronized List<WebhookEvent> after(long afterSeq, long nowMillis) {
        expire(nowMillis);
        List<WebhookEvent> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.event().seq() > afterSeq) {
                out.add(e.event());
            }
        }
        return out;
    }

    /** The smallest seq still held, or 0 when empty (a replay asking for less than it - 1 has missed some). */
    public synchronized long firstSeq(long nowMillis) {
        expire(nowMillis);
        return entries.isEmpty() ? 0 : entries.peekFirst().event().seq();
    }

    public synchronized int size() {
        return entries.size();
    }

    private void expire(long nowMillis) {
        Iterator<Entry> it = entries.iterator();
        while (it.hasNext() && nowMillis - it.next().addedMillis() > maxAgeMillis) {
            it.remove();
        }
    }
}
