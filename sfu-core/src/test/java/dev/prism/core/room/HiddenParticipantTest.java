package dev.prism.core.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A hidden participant (the token's {@code hidden} grant) and the room's publisher limit. */
class HiddenParticipantTest {
    private final Room room = new Room("r", Runnable::run);
    private final List<RoomEvent> aliceSees = new ArrayList<>();
    private final List<RoomEvent> recorderSees = new ArrayList<>();
    private final List<RoomEvent> observerSees = new ArrayList<>();

    @Test
    void itsJoiningAndLeavingReachOnlyTheObservers() {
        room.addObserver(observerSees::add);
        room.join("alice", "Alice", true, true, aliceSees::add);
        Participant rec = room.join("rec", "Recorder", false, true, true, recorderSees::add);
        assertThat(rec.hidden()).isTrue();
        assertThat(room.participant("alice").hidden()).isFalse();
        room.join("bob", "Bob", true, true, e -> { });
        room.leave("rec", LeaveReason.LEFT);

        assertThat(aliceSees).extracting(e -> e.getClass().getSimpleName()).containsExactly("ParticipantJoined");
        assertThat(((RoomEvent.ParticipantJoined) aliceSees.get(0)).participant().id()).isEqualTo("bob");
        // the hidden one hears about the others as anyone does
        assertThat(recorderSees).extracting(e -> e.getClass().getSimpleName()).containsExactly("ParticipantJoined");
        assertThat(observerSees).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("ParticipantJoined", "ParticipantJoined", "ParticipantJoined", "ParticipantLeft");
    }

    @Test
    void theFirstJoinFixesThePublisherLimit() {
        assertThat(room.maxPublishers()).isEqualTo(Integer.MAX_VALUE);
        assertThat(room.chooseMaxPublishers(3)).isEqualTo(3);
        assertThat(room.chooseMaxPublishers(10)).isEqualTo(3);
        assertThat(room.maxPublishers()).isEqualTo(3);
    }
}
