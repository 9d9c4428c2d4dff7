package dev.prism.core.inspect;

import java.util.List;

/** Everything about one room at {@code takenAtMillis}: its participants in join order. */
public record RoomSnapshot(String id, long takenAtMillis, List<ParticipantSnapshot> participants) {
    public RoomSnapshot {
        participants = List.copyOf(participants);
    }

    /** The participant with this id, or null. */
    public ParticipantSnapshot participant(String participantId) {
        for (ParticipantSnapshot p : participants) {
            if (p.id().equals(participantId)) {
                return p;
            }
        }
        return null;
    }

    /** Published tracks over all participants. */
    public int trackCount() {
        int n = 0;
        for (ParticipantSnapshot p : participants) {
            n += p.tracks().size();
        }
        return n;
    }
}
