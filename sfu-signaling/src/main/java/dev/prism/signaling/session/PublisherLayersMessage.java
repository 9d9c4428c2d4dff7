package dev.prism.signaling.session;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The {@code publisherLayers} message (docs/PROTOCOL.md, "Dynacast"): which simulcast encodings of one of its tracks
 * the publisher should keep sending. Built on the room's loop from the conference's
 * {@code ConferenceListener.onPublisherLayers}; the rids are the publisher's own (from its offer), so nothing
 * client-supplied reaches a log here. Pure; any thread.
 */
final class PublisherLayersMessage {
    static final String TYPE = "publisherLayers";

    private PublisherLayersMessage() {
    }

    /** {@code {"type":"publisherLayers","trackId":..,"active":["q","h"]}}, lowest layer first. */
    static JsonObject of(String trackId, List<String> activeRids) {
        return new JsonObject().put("type", TYPE).put("trackId", trackId).put("active", new JsonArray(
                List.copyOf(activeRids)));
    }
}
