package dev.prism.ops.inspect;

import dev.prism.conference.RoomReader;
import dev.prism.core.inspect.ParticipantHistory;
import dev.prism.core.inspect.RoomSnapshot;
import dev.prism.core.room.Room;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rate state of one room: a byte-rate meter per live media object (producer or consumer, by identity) and a short
 * history per participant.
 *
 * <p>Threading: the room's executor only, except the {@code last...} counts, which the sampler publishes for metric
 * gauges on any thread.
 */
final class RoomStats implements RoomReader.Rates, RoomReader.ByteCounterSink {
    private final int historyCapacity;
    private Map<Object, RateMeter> meters = new IdentityHashMap<>();
    /** The next sample's meters, filled by {@link #counter}; swapped with {@link #meters} (both maps reused). */
    private Map<Object, RateMeter> next = new IdentityHashMap<>();
    private long sampleNanos;
    private final Map<String, HistoryRing> histories = new HashMap<>();
    private volatile int lastParticipants;
    private volatile int lastTracks;
    /** {@link ConnectionTally} of the last sample; replaced, never changed. */
    private volatile int[] lastConnections = new int[ConnectionTally.SIZE];

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

    /** Appends a point per participant of {@code snapshot} and forgets the histories of those who left. */
    void record(RoomSnapshot snapshot, long atMillis) {
        Set<String> present = new java.util.HashSet<>();
        snapshot.participants().forEach(p -> {
            present.add(p.id());
            histories.computeIfAbsent(p.id(), id -> new HistoryRing(historyCapacity))
                    .add(new ParticipantHistory.Point(atMillis, p.link().uplinkBps(), p.link().downlinkBps(),
                            p.link().bandwidthEstimateBps(), p.link().lossFraction()));
        });
        histories.keySet().retainAll(present);
        lastParticipants = snapshot.participants().size();
        lastTracks = snapshot.trackCount();
        lastConnections = ConnectionTally.count(snapshot);
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
        return lastConnections[index];
    }
}
