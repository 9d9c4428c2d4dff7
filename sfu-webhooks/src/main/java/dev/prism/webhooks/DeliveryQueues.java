package dev.prism.webhooks;

import dev.prism.core.clock.MonoClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one receiver URL still has to get, decided from a clock alone (no I/O, so the schedule is table-tested): one
 * queue per room in seq order, at most one attempt in flight per room (a later event of a room waits for the earlier
 * one: delivered, or given up), failed attempts retried after {@link RetrySchedule#delayAfter} and given up once the
 * next try would fall outside the window, at most {@code maxPerRoom} events waiting per room (the oldest not in flight
 * is dropped). Rooms do not wait for each other.
 *
 * <p>Not thread-safe: owned by the dispatcher's context.
 */
public final class DeliveryQueues {
    /** Why an event was given up: the bounded set of metric labels. */
    public enum DropReason {
        EXPIRED, QUEUE_FULL;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Hears what became of events; called from the owner's calls. */
    public interface Outcomes {
        void delivered(WebhookEvent event, int attempts);

        void retrying(WebhookEvent event, int failures, long delayMillis);

        void dropped(WebhookEvent event, DropReason reason, int attempts);
    }

    /** One event waiting for this URL. */
    public static final class Pending {
        final WebhookEvent event;
        final long queuedAtMillis;
        int failures;
        long notBeforeMillis;
        boolean inFlight;

        Pending(WebhookEvent event, long queuedAtMillis) {
            this.event = event;
            this.queuedAtMillis = queuedAtMillis;
            this.notBeforeMillis = queuedAtMillis;
        }

        public WebhookEvent event() {
            return event;
        }

        /** Attempts made before this one. */
        public int failures() {
            return failures;
        }
    }

    private final RetrySchedule schedule;
    private final int maxPerRoom;
    private final MonoClock clock;
    private final Outcomes outcomes;
    private final Map<String, ArrayDeque<Pending>> rooms = new LinkedHashMap<>();

    public DeliveryQueues(RetrySchedule schedule, int maxPerRoom, MonoClock clock, Outcomes outcomes) {
        if (maxPerRoom < 1) {
            throw new IllegalArgumentException("maxPerRoom must be at least 1: " + maxPerRoom);
        }
        this.schedule = schedule;
        this.maxPerRoom = maxPerRoom;
        this.clock = clock;
        this.outcomes = outcomes;
    }

    /** Queues an event behind its room's earlier ones; a full room queue drops its oldest waiting event. */
    public void add(WebhookEvent event) {
        ArrayDeque<Pending> q = rooms.computeIfAbsent(event.roomId(), r -> new ArrayDeque<>());
        q.addLast(new Pending(event, clock.millis()));
        while (q.size() > maxPerRoom) {
            Iterator<Pending> it = q.iterator();
            Pending oldest = it.next();
            if (oldest.inFlight) { // its answer is awaited: the next one goes instead
                oldest = it.next();
            }
            it.remove();
            outcomes.dropped(oldest.event, DropReason.QUEUE_FULL, oldest.failures);
        }
    }

    /** The attempts to start now (each room's head, when due and not in flight); marks them in flight. */
    public List<Pending> due() {
        long now = clock.millis();
        List<Pending> out = new ArrayList<>();
        for (ArrayDeque<Pending> q : rooms.values()) {
            Pending head = q.peekFirst();
            if (head != null && !head.inFlight && head.notBeforeMillis <= now) {
                head.inFlight = true;
                out.add(head);
            }
        }
        return out;
    }

    /** The attempt was answered 2xx: the room's next event may go. */
    public void succeeded(Pending p) {
        if (finish(p)) {
            outcomes.delivered(p.event, p.failures + 1);
        }
    }

    /** The attempt failed (error status, refused, timed out): tried again later, or given up past the window. */
    public void failed(Pending p) {
        p.inFlight = false;
        p.failures++;
        long delay = schedule.delayAfter(p.failures);
        long next = clock.millis() + delay;
        if (!schedule.withinWindow(p.queuedAtMillis, next)) {
            if (finish(p)) {
                outcomes.dropped(p.event, DropReason.EXPIRED, p.failures);
            }
            return;
        }
        p.notBeforeMillis = next;
        outcomes.retrying(p.event, p.failures, delay);
    }

    /** When {@link #due()} next has something (monotonic millis), or -1 when only in-flight attempts remain. */
    public long nextDueMillis() {
        long next = -1;
        for (ArrayDeque<Pending> q : rooms.values()) {
            Pending head = q.peekFirst();
            if (head != null && !head.inFlight && (next < 0 || head.notBeforeMillis < next)) {
                next = head.notBeforeMillis;
            }
        }
        return next;
    }

    /** Events waiting or in flight. */
    public int size() {
        int n = 0;
        for (ArrayDeque<Pending> q : rooms.values()) {
            n += q.size();
        }
        return n;
    }

    /** Takes {@code p} (its room's head) out; false when it was already gone. */
    private boolean finish(Pending p) {
        p.inFlight = false;
        ArrayDeque<Pending> q = rooms.get(p.event.roomId());
        if (q == null || q.peekFirst() != p) {
            return false;
        }
        q.removeFirst();
        if (q.isEmpty()) {
            rooms.remove(p.event.roomId());
        }
        return true;
    }
}
