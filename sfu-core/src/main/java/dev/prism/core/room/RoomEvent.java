package dev.prism.core.room;

/** What happened in a room; delivered to every other participant's {@link RoomListener} and to room observers. */
public sealed interface RoomEvent {
    String roomId();

    record ParticipantJoined(String roomId, Participant participant) implements RoomEvent {
    }

    record ParticipantLeft(String roomId, String participantId, LeaveReason reason) implements RoomEvent {
    }

    record TrackPublished(String roomId, Track track) implements RoomEvent {
    }

    record TrackUnpublished(String roomId, Track track) implements RoomEvent {
    }

    record TrackMuted(String roomId, Track track, boolean muted) implements RoomEvent {
    }
}
