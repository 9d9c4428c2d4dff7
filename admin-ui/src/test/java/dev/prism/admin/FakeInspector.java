package dev.prism.admin;

import dev.prism.core.inspect.ActionOutcome;
import dev.prism.core.inspect.ConnectionPath;
import dev.prism.core.inspect.NodeInspector;
import dev.prism.core.inspect.NodeSnapshot;
import dev.prism.core.inspect.ParticipantHistory;
import dev.prism.core.inspect.ParticipantSnapshot;
import dev.prism.core.inspect.RoomSnapshot;
import dev.prism.core.inspect.RoomSummary;
import dev.prism.core.inspect.TrackSnapshot;
import dev.prism.core.inspect.Traffic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A node in a map: rooms of canned participants, actions that edit the map, and a change signal the test fires.
 * Thread-safe; futures complete at once (on the caller's thread), or never while {@link #stall} is set.
 */
final class FakeInspector implements NodeInspector {
    final Map<String, RoomSnapshot> rooms = new ConcurrentHashMap<>();
    final List<String> actions = new CopyOnWriteArrayList<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    volatile boolean stall;

    FakeInspector() {
        rooms.put("demo", new RoomSnapshot("demo", 1_700_000_000_000L, List.of(
                participant("alice-1", "Alice", false), participant("bob-2", "Bob", true))));
    }

    static ParticipantSnapshot participant(String id, String name, boolean muted) {
        TrackSnapshot audio = new TrackSnapshot(id + ":0", "audio", "microphone", muted, "opus/48000/2", 1111L, 500,
                40_000, 32_000.0, null, null, List.of(new TrackSnapshot.Subscription("other", 2222L, 490, 39_000,
                31_000.0, null, null, null, "connected")));
        return new ParticipantSnapshot(id, name, true, true, "connected",
                new ParticipantSnapshot.TransportSnapshot("connected", "192.0.2.7:50000", null, "udp", "ipv4",
                        new ConnectionPath("udp", "relay", "tls", "ipv4")), null,
                new ParticipantSnapshot.LinkStats(32_000.0, 0.0, null, null, null, null), List.of(audio),
                new ParticipantSnapshot.Recovery(3, 2, 1, 1, 0, 0, List.of(
                        new ParticipantSnapshot.Repair(1_700_000_000_000L, "x:1", "no_media", "keyframe"))));
    }

    int listenerCount() {
        return listeners.size();
    }

    /**
     * Waits until no change listener is left (closed streams unsubscribe asynchronously), at most {@code millis}.
     * Woken by each removal, so it returns as soon as the last one goes.
     */
    synchronized boolean awaitNoListeners(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while (!listeners.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return listeners.isEmpty();
    }

    void fireChange() {
        listeners.forEach(Runnable::run);
    }

    private <T> CompletableFuture<T> answer(T value) {
        return stall ? new CompletableFuture<>() : CompletableFuture.completedFuture(value);
    }

    @Override
    public CompletableFuture<NodeSnapshot> node() {
        int participants = rooms.values().stream().mapToInt(r -> r.participants().size()).sum();
        return answer(new NodeSnapshot(1_700_000_000_000L, 61_000, rooms.size(), participants, participants,
                new Traffic(100, 120_000, 50.0, 480_000.0), new Traffic(90, 110_000, null, null), 80, 3, 2, 0,
                Map.of("srtp_auth_fail", 1L), new NodeSnapshot.JvmStats(0.1234, null, 2, 10, 20, 30, 40),
                new NodeSnapshot.BufferStats(5, 6, 7),
                List.of(new NodeSnapshot.EventLoopStats("prism-media-1-1", 0.05, 0.123, 0)),
                new NodeSnapshot.SignalingStats(2, Map.of("ping", 3L), Map.of(), Map.of("token expired", 1L))));
    }

    @Override
    public CompletableFuture<List<RoomSummary>> rooms() {
        List<RoomSummary> out = new ArrayList<>();
        rooms.values().stream().sorted(java.util.Comparator.comparing(RoomSnapshot::id)).forEach(r ->
                out.add(new RoomSummary(r.id(), r.participants().size(), r.trackCount(), 64_000.0, null, 0, 40000)));
        return answer(out);
    }

    @Override
    public CompletableFuture<Optional<RoomSnapshot>> room(String roomId) {
        return answer(Optional.ofNullable(rooms.get(roomId)));
    }

    @Override
    public CompletableFuture<Optional<ParticipantHistory>> history(String roomId, String participantId) {
        RoomSnapshot r = rooms.get(roomId);
        if (r == null || r.participant(participantId) == null) {
            return answer(Optional.empty());
        }
        return answer(Optional.of(new ParticipantHistory(roomId, participantId, 1000, List.of(
                new ParticipantHistory.Point(1_700_000_000_000L, null, null, null, null),
                new ParticipantHistory.Point(1_700_000_001_000L, 31_999.6, 0.0, null, null)))));
    }

    @Override
    public CompletableFuture<ActionOutcome> removeParticipant(String roomId, String participantId) {
        actions.add("remove " + roomId + " " + participantId);
        RoomSnapshot r = rooms.get(roomId);
        if (r == null || r.participant(participantId) == null) {
            return answer(ActionOutcome.notFound("participant '" + participantId + "' is not in room '" + roomId
                    + "'"));
        }
        rooms.put(roomId, new RoomSnapshot(roomId, r.takenAtMillis(),
                r.participants().stream().filter(p -> !p.id().equals(participantId)).toList()));
        fireChange();
        return answer(ActionOutcome.done("participant '" + participantId + "' removed"));
    }

    @Override
    public CompletableFuture<ActionOutcome> muteTrack(String roomId, String trackId, boolean muted) {
        actions.add("mute " + roomId + " " + trackId + " " + muted);
        RoomSnapshot r = rooms.get(roomId);
        boolean found = r != null && r.participants().stream()
                .anyMatch(p -> p.tracks().stream().anyMatch(t -> t.id().equals(trackId)));
        return answer(found ? ActionOutcome.done("track '" + trackId + "' " + (muted ? "muted" : "unmuted"))
                : ActionOutcome.notFound("no track '" + trackId + "' in room '" + roomId + "'"));
    }

    @Override
    public CompletableFuture<ActionOutcome> closeRoom(String roomId) {
        actions.add("close " + roomId);
        return answer(rooms.remove(roomId) != null ? ActionOutcome.done("room '" + roomId + "' closed")
                : ActionOutcome.notFound("no room '" + roomId + "'"));
    }

    @Override
    public AutoCloseable onChange(Runnable listener) {
        listeners.add(listener);
        return () -> {
            listeners.remove(listener);
            synchronized (this) {
                notifyAll(); // awaitNoListeners
            }
        };
    }
}
