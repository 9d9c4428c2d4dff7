package dev.prism.core.inspect;

import java.util.List;

/**
 * A room's speaker detection for operators: who speaks now (loudest first, levels 0..1), the dominant speaker (null
 * before anyone spoke), the room's top-N audio setting (0 = off) and how many speaker updates went out.
 */
public record SpeakerView(List<String> speaking, List<Double> levels, String dominant, int audioTopN,
                          long updatesSent) {
    public static final SpeakerView NONE = new SpeakerView(List.of(), List.of(), null, 0, 0);

    public SpeakerView {
        speaking = List.copyOf(speaking);
        levels = List.copyOf(levels);
    }
}
