package dev.prism.ops.inspect;

import dev.prism.conference.Conference;
import dev.prism.core.clock.MonoClock;
import dev.prism.core.inspect.Traffic;
import dev.prism.core.room.Room;
import dev.prism.rtp.transport.MediaCounters;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once per interval: turns the media plane's byte and packet counters into rates (node-wide, per track, per
 * subscription, per participant), appends a point to every participant's short history, and measures CPU and event
 * loop load. Rates are what the admin UI shows and what the bitrate distributions of the metrics record.
 *
 * <p>Threading: its own daemon thread ticks and reads atomic counters; each room is sampled by a task on the room's
 * executor (see {@link RoomStats}). {@link #sampleNow()} runs one tick on the caller's thread (tests).
 */
public final class StatsSampler implements AutoCloseable {
    /**
     * Called on the room's executor with each participant of each sampled room, with the figures its
     * {@link dev.prism.core.inspect.ParticipantSnapshot} would show (NaN: not measured, the snapshot's null). No
     * snapshot is built for it. Must return at once.
     */
    public interface Listener {
        /**
         * @param tracks     the participant's published tracks
         * @param subscribes whether it has a subscriber connection
         */
        void onParticipantSampled(int tracks, double uplinkBps, double downlinkBps, double estimateBps,
                                  boolean subscribes);
    }

    private static final Logger log = LoggerFactory.getLogger(StatsSampler.class);

    private final Conference conference;
    private final MonoClock clock;
    private final Duration interval;
    private final int historyPoints;
    private final JvmProbe jvm = new JvmProbe();
    private final List<EventLoopProbe> loops;
    private final Map<Room, RoomStats> rooms = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    // Node-wide meters: sampler thread only; the rates they publish are volatile.
    private final RateMeter packetsIn = new RateMeter();
    private final RateMeter bytesIn = new RateMeter();
    private final RateMeter packetsOut = new RateMeter();
    private final RateMeter bytesOut = new RateMeter();
    private volatile Double packetsInPerSecond;
    private volatile Double bitsInPerSecond;
    private volatile Double packetsOutPerSecond;
    private volatile Double bitsOutPerSecond;
    private ScheduledExecutorService timer;

    /**
     * @param interval      time between samples (1 s in production)
     * @param historyPoints points kept per participant (300 at 1 s = five minutes)
     * @param loops         the media event loops to measure
     */
    public StatsSampler(Conference conference, MonoClock clock, Duration interval, int historyPoints,
                        List<EventLoopProbe> loops) {
        this.conference = conference;
        this.clock = clock;
        this.interval = interval;
        this.historyPoints = historyPoints;
        this.loops = List.copyOf(loops);
    }

    /** Starts ticking on a daemon thread. */
    public synchronized void start() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("prism-stats", true));
            long period = interval.toMillis();
            timer.scheduleAtFixedRate(this::tick, 0, period, TimeUnit.MILLISECONDS);
        }
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public Duration interval() {
        return interval;
    }

    /** One sample now, on the caller's thread (rooms are still sampled on their executors). */
    public void sampleNow() {
        tick();
    }

    private void tick() {
        try {
            long now = clock.nanos();
            MediaCounters c = conference.media().counters();
            packetsInPerSecond = packetsIn.update(c.packetsIn(), now);
            Double bytesInRate = bytesIn.update(c.bytesIn(), now);
            bitsInPerSecond = bytesInRate == null ? null : bytesInRate * 8;
            packetsOutPerSecond = packetsOut.update(c.packetsOut(), now);
            Double bytesOutRate = bytesOut.update(c.bytesOut(), now);
            bitsOutPerSecond = bytesOutRate == null ? null : bytesOutRate * 8;
            jvm.sample(now);
            for (EventLoopProbe p : loops) {
                p.sample(now);
            }
            rooms.keySet().removeIf(r -> conference.rooms().get(r.id()) != r);
            for (Room room : conference.rooms().rooms()) {
                try {
                    room.executor().execute(() -> sampleRoom(room));
                } catch (RejectedExecutionException e) {
                    // the room's loop is shutting down with the node
                }
            }
        } catch (RuntimeException e) {
            // A bug must cost one sample, not the timer (a scheduled task that throws is never run again).
            log.warn("stats: sample failed", e);
        }
    }

    /** Room executor only. Package-private for tests. */
    void sampleRoom(Room room) {
        if (room.isClosed() || conference.rooms().get(room.id()) != room) {
            return;
        }
        RoomStats stats = statsOf(room);
        stats.sampleBytes(conference.reader(), room, clock.nanos());
        // The figures only: the room's snapshot (the admin read model) is built when someone asks (SfuInspector).
        stats.sampleLinks(conference.reader(), room, clock.wallMillis(), listeners);
    }

    /** The room's rate state, created on first use. Its contents: room executor only. */
    RoomStats statsOf(Room room) {
        return rooms.computeIfAbsent(room, r -> new RoomStats(historyPoints));
    }

    JvmProbe jvm() {
        return jvm;
    }

    public List<EventLoopProbe> loops() {
        return loops;
    }

    /** Datagrams received by the media socket: totals now, rates at the last sample. */
    public Traffic mediaIn() {
        MediaCounters c = conference.media().counters();
        return new Traffic(c.packetsIn(), c.bytesIn(), packetsInPerSecond, bitsInPerSecond);
    }

    /** Datagrams sent from the media socket: totals now, rates at the last sample. */
    public Traffic mediaOut() {
        MediaCounters c = conference.media().counters();
        return new Traffic(c.packetsOut(), c.bytesOut(), packetsOutPerSecond, bitsOutPerSecond);
    }

    /** Participants in all rooms at their last sample; any thread. */
    public int participants() {
        int n = 0;
        for (RoomStats s : rooms.values()) {
            n += s.lastParticipants();
        }
        return n;
    }

    /** Published tracks in all rooms at their last sample; any thread. */
    public int tracks() {
        int n = 0;
        for (RoomStats s : rooms.values()) {
            n += s.lastTracks();
        }
        return n;
    }

    /**
     * Connected peer connections in all rooms at their last sample, by transport, family and candidate (the fixed
     * values of {@link ConnectionTally}; 0 for any other); any thread.
     */
    public int connections(String transport, String family, String candidate) {
        int i = ConnectionTally.index(transport, family, candidate);
        if (i < 0) {
            return 0;
        }
        int n = 0;
        for (RoomStats s : rooms.values()) {
            n += s.lastConnections(i);
        }
        return n;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
