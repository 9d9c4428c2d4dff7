package dev.prism.signaling.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PublisherLayersMessageTest {
    @Test
    void namesTheTrackAndItsActiveRidsLowestFirst() {
        assertThat(PublisherLayersMessage.of("alice:1", List.of("q", "h")).encode())
                .isEqualTo("{\"type\":\"publisherLayers\",\"trackId\":\"alice:1\",\"active\":[\"q\",\"h\"]}");
    }

    @Test
    void noLayerAtAllIsAnEmptyList() {
        assertThat(PublisherLayersMessage.of("alice:1", List.of()).encode())
                .isEqualTo("{\"type\":\"publisherLayers\",\"trackId\":\"alice:1\",\"active\":[]}");
    }
}
