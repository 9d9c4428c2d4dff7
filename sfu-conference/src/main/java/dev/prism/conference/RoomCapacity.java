package dev.prism.conference;

import dev.prism.core.room.Room;

/** The {@code maxParticipantsPerRoom} rule. Room executor only (reads the room's participants). */
final class RoomCapacity {
    private RoomCapacity() {
    }

    /** Whether {@code identity} may join {@code room}: there is space, or it is already in (a rejoin replaces itself). */
    static boolean admits(Room room, String identity, int max) {
        return room.participant(identity) != null || room.participants().size() < max;
    }
}
