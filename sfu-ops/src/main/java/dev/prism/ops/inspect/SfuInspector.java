package dev.prism.ops.inspect;

import dev.prism.conference.Conference;
import dev.prism.core.clock.MonoClock;
import dev.prism.core.inspect.ActionOutcome;
import dev.prism.core.inspect.NodeInspector;
import dev.prism.core.inspect.NodeSnapshot;
import dev.prism.core.inspect.ParticipantHistory;
import dev.prism.core.inspect.RoomSnapshot;
import dev.prism.core.inspect.RoomSummary;
import dev.prism.core.room.Room;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's {@link NodeInspector}: reads rooms through the conference on each room's executor and answers with
 * immutable snapshots; operator actions are the conference's (a removal reaches the session as a conference event). Futures complete on the room's executor (or at once when
 * the room does not exist).
 */
public final class SfuInspector implements NodeInspector {
    private static final Logger log = LoggerFactory.getLogger(SfuInspector.class);

    private final Conference conference;
    private final Supplier<NodeSnapshot.SignalingStats> signaling;
    private final StatsSampler sampler;
    private final ChangeNotifier changes;
    private final MonoClock clock;
    private final long startedAtNanos;

    /**
     * @param signaling the signaling figures of the node snapshot (sessions, messages, errors, refusals); any thread
     */
    public SfuInspector(Conference conference, Supplier<NodeSnapshot.SignalingStats> signaling, StatsSampler sampler,
                        ChangeNotifier changes, MonoClock clock) {
        this.conference = conference;
        this.signaling = signaling;
        this.sampler = sampler;
        this.changes = changes;
        this.clock = clock;
        this.startedAtNanos = clock.nanos();
    }

    @Override
    public CompletableFuture<NodeSnapshot> node() {
        return rooms().thenApply(this::nodeSnapshot);
    }

    private NodeSnapshot nodeSnapshot(List<RoomSummary> rooms) {
        int participants = 0;
        int tracks = 0;
        for (RoomSummary r : rooms) {
            participants += r.participants();
            tracks += r.tracks();
        }
        MediaCounters c = conference.media().counters();
        Map<String, Long> drops = new LinkedHashMap<>();
        for (Map.Entry<DropReason, Long> e : c.dropsSnapshot().entrySet()) {
            drops.put(e.getKey().metricName(), e.getValue());
        }
        return new NodeSnapshot(clock.wallMillis(), (clock.nanos() - startedAtNanos) / 1_000_000L, rooms.size(),
                participants, tracks, sampler.mediaIn(), sampler.mediaOut(), c.rtpForwarded(), c.keyframeRequests(),
                c.dtlsHandshakes(), c.dtlsFailures(), drops, sampler.jvm().jvm(),
                JvmProbe.buffers(conference.media().allocator()),
                sampler.loops().stream().map(EventLoopProbe::stats).toList(),
                signaling.get());
    }

    @Override
    public CompletableFuture<List<RoomSummary>> rooms() {
        List<CompletableFuture<RoomSummary>> parts = new ArrayList<>();
        for (Room room : conference.rooms().rooms()) {
            parts.add(onRoom(room, () -> live(room) ? summary(room, snapshot(room)) : null));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<RoomSummary> out = new ArrayList<>();
            for (CompletableFuture<RoomSummary> f : parts) {
                RoomSummary s = f.join();
                if (s != null) {
                    out.add(s);
                }
            }
            out.sort(Comparator.comparing(RoomSummary::id));
            return out;
        });
    }

    @Override
    public CompletableFuture<Optional<RoomSnapshot>> room(String roomId) {
        Room room = conference.rooms().get(roomId);
        if (room == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return onRoom(room, () -> live(room) ? Optional.of(snapshot(room)) : Optional.empty());
    }

    @Override
    public CompletableFuture<Optional<ParticipantHistory>> history(String roomId, String participantId) {
        Room room = conference.rooms().get(roomId);
        if (room == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return onRoom(room, () -> {
            if (!live(room) || room.participant(participantId) == null) {
                return Optional.empty();
            }
            List<ParticipantHistory.Point> points = sampler.statsOf(room).history(participantId);
            return Optional.of(new ParticipantHistory(roomId, participantId, sampler.interval().toMillis(),
                    points == null ? List.of() : points));
        });
    }

    /** The conference removes the participant; its session hears it as a room event and tells its client. */
    @Override
    public CompletableFuture<ActionOutcome> removeParticipant(String roomId, String participantId) {
        return conference.removeParticipant(roomId, participantId);
    }

    @Override
    public CompletableFuture<ActionOutcome> muteTrack(String roomId, String trackId, boolean muted) {
        return conference.muteTrack(roomId, trackId, muted);
    }

    @Override
    public CompletableFuture<ActionOutcome> closeRoom(String roomId) {
        return conference.closeRoom(roomId);
    }

    @Override
    public AutoCloseable onChange(Runnable listener) {
        return changes.subscribe(Objects.requireNonNull(listener, "listener"));
    }

    // ---- room executor ----------------------------------------------------------------------------------------

    private RoomSnapshot snapshot(Room room) {
        return conference.reader().snapshot(room, sampler.statsOf(room), clock.wallMillis());
    }

    private boolean live(Room room) {
        return conference.isLive(room);
    }

    private RoomSummary summary(Room room, RoomSnapshot s) {
        double in = 0;
        double out = 0;
        boolean measured = false;
        for (var p : s.participants()) {
            if (p.link().uplinkBps() != null) {
                in += p.link().uplinkBps();
                measured = true;
            }
            if (p.link().downlinkBps() != null) {
                out += p.link().downlinkBps();
                measured = true;
            }
        }
        int thread = -1;
        int port = 0;
        for (int i = 0; i < conference.media().engines().size(); i++) {
            if (conference.media().engines().get(i).eventLoop() == room.executor()) {
                thread = i;
                port = conference.media().engines().get(i).localPort();
            }
        }
        return new RoomSummary(s.id(), s.participants().size(), s.trackCount(), measured ? in : null,
                measured ? out : null, thread, port);
    }

    /** Runs {@code read} on the room's executor; the future fails if it throws or the executor refuses it. */
    private static <T> CompletableFuture<T> onRoom(Room room, Supplier<T> read) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            room.executor().execute(() -> {
                try {
                    f.complete(read.get());
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(e);
        }
        return f;
    }
}
