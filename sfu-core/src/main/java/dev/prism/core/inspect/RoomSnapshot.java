package dev.prism.core.inspect;

import java.util.List;

/**
 * Everything about one room at {@code takenAtMillis}: its participants in join order, and who speaks
 * ({@link SpeakerView#NONE} when unknown).
 */
public record RoomSnapshot(String id, long takenAtMillis, List<ParticipantSnapshot> participants,
                           SpeakerView speakers) {
    public RoomSnapshot {
        participants = List.copyOf(participants);
        speakers = speakers == null ? SpeakerView.NONE : speakers;
    }

    /** A snapshot without speaker information. */
    public RoomSnapshot(String id, long takenAtMillis, List<ParticipantSnapshot> participants) {
        this(id, takenAtMillis, participants, SpeakerView.NONE);
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
