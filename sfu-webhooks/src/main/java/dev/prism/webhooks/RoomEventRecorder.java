package dev.prism.webhooks;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.room.LeaveReason;
import dev.prism.core.room.Participant;
import dev.prism.core.room.Room;
import dev.prism.core.room.RoomEvent;
import dev.prism.core.room.RoomListener;
import dev.prism.core.room.Track;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a room's events into numbered {@link WebhookEvent}s: on the room's loop it stamps each with an id, the room's
 * next {@code seq} and the wall clock, keeps it in the room's {@link EventRing} and offers it to the {@link EventSink}.
 * A room instance is watched from {@link #watch(Room)} on ({@link RecordingRoomRegistry} calls it for each room it
 * hands out): its first join is {@code room_started}, its removal from the registry ({@link #roomEnding(Room)})
 * {@code room_finished}.
 *
 * <p>A room's numbering (and ring) outlives the room instance for {@code retentionMillis} after its end, so a room
 * that opens again soon after keeps counting up; once forgotten ({@link #sweep()}), a new numbering starts at 1 with a
 * new {@code roomSid}. Thread-safe: each room's events arrive on its own loop; the per-room state is locked (briefly,
 * no I/O under the lock).
 */
public final class RoomEventRecorder {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ID = Base64.getUrlEncoder().withoutPadding();

    /** One room's numbering and recent events. */
    private static final class RoomLog {
        final String sid = randomId("RM_");
        final EventRing ring;
        long lastSeq;
        int liveInstances;
        long endedAtMillis;

        RoomLog(EventRing ring) {
            this.ring = ring;
        }
    }

    private final MonoClock clock;
    private final EventSink sink;
    private final int ringCapacity;
    private final long retentionMillis;
    private final Map<String, RoomLog> logs = new ConcurrentHashMap<>();
    /** Room instances watched, each with its tap; weak: a room that ended without being seen to end is not held. */
    private final Map<Room, Tap> taps = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * @param ringCapacity    events kept per room for replay
     * @param retentionMillis how long events stay replayable (and a room's numbering is kept after it ends)
     */
    public RoomEventRecorder(MonoClock clock, EventSink sink, int ringCapacity, long retentionMillis) {
        this.clock = clock;
        this.sink = sink;
        this.ringCapacity = ringCapacity;
        this.retentionMillis = retentionMillis;
    }

    /** Starts watching a room instance (idempotent). Any thread; call before the room's first join runs. */
    public void watch(Room room) {
        Tap added = null;
        synchronized (taps) {
            if (!taps.containsKey(room)) {
                added = new Tap(room);
                taps.put(room, added);
            }
        }
        if (added != null) {
            room.addObserver(added);
        }
    }

    /**
     * The registry is about to forget {@code room} (empty, on its loop): {@code room_finished} when it had started.
     */
    public void roomEnding(Room room) {
        Tap tap = taps.remove(room);
        if (tap != null && tap.started) {
            tap.started = false;
            RoomLog log = logs.get(room.id());
            record(room.id(), EventType.ROOM_FINISHED, null);
            if (log != null) {
                synchronized (log) {
                    log.liveInstances--;
                    log.endedAtMillis = clock.millis();
                }
            }
        }
    }

    /** A room's recent events after {@code afterSeq}, oldest first; empty for a room not known. Any thread. */
    public List<WebhookEvent> replay(String roomId, long afterSeq) {
        RoomLog log = logs.get(roomId);
        return log == null ? List.of() : log.ring.after(afterSeq, clock.millis());
    }

    /** Whether events of that room are held (it is open, or ended less than the retention ago). */
    public boolean knows(String roomId) {
        return logs.containsKey(roomId);
    }

    /** Forgets rooms that ended more than the retention ago. Any thread; call now and then. */
    public void sweep() {
        long now = clock.millis();
        logs.values().removeIf(log -> {
            synchronized (log) {
                return log.liveInstances == 0 && now - log.endedAtMillis > retentionMillis;
            }
        });
    }

    /** One room instance's observer; runs on the room's loop. */
    private final class Tap implements RoomListener {
        private final Room room;
        private volatile boolean started;

        Tap(Room room) {
            this.room = room;
        }

        @Override
        public void onRoomEvent(RoomEvent event) {
            String roomId = room.id();
            if (event instanceof RoomEvent.ParticipantJoined j) {
                if (!started) {
                    started = true;
                    RoomLog log = logs.computeIfAbsent(roomId, id -> new RoomLog(new EventRing(ringCapacity,
                            retentionMillis)));
                    synchronized (log) {
                        log.liveInstances++;
                    }
                    record(roomId, EventType.ROOM_STARTED, null);
                }
                record(roomId, EventType.PARTICIPANT_JOINED, participant(j.participant()));
            } else if (event instanceof RoomEvent.ParticipantLeft l) {
                record(roomId, EventType.PARTICIPANT_LEFT, new StringBuilder(",\"participant\":{\"identity\":")
                        .append(quote(l.participantId())).append("},\"reason\":").append(quote(reason(l.reason())))
                        .append(",\"detail\":").append(quote(l.reason().wireName())).toString());
            } else if (event instanceof RoomEvent.TrackPublished p) {
                record(roomId, EventType.TRACK_PUBLISHED, track(p.track()));
            } else if (event instanceof RoomEvent.TrackUnpublished u) {
                record(roomId, EventType.TRACK_UNPUBLISHED, track(u.track()));
            } else if (event instanceof RoomEvent.TrackMuted m) {
                record(roomId, EventType.TRACK_MUTED, track(m.track()) + ",\"muted\":" + m.muted());
            }
        }
    }

    /**
     * The reason a backend sees: {@code left}, {@code removed}, {@code timed_out} or {@code migrated} (the exact
     * {@link LeaveReason} goes in {@code detail}).
     */
    static String reason(LeaveReason r) {
        return switch (r) {
            case LEFT, REPLACED -> "left";
            case REMOVED, ROOM_CLOSED, SERVER_SHUTDOWN -> "removed";
            case DISCONNECTED, MEDIA_TIMEOUT -> "timed_out";
            case MIGRATED -> "migrated";
        };
    }

    private void record(String roomId, EventType type, String fields) {
        RoomLog log = logs.computeIfAbsent(roomId, id -> new RoomLog(new EventRing(ringCapacity, retentionMillis)));
        WebhookEvent e;
        synchronized (log) {
            long seq = ++log.lastSeq;
            String id = randomId("EV_");
            long at = clock.wallMillis();
            StringBuilder json = new StringBuilder(160).append("{\"id\":").append(quote(id))
                    .append(",\"event\":").append(quote(type.wireName()))
                    .append(",\"room\":").append(quote(roomId)).append(",\"roomSid\":").append(quote(log.sid))
                    .append(",\"seq\":").append(seq).append(",\"createdAt\":").append(at);
            if (fields != null) {
                json.append(fields);
            }
            e = new WebhookEvent(id, type, roomId, log.sid, seq, at, json.append('}').toString());
            log.ring.add(e, clock.millis());
            sink.offer(e); // non-blocking; under the lock so the sink sees each room's events in seq order
        }
    }

    private static String participant(Participant p) {
        return new StringBuilder(",\"participant\":{\"identity\":").append(quote(p.id())).append(",\"name\":")
                .append(quote(p.name())).append('}').toString();
    }

    private static String track(Track t) {
        return new StringBuilder(",\"participant\":{\"identity\":").append(quote(t.participantId()))
                .append("},\"track\":{\"sid\":").append(quote(t.id())).append(",\"kind\":")
                .append(quote(t.kind().name().toLowerCase(Locale.ROOT))).append(",\"source\":")
                .append(quote(t.source().wireName())).append(",\"muted\":").append(t.muted())
                .append('}').toString();
    }

    private static String quote(String s) {
        return Json.string(new StringBuilder(), s).toString();
    }

    static String randomId(String prefix) {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return prefix + ID.encodeToString(b);
    }
}
