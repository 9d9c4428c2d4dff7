package dev.prism.conference;

/**
 * A room's speaker view for operators ({@link Conference#speakers}).
 *
 * @param speakers    who speaks now, as last sent to the participants
 * @param audioTopN   the room's top-N audio setting, 0 for off
 * @param updatesSent {@code speakers} updates sent to the room so far (each to every participant)
 */
public record RoomSpeakerState(ActiveSpeakers speakers, int audioTopN, long updatesSent) {
}
