package dev.prism.ops.inspect;

import dev.prism.conference.RoomReader;
import dev.prism.core.inspect.ParticipantHistory;
import dev.prism.core.room.Room;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate state of one room: a byte-rate meter per live media object (producer or consumer, by identity) and a short
 * history per participant.
 *
 * <p>Threading: the room's executor only, except the {@code last...} counts, which the sampler publishes for metric
 * gauges on any thread.
 */
final class RoomStats implements RoomReader.Rates, RoomReader.ByteCounterSink, RoomReader.LinkSink {
    private static final Logger log = LoggerFactory.getLogger(RoomStats.class);
    private final int historyCapacity;
    private Map<Object, RateMeter> meters = new IdentityHashMap<>();
    /** The next sample's meters, filled by {@link #counter}; swapped with {@link #meters} (both maps reused). */
    private Map<Object, RateMeter> next = new IdentityHashMap<>();
    private long sampleNanos;
    private final Map<String, HistoryRing> histories = new HashMap<>();
    private volatile int lastParticipants;
    private volatile int lastTracks;
    /** {@link ConnectionTally} of the last sample, slot by slot (each slot any thread; written after a sample). */
    private final AtomicIntegerArray lastConnections = new AtomicIntegerArray(ConnectionTally.SIZE);
    // The sample in progress (room executor only): its time, its count (histories not seen in it are dropped), the
    // listeners and the counts it adds up.
    private long sampleMillis;
    private long stamp;
    private List<StatsSampler.Listener> sampleListeners = List.of();
    private String sampleRoomId;
    private int participants;
    private int tracks;
    private final int[] connections = new int[ConnectionTally.SIZE];

    RoomStats(int historyCapacity) {
        this.historyCapacity = historyCapacity;
    }

    /**
     * Feeds every live object's byte counter; objects absent from {@code bytesByObject} are forgotten (their meters
     * would only hold stale rates).
     */
    void sampleBytes(Map<Object, Long> bytesByObject, long nowNanos) {
        beginSample(nowNanos);
        bytesByObject.forEach(this::counter);
        endSample();
    }

    /**
     * As {@link #sampleBytes(Map, long)}, reading the counters straight from the room: {@code reader} calls
     * {@link #counter} for each; the two meter maps are reused from sample to sample.
     */
    void sampleBytes(RoomReader reader, Room room, long nowNanos) {
        beginSample(nowNanos);
        reader.byteCounters(room, this);
        endSample();
    }

    /** Starts a sample at {@code nowNanos}: {@link #counter} for each live object follows, then {@link #endSample}. */
    void beginSample(long nowNanos) {
        sampleNanos = nowNanos;
        next.clear();
    }

    /** One object's byte counter of the sample in progress. Room executor only. */
    @Override
    public void counter(Object key, long bytes) {
        RateMeter m = meters.get(key);
        if (m == null) {
            m = new RateMeter();
        }
        m.record(bytes, sampleNanos);
        next.put(key, m);
    }

    /** Ends a sample: objects without a counter in it are forgotten. */
    void endSample() {
        Map<Object, RateMeter> previous = meters;
        meters = next;
        next = previous;
        next.clear(); // forgotten objects are not kept alive until the next sample
    }

    /** Bits per second of the object at the last sample, or null when not measured (yet). */
    @Override
    public Double bitsPerSecond(Object key) {
        RateMeter m = meters.get(key);
        return m == null || !m.hasRate() ? null : m.rateValue() * 8;
    }

    /**
     * Appends a point per participant to its history from the room's figures (read by {@code reader} without
     * building a snapshot), forgets the histories of those who left, updates the counts the gauges read and hands each
     * participant to {@code listeners}. Allocates only the history points. Room executor only.
     */
    void sampleLinks(RoomReader reader, Room room, long atMillis, List<StatsSampler.Listener> listeners) {
        sampleMillis = atMillis;
        sampleListeners = listeners;
        sampleRoomId = room.id();
        stamp++;
        participants = 0;
        tracks = 0;
        java.util.Arrays.fill(connections, 0);
        reader.sampleLinks(room, this, this);
        histories.values().removeIf(this::leftBeforeThisSample);
        for (int i = 0; i < connections.length; i++) {
            lastConnections.set(i, connections[i]);
        }
        lastParticipants = participants;
        lastTracks = tracks;
        sampleListeners = List.of();
    }

    private boolean leftBeforeThisSample(HistoryRing ring) {
        return ring.stamp != stamp;
    }

    /** One participant of {@link #sampleLinks}. Room executor only. */
    @Override
    public void participant(String participantId, int trackCount, double uplinkBps, double downlinkBps,
                            double estimateBps, double lossFraction, boolean subscribes) {
        HistoryRing ring = histories.get(participantId);
        if (ring == null) {
            ring = new HistoryRing(historyCapacity);
            histories.put(participantId, ring);
        }
        ring.stamp = stamp;
        ring.add(new ParticipantHistory.Point(sampleMillis, boxed(uplinkBps), boxed(downlinkBps), boxed(estimateBps),
                boxed(lossFraction)));
        participants++;
        tracks += trackCount;
        List<StatsSampler.Listener> ls = sampleListeners;
        for (int i = 0; i < ls.size(); i++) {
            try {
                ls.get(i).onParticipantSampled(trackCount, uplinkBps, downlinkBps, estimateBps, subscribes);
            } catch (RuntimeException e) {
                log.warn("stats: listener failed on room={}", sampleRoomId, e);
            }
        }
    }

    /** One connected peer connection of {@link #sampleLinks}. Room executor only. */
    @Override
    public void connected(String protocol, String family, String candidate) {
        int i = ConnectionTally.index(protocol, family, candidate);
        if (i >= 0) {
            connections[i]++;
        }
    }

    private static Double boxed(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** The participant's points, oldest first, or null when it has none. */
    List<ParticipantHistory.Point> history(String participantId) {
        HistoryRing ring = histories.get(participantId);
        return ring == null ? null : ring.toList();
    }

    /** Participants at the last sample; any thread. */
    int lastParticipants() {
        return lastParticipants;
    }

    /** Published tracks at the last sample; any thread. */
    int lastTracks() {
        return lastTracks;
    }

    /** Connected peer connections in {@link ConnectionTally} slot {@code index} at the last sample; any thread. */
    int lastConnections(int index) {
        return lastConnections.get(index);
    }
}
