package dev.prism.core.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.core.rtp.MediaKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoomTest {
    private final Room room = new Room("r", Runnable::run);
    private final List<RoomEvent> aliceSees = new ArrayList<>();
    private final List<RoomEvent> bobSees = new ArrayList<>();
    private final List<RoomEvent> observerSees = new ArrayList<>();

    @Test
    void joinPublishMuteLeaveAreToldToEveryoneElse() {
        room.addObserver(observerSees::add);
        room.join("alice", "Alice", true, true, aliceSees::add);
        room.join("bob", "Bob", true, true, bobSees::add);
        Track t = room.publish("bob", MediaKind.VIDEO, TrackSource.CAMERA, "1");
        room.setMuted("bob", t.id(), true);
        room.leave("bob", LeaveReason.LEFT);

        assertThat(aliceSees).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("ParticipantJoined", "TrackPublished", "TrackMuted", "TrackUnpublished",
                        "ParticipantLeft");
        // Bob hears nothing about his own join/publish/leave, but does hear the authoritative mute state.
        assertThat(bobSees).extracting(e -> e.getClass().getSimpleName()).containsExactly("TrackMuted");
        assertThat(observerSees).hasSize(6);
        assertThat(room.participants()).extracting(Participant::id).containsExactly("alice");
    }

    @Test
    void mediaIsReadiedBeforeOthersHearOfATrack() {
        List<String> order = new ArrayList<>();
        room.join("alice", "Alice", true, true, e -> order.add("told " + e.getClass().getSimpleName()));
        room.join("bob", "Bob", true, true, e -> { });
        room.publish("bob", MediaKind.AUDIO, TrackSource.MICROPHONE, "0", t -> order.add("ready " + t.id()));
        assertThat(order).containsExactly("told ParticipantJoined", "ready bob:0", "told TrackPublished");
    }

    @Test
    void trackIdsAreUniquePerParticipant() {
        room.join("alice", "Alice", true, true, aliceSees::add);
        Track a = room.publish("alice", MediaKind.AUDIO, TrackSource.MICROPHONE, "0");
        Track v = room.publish("alice", MediaKind.VIDEO, TrackSource.CAMERA, "1");
        assertThat(a.id()).isNotEqualTo(v.id()).startsWith("alice:");
    }

    @Test
    void refusesWhatTheGrantsOrStateDoNotAllow() {
        room.join("viewer", "V", false, true, aliceSees::add);
        assertThatThrownBy(() -> room.publish("viewer", MediaKind.AUDIO, TrackSource.MICROPHONE, "0"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("may not publish");
        assertThatThrownBy(() -> room.join("viewer", "again", true, true, e -> { }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(room.setMuted("viewer", "nope", true)).isNull();
        assertThat(room.unpublish("ghost", "x")).isFalse();
    }

    @Test
    void aThrowingListenerDoesNotStopTheOthers() {
        room.join("broken", "B", true, true, e -> {
            throw new IllegalStateException("boom");
        });
        room.join("alice", "Alice", true, true, aliceSees::add);
        room.join("carol", "Carol", true, true, e -> { });
        assertThat(aliceSees).hasSize(1);
    }

    @Test
    void closedRoomRefusesJoins() {
        room.join("alice", "Alice", true, true, aliceSees::add);
        room.close();
        assertThat(room.isEmpty()).isTrue();
        assertThatThrownBy(() -> room.join("bob", "Bob", true, true, bobSees::add))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void registryDropsAndClosesEmptyRooms() {
        InMemoryRoomRegistry registry = new InMemoryRoomRegistry(id -> Runnable::run, List.of());
        Room r = registry.getOrCreate("x");
        assertThat(registry.getOrCreate("x")).isSameAs(r);
        r.join("a", "A", true, true, e -> { });
        registry.removeIfEmpty(r);
        assertThat(registry.get("x")).isSameAs(r);
        r.leave("a", LeaveReason.LEFT);
        registry.removeIfEmpty(r);
        assertThat(registry.get("x")).isNull();
        assertThat(r.isClosed()).isTrue();
        assertThat(registry.getOrCreate("x")).isNotSameAs(r);
    }
}
