package dev.prism.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.room.InMemoryRoomRegistry;
import dev.prism.core.room.LeaveReason;
import dev.prism.core.room.Room;
import dev.prism.core.room.RoomRegistry;
import dev.prism.core.room.Track;
import dev.prism.core.room.TrackSource;
import dev.prism.core.rtp.MediaKind;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Room events to numbered webhook events, over a real registry and rooms whose loop is the test's thread. */
class RoomEventRecorderTest {
    private final FakeClock clock = new FakeClock();
    private final List<WebhookEvent> sent = new ArrayList<>();
    private final RoomEventRecorder recorder = new RoomEventRecorder(clock, sent::add, 100,
            Duration.ofMinutes(10).toMillis());
    private final RoomRegistry rooms = new RecordingRoomRegistry(new InMemoryRoomRegistry(id -> Runnable::run,
            List.of()), recorder);

    private static List<String> events(List<WebhookEvent> events) {
        return events.stream().map(e -> e.seq() + " " + e.type().wireName()).toList();
    }

    @Test
    void aRoomsLifeIsNumberedInOrderWithItsFields() {
        Room room = rooms.getOrCreate("r1");
        room.join("alice", "Alice \"A\"", true, true, e -> { });
        room.join("bob", "Bob", true, true, e -> { });
        Track mic = room.publish("alice", MediaKind.AUDIO, TrackSource.MICROPHONE, "0");
        room.setMuted("alice", mic.id(), true);
        room.leave("alice", LeaveReason.MEDIA_TIMEOUT);
        room.leave("bob", LeaveReason.LEFT);
        rooms.removeIfEmpty(room);

        assertThat(events(sent)).containsExactly("1 room_started", "2 participant_joined", "3 participant_joined",
                "4 track_published", "5 track_muted", "6 track_unpublished", "7 participant_left",
                "8 participant_left", "9 room_finished");
        assertThat(sent).extracting(WebhookEvent::id).doesNotHaveDuplicates();
        assertThat(sent).extracting(WebhookEvent::roomSid).containsOnly(sent.get(0).roomSid());

        JsonObject joined = new JsonObject(sent.get(1).json());
        assertThat(joined.getString("event")).isEqualTo("participant_joined");
        assertThat(joined.getString("room")).isEqualTo("r1");
        assertThat(joined.getLong("seq")).isEqualTo(2);
        assertThat(joined.getLong("createdAt")).isEqualTo(clock.wallMillis());
        assertThat(joined.getJsonObject("participant").getString("name")).isEqualTo("Alice \"A\"");
        JsonObject muted = new JsonObject(sent.get(4).json());
        assertThat(muted.getBoolean("muted")).isTrue();
        assertThat(muted.getJsonObject("track").getString("sid")).isEqualTo(mic.id());
        assertThat(muted.getJsonObject("track").getString("kind")).isEqualTo("audio");
        assertThat(muted.getJsonObject("track").getString("source")).isEqualTo("microphone");
        JsonObject left = new JsonObject(sent.get(6).json());
        assertThat(left.getString("reason")).isEqualTo("timed_out");
        assertThat(left.getString("detail")).isEqualTo("media_timeout");
    }

    @Test
    void leaveReasonsMapToTheFourABackendSees() {
        assertThat(RoomEventRecorder.reason(LeaveReason.LEFT)).isEqualTo("left");
        assertThat(RoomEventRecorder.reason(LeaveReason.REPLACED)).isEqualTo("left");
        assertThat(RoomEventRecorder.reason(LeaveReason.REMOVED)).isEqualTo("removed");
        assertThat(RoomEventRecorder.reason(LeaveReason.ROOM_CLOSED)).isEqualTo("removed");
        assertThat(RoomEventRecorder.reason(LeaveReason.SERVER_SHUTDOWN)).isEqualTo("removed");
        assertThat(RoomEventRecorder.reason(LeaveReason.DISCONNECTED)).isEqualTo("timed_out");
        assertThat(RoomEventRecorder.reason(LeaveReason.MEDIA_TIMEOUT)).isEqualTo("timed_out");
        assertThat(RoomEventRecorder.reason(LeaveReason.MIGRATED)).isEqualTo("migrated");
    }

    @Test
    void aRoomLookedUpButNeverJoinedSendsNothing() {
        Room room = rooms.getOrCreate("idle");
        rooms.removeIfEmpty(room);
        assertThat(sent).isEmpty();
        assertThat(recorder.knows("idle")).isFalse();
    }

    @Test
    void aRoomOpenedAgainKeepsCountingUntilItsHistoryIsForgotten() {
        Room first = rooms.getOrCreate("r");
        first.join("a", "A", true, true, e -> { });
        first.leave("a", LeaveReason.LEFT);
        rooms.removeIfEmpty(first);
        Room second = rooms.getOrCreate("r");
        assertThat(second).isNotSameAs(first);
        second.join("a", "A", true, true, e -> { });
        assertThat(events(sent)).containsExactly("1 room_started", "2 participant_joined", "3 participant_left",
                "4 room_finished", "5 room_started", "6 participant_joined");
        String sid = sent.get(0).roomSid();
        assertThat(sent.get(5).roomSid()).isEqualTo(sid);

        second.leave("a", LeaveReason.LEFT);
        rooms.removeIfEmpty(second);
        clock.advance(Duration.ofMinutes(10).plusMillis(1));
        recorder.sweep();
        assertThat(recorder.knows("r")).isFalse();
        sent.clear();
        rooms.getOrCreate("r").join("a", "A", true, true, e -> { });
        assertThat(events(sent)).containsExactly("1 room_started", "2 participant_joined");
        assertThat(sent.get(0).roomSid()).isNotEqualTo(sid);
    }

    @Test
    void replayReturnsTheRoomsEventsAfterASeqAsPosted() {
        Room room = rooms.getOrCreate("r");
        room.join("a", "A", true, true, e -> { });
        room.join("b", "B", true, true, e -> { });
        assertThat(recorder.replay("r", 1)).extracting(WebhookEvent::seq).containsExactly(2L, 3L);
        assertThat(recorder.replay("r", 1).get(0).json()).isEqualTo(sent.get(1).json());
        assertThat(recorder.replay("unknown", 0)).isEmpty();
    }
}
