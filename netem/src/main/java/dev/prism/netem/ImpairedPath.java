package dev.prism.netem;

import dev.prism.core.clock.MonoClock;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;

/**
 * One direction of an impaired path with its packets: a {@link Link} decides each offered packet's departure, a
 * bounded {@link ReleaseQueue} holds the copy until then, and {@link #releaseDue} hands the packets whose time has
 * come to a {@link Sink}, earliest departure first. Time comes from the {@link MonoClock} it was given, so a test
 * with a {@code FakeClock} sees exactly which packet leaves when.
 *
 * <p>Not thread-safe: the owner (the relay's thread, or a test) makes every call. Nothing is allocated per packet.
 */
public final class ImpairedPath {
    /** Receives released packets. */
    @FunctionalInterface
    public interface Sink {
        /**
         * One released packet. {@code payload} is borrowed for the call only (its slot is reused afterwards).
         *
         * @param route         what the owner passed to {@link #offer} (where the packet goes)
         * @param arrivalNanos  when it was offered
         * @param departureNanos when the link said it leaves
         */
        void deliver(int route, ByteBuffer payload, long arrivalNanos, long departureNanos);
    }

    private final MonoClock clock;
    private final Link link;
    private final ReleaseQueue queue;
    private long offered;
    private long offeredBytes;
    private long delivered;
    private long deliveredBytes;
    private final long[] dropped = new long[DropReason.values().length];
    private long minHold = Long.MAX_VALUE;
    private long maxHold;
    private long sumHold;
    private long maxLate;
    private long sumLate;
    private long lateOver2ms;

    /**
     * @param capacity  packets that may be held at once (beyond: {@link DropReason#RELEASE_FULL})
     * @param slotBytes the largest datagram held (beyond: {@link DropReason#OVERSIZE})
     */
    public ImpairedPath(MonoClock clock, LinkProfile profile, RandomSource random, int capacity, int slotBytes) {
        this.clock = clock;
        this.link = new Link(profile, random);
        this.queue = new ReleaseQueue(capacity, slotBytes);
    }

    public LinkProfile profile() {
        return link.profile();
    }

    /** Replaces the profile for packets offered from now on ({@link Link#setProfile}). */
    public void setProfile(LinkProfile profile) {
        link.setProfile(clock.nanos(), profile);
    }

    /** Drops every packet offered from now on (true) or stops doing so; packets already held still leave. */
    public void setOutage(boolean down) {
        link.setOutage(down);
    }

    /**
     * Offers a packet (its remaining bytes; the buffer's position is not moved) now.
     *
     * @return whether it was taken (it will be released later); false when dropped, counted by reason
     */
    public boolean offer(ByteBuffer payload, int route) {
        long now = clock.nanos();
        int bytes = payload.remaining();
        offered++;
        offeredBytes += bytes;
        if (bytes > queue.slotBytes()) {
            dropped[DropReason.OVERSIZE.ordinal()]++;
            return false;
        }
        if (queue.isFull()) {
            dropped[DropReason.RELEASE_FULL.ordinal()]++;
            return false;
        }
        long departure = link.offer(now, bytes);
        if (departure == Link.DROPPED) {
            dropped[link.lastDropReason().ordinal()]++;
            return false;
        }
        queue.add(payload, route, now, departure);
        return true;
    }

    /** Whether packets are held. */
    public boolean hasHeld() {
        return !queue.isEmpty();
    }

    /** The earliest departure held; only when {@link #hasHeld()}. */
    public long nextDepartureNanos() {
        return queue.nextDeparture();
    }

    /** Nanoseconds until the next departure (0 when one is due, {@code Long.MAX_VALUE} when nothing is held). */
    public long nanosUntilNextDeparture() {
        if (queue.isEmpty()) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, queue.nextDeparture() - clock.nanos());
    }

    /** Hands every packet due by now to {@code sink}, earliest departure first; returns how many. */
    public int releaseDue(Sink sink) {
        long now = clock.nanos();
        int n = 0;
        while (!queue.isEmpty() && queue.nextDeparture() - now <= 0) {
            int slot = queue.poll();
            ByteBuffer payload = queue.payload(slot);
            long arrival = queue.arrival(slot);
            long departure = queue.departure(slot);
            long hold = now - arrival;
            delivered++;
            deliveredBytes += payload.remaining();
            minHold = Math.min(minHold, hold);
            maxHold = Math.max(maxHold, hold);
            sumHold += hold;
            long late = now - departure;
            maxLate = Math.max(maxLate, late);
            sumLate += late;
            if (late > 2_000_000L) {
                lateOver2ms++;
            }
            sink.deliver(queue.route(slot), payload, arrival, departure);
            n++;
        }
        return n;
    }

    public PathCounters counters() {
        Map<DropReason, Long> byReason = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            byReason.put(r, dropped[r.ordinal()]);
        }
        return new PathCounters(offered, offeredBytes, delivered, deliveredBytes, byReason, queue.size(),
                delivered == 0 ? 0 : minHold, maxHold, sumHold, maxLate, sumLate, lateOver2ms);
    }
}
