package dev.prism.signaling.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.conference.ActiveSpeakers;
import dev.prism.conference.SpeakerDetector.Speaker;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpeakersMessageTest {
    @Test
    void speakersLoudestFirstWithTheDominant() {
        assertThat(SpeakersMessage.of(new ActiveSpeakers(List.of(new Speaker("bob", 0.57), new Speaker("alice", 0.3)),
                "alice")).encode()).isEqualTo("{\"type\":\"speakers\",\"speakers\":[{\"participantId\":\"bob\","
                + "\"level\":0.57},{\"participantId\":\"alice\",\"level\":0.3}],\"dominant\":\"alice\"}");
    }

    @Test
    void nobodyYet() {
        assertThat(SpeakersMessage.of(ActiveSpeakers.NONE).encode())
                .isEqualTo("{\"type\":\"speakers\",\"speakers\":[],\"dominant\":null}");
    }
}
