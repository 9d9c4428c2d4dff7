package dev.prism.conference;

import java.util.List;
import java.util.Objects;

/**
 * Who speaks in a room now ({@link ConferenceListener#onSpeakers}): the speakers loudest first, each with a level in
 * 0..1, and the dominant speaker (null before anyone spoke). See {@link SpeakerDetector} for the method.
 */
public record ActiveSpeakers(List<SpeakerDetector.Speaker> speakers, String dominant) {
    public static final ActiveSpeakers NONE = new ActiveSpeakers(List.of(), null);

    public ActiveSpeakers {
        speakers = List.copyOf(Objects.requireNonNull(speakers, "speakers"));
    }
}
